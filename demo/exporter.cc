// `herald demo-exporter`: the thin HTTP layer over DemoSimulation (demo/simulation.h). It
// reads the wall clock, advances the simulation under one mutex, and serves:
//
//   GET    /metrics                      Prometheus text format 0.0.4
//   GET    /-/healthy                    200 "OK"
//   GET    /-/incidents                  200, JSON list of active incidents:
//                                        [{"kind","model","started_at" (unix s),"ramp_seconds"?}]
//   POST   /-/incidents/{kind}?model=M[&ramp_seconds=S]
//                                        starts (or restarts) an incident → 200, the incident
//   DELETE /-/incidents/{kind}?model=M   clears it → 200, or 404 when it was not active
//   DELETE /-/incidents                  clears all → 200
//
// Kinds (each drives one shipped alert in rules/llm-serving.yml):
//   error_burst       ~25 % of the model's requests fail (500/504)        → HighErrorRate
//   latency_spike     the model's inference + HTTP p95 rises to 5–10 s     → HighLatency
//   model_unloaded    llm_model_loaded=0, its requests fail with 503       → ModelNotLoaded
//                     (and, being 100 % errors, HighErrorRate)
//   gpu_memory_climb  its GPU's FB_USED climbs linearly to 98 % over ramp_seconds (default 60)
//                                                                          → GpuOomRisk
//   oom_errors        llm_errors_total{error_type="oom"} rises (~2 % of requests) → GpuOomRisk
// Models: llama3-8b, mistral-7b, gemma2-9b, phi3-mini (gpu-node-1 GPUs 0–3), qwen2-72b,
// mixtral-8x7b (gpu-node-2 GPUs 0–1; GPUs 2–3 idle). An unknown kind or model, a missing model
// or a bad ramp_seconds → 400 with a message naming the valid values.
// cpp-httplib answers 400 to a POST without Content-Length: use `curl -X POST -d ''` (or any
// client that sends a body, even empty).
// Prints "listening on http://HOST:PORT" (flushed) once bound; port 0 picks a free port.
// SIGINT/SIGTERM stop it cleanly (exit 0).
#include "demo/exporter.h"

#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <ctime>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "demo/serve_until_signal.h"
#include "demo/simulation.h"

namespace herald::demo {
namespace {

using demo::DemoSimulation;
using demo::IncidentKind;

nlohmann::json incident_json(const demo::Incident& i) {
  nlohmann::json j{
      {"kind", demo::incident_name(i.kind)}, {"model", i.model}, {"started_at", i.started_at}};
  if (i.kind == IncidentKind::kGpuMemoryClimb) j["ramp_seconds"] = i.ramp_seconds;
  return j;
}

std::string known_kinds() {
  std::string out;
  for (IncidentKind k : demo::all_incident_kinds()) {
    out += (out.empty() ? "" : ", ") + std::string(demo::incident_name(k));
  }
  return out;
}

void reply_text(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain; charset=utf-8");
}

// The control API and /metrics over one simulation. Handlers run on httplib's worker threads.
class DemoServer {
 public:
  explicit DemoServer(uint64_t seed) : sim_(seed, clock_.now()) {}
  void install(httplib::Server& server);

 private:
  void metrics(httplib::Response& res);
  void list(httplib::Response& res);
  void start(const httplib::Request& req, httplib::Response& res);
  void clear(const httplib::Request& req, httplib::Response& res);
  void clear_all(httplib::Response& res);
  // Parses {kind} and ?model=; on failure fills a 400 and returns nullopt.
  std::optional<IncidentKind> parse_target(const httplib::Request& req, httplib::Response& res);

  SystemClock clock_;
  std::mutex mu_;
  DemoSimulation sim_;  // GUARDED_BY(mu_)
};

void DemoServer::install(httplib::Server& server) {
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { metrics(res); });
  server.Get("/-/healthy",
             [](const httplib::Request&, httplib::Response& res) { reply_text(res, 200, "OK"); });
  server.Get("/-/incidents",
             [this](const httplib::Request&, httplib::Response& res) { list(res); });
  server.Post(R"(/-/incidents/([^/]+))",
              [this](const httplib::Request& req, httplib::Response& res) { start(req, res); });
  server.Delete(R"(/-/incidents/([^/]+))",
                [this](const httplib::Request& req, httplib::Response& res) { clear(req, res); });
  server.Delete("/-/incidents",
                [this](const httplib::Request&, httplib::Response& res) { clear_all(res); });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    reply_text(res, 200,
               "herald demo exporter: GET /metrics, GET /-/incidents, "
               "POST|DELETE /-/incidents/{kind}?model=M (kinds: " +
                   known_kinds() + ")");
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                  std::exception_ptr) { reply_text(res, 500, "internal error"); });
}

void DemoServer::metrics(httplib::Response& res) {
  std::string body;
  {
    std::lock_guard lock(mu_);
    sim_.advance_to(clock_.now());
    body = sim_.exposition();
  }
  res.set_content(body, "text/plain; version=0.0.4; charset=utf-8");
}

void DemoServer::list(httplib::Response& res) {
  nlohmann::json out = nlohmann::json::array();
  {
    std::lock_guard lock(mu_);
    for (const auto& i : sim_.incidents())
      out.push_back(incident_json(i));
  }
  res.set_content(out.dump() + "\n", "application/json");
}

std::optional<IncidentKind> DemoServer::parse_target(const httplib::Request& req,
                                                     httplib::Response& res) {
  const std::string name = req.matches[1];
  const auto kind = demo::parse_incident_kind(name);
  if (!kind) {
    reply_text(res, 400, "unknown incident kind \"" + name + "\" (known: " + known_kinds() + ")");
    return std::nullopt;
  }
  if (!req.has_param("model") || req.get_param_value("model").empty()) {
    reply_text(res, 400, "missing query parameter \"model\"");
    return std::nullopt;
  }
  return kind;
}

void DemoServer::start(const httplib::Request& req, httplib::Response& res) {
  const auto kind = parse_target(req, res);
  if (!kind) return;
  double ramp = 60;
  if (req.has_param("ramp_seconds")) {
    const std::string text = req.get_param_value("ramp_seconds");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ramp);
    if (ec != std::errc{} || end != text.data() + text.size()) {
      return reply_text(res, 400, "ramp_seconds must be a number of seconds, got \"" + text + "\"");
    }
  }
  const std::string model = req.get_param_value("model");
  std::lock_guard lock(mu_);
  sim_.advance_to(clock_.now());  // the incident starts now, not at the last scrape
  if (auto st = sim_.start_incident(*kind, model, ramp); !st) {
    return reply_text(res, 400, st.error().message);
  }
  res.set_content(incident_json(sim_.incidents().back()).dump() + "\n", "application/json");
}

void DemoServer::clear(const httplib::Request& req, httplib::Response& res) {
  const auto kind = parse_target(req, res);
  if (!kind) return;
  const std::string model = req.get_param_value("model");
  if (demo::find_model(model) < 0) {
    return reply_text(res, 400, "unknown model \"" + model + "\"");
  }
  std::lock_guard lock(mu_);
  sim_.advance_to(clock_.now());
  if (!sim_.clear_incident(*kind, model)) {
    return reply_text(res, 404,
                      "no active " + std::string(demo::incident_name(*kind)) +
                          " incident for model \"" + model + "\"");
  }
  reply_text(res, 200, "cleared");
}

void DemoServer::clear_all(httplib::Response& res) {
  std::lock_guard lock(mu_);
  sim_.advance_to(clock_.now());
  sim_.clear_all_incidents();
  reply_text(res, 200, "cleared");
}

}  // namespace

int run_demo_exporter(const DemoExporterOptions& options) {
  httplib::Server server;
  DemoServer demo(options.seed);
  demo.install(server);
  return serve_until_signal(server, options.listen_address, "demo-exporter");
}

}  // namespace herald::demo
