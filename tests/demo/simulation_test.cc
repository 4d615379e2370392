// Specification of the demo exporter's simulation: plausible, monotonic counters, incidents that
// move exactly the metrics the shipped alerts watch, for the targeted model only.
#include "demo/simulation.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "demo/catalog.h"
#include "tests/demo/exposition_parser.h"

namespace herald::demo {
namespace {

using testing::parse_exposition;
using testing::ParsedExposition;

constexpr double kStart = 1'700'000'000;

WallTime at(double seconds) {
  return WallTime{std::chrono::duration_cast<WallTime::duration>(
      std::chrono::duration<double>(kStart + seconds))};
}

ParsedExposition scrape(DemoSimulation& sim, double seconds) {
  sim.advance_to(at(seconds));
  return parse_exposition(sim.exposition());
}

// Error ratio of `model` between two scrapes, as the HighErrorRate rule computes it.
double error_ratio(const ParsedExposition& a, const ParsedExposition& b, const std::string& model) {
  const double errors =
      b.sum("llm_errors_total", {{"model", model}}) - a.sum("llm_errors_total", {{"model", model}});
  const double requests = b.sum("llm_requests_total", {{"model", model}}) -
                          a.sum("llm_requests_total", {{"model", model}});
  return errors / requests;
}

// histogram_quantile(q, rate(bucket[b−a])) for one (model, mode), with linear interpolation.
double latency_quantile(const ParsedExposition& a, const ParsedExposition& b,
                        const std::string& model, const std::string& mode, double q) {
  const auto bounds = latency_buckets();
  std::vector<double> counts;
  auto delta = [&](const std::string& le) {
    const std::map<std::string, std::string> l{{"model", model}, {"mode", mode}, {"le", le}};
    return b.sum("llm_inference_duration_seconds_bucket", l) -
           a.sum("llm_inference_duration_seconds_bucket", l);
  };
  const double total = delta("+Inf");
  const double rank = q * total;
  double lower = 0, below = 0;
  for (double le : bounds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", le);
    const double c = delta(buf);
    if (c >= rank) return lower + (le - lower) * (rank - below) / std::max(c - below, 1e-9);
    lower = le;
    below = c;
  }
  return bounds.back();
}

double fb_ratio(const ParsedExposition& p, const std::string& pod) {
  const double used = p.sum("DCGM_FI_DEV_FB_USED", {{"pod", pod}});
  const double free = p.sum("DCGM_FI_DEV_FB_FREE", {{"pod", pod}});
  return used / (used + free);
}

}  // namespace

TEST_CASE("demo simulation: counters are monotonic and advance at plausible rates", "[demo]") {
  DemoSimulation sim(7, at(0));
  ParsedExposition prev = scrape(sim, 0);
  REQUIRE(prev.errors.empty());
  for (double t = 13; t <= 600; t += 13) {
    const ParsedExposition next = scrape(sim, t);
    REQUIRE(next.samples.size() == prev.samples.size());
    for (size_t i = 0; i < next.samples.size(); ++i) {
      const auto& s = next.samples[i];
      const std::string family = s.name.substr(0, s.name.rfind('_'));
      if (prev.types[family] == "gauge" || prev.types[s.name] == "gauge") continue;
      INFO(s.name << " at t=" << t);
      REQUIRE(s.labels == prev.samples[i].labels);
      REQUIRE(s.value >= prev.samples[i].value);
    }
    prev = next;
  }
  const ParsedExposition start = scrape(sim, 600), end = scrape(sim, 1200);
  for (const auto& m : models()) {
    const std::string model(m.name);
    const double rps = (end.sum("llm_requests_total", {{"model", model}}) -
                        start.sum("llm_requests_total", {{"model", model}})) /
                       600;
    INFO(model);
    CHECK(rps >= 3);
    CHECK(rps <= 60);
    CHECK(error_ratio(start, end, model) == Approx(kBaseErrorRatio).margin(0.003));
  }
}

TEST_CASE("demo simulation: the same seed gives the same metrics", "[demo]") {
  DemoSimulation a(42, at(0)), b(42, at(0)), c(43, at(0));
  for (double t : {1.0, 2.5, 30.0, 61.0}) {
    a.advance_to(at(t));
    b.advance_to(at(t));
    c.advance_to(at(t));
  }
  CHECK(a.exposition() == b.exposition());
  CHECK(a.exposition() != c.exposition());
}

TEST_CASE("demo simulation: error_burst raises the error ratio of that model only", "[demo]") {
  DemoSimulation sim(3, at(0));
  const ParsedExposition t0 = scrape(sim, 0);
  REQUIRE(sim.start_incident(IncidentKind::kErrorBurst, "mistral-7b"));
  const ParsedExposition t1 = scrape(sim, 120);
  for (const auto& m : models()) {
    const std::string model(m.name);
    INFO(model);
    if (model == "mistral-7b") {
      CHECK(error_ratio(t0, t1, model) >= 0.20);
      CHECK(error_ratio(t0, t1, model) <= 0.30);
    } else {
      CHECK(error_ratio(t0, t1, model) < 0.01);
    }
  }
  CHECK(t1.sum("http_requests_total", {{"status", "500"}}) >
        t0.sum("http_requests_total", {{"status", "500"}}) + 100);
  REQUIRE(sim.clear_incident(IncidentKind::kErrorBurst, "mistral-7b"));
  const ParsedExposition t2 = scrape(sim, 240);
  CHECK(error_ratio(t1, t2, "mistral-7b") < 0.01);
  CHECK_FALSE(sim.clear_incident(IncidentKind::kErrorBurst, "mistral-7b"));
}

TEST_CASE("demo simulation: healthy p95 latency never crosses 2.5 s, even over 20 s windows",
          "[demo]") {
  // 20 s is the window of the integration tests' test-sized rules: the tightest case.
  DemoSimulation sim(GENERATE(1, 11, 12345), at(0));
  ParsedExposition prev = scrape(sim, 0);
  for (double t = 20; t <= 1800; t += 20) {
    const ParsedExposition next = scrape(sim, t);
    for (const auto& m : models()) {
      for (const auto& mode : modes()) {
        INFO(m.name << " " << mode.name << " t=" << t);
        // p97 rather than p95: a margin, so Prometheus's own window alignment cannot tip it.
        CHECK(latency_quantile(prev, next, std::string(m.name), std::string(mode.name), 0.97) <=
              2.5);
      }
    }
    prev = next;
  }
  REQUIRE(sim.start_incident(IncidentKind::kLatencySpike, "gemma2-9b"));
  const ParsedExposition spiked = scrape(sim, 1820);
  for (const auto& mode : modes()) {
    CHECK(latency_quantile(prev, spiked, "gemma2-9b", std::string(mode.name), 0.95) > 5.0);
    CHECK(latency_quantile(prev, spiked, "llama3-8b", std::string(mode.name), 0.95) <= 2.5);
  }
}

TEST_CASE("demo simulation: model_unloaded zeroes llm_model_loaded and fails its requests",
          "[demo]") {
  DemoSimulation sim(5, at(0));
  const ParsedExposition t0 = scrape(sim, 0);
  CHECK(t0.value("llm_model_loaded", {{"model", "phi3-mini"}}) == 1.0);
  REQUIRE(sim.start_incident(IncidentKind::kModelUnloaded, "phi3-mini"));
  const ParsedExposition t1 = scrape(sim, 60);
  CHECK(t1.value("llm_model_loaded", {{"model", "phi3-mini"}}) == 0.0);
  CHECK(t1.value("llm_model_loaded", {{"model", "llama3-8b"}}) == 1.0);
  CHECK(error_ratio(t0, t1, "phi3-mini") == Approx(1.0));
  CHECK(t1.sum("llm_model_memory_bytes", {{"model", "phi3-mini"}}) == 0.0);
  sim.clear_all_incidents();
  const ParsedExposition t2 = scrape(sim, 120);
  CHECK(t2.value("llm_model_loaded", {{"model", "phi3-mini"}}) == 1.0);
  CHECK(error_ratio(t1, t2, "phi3-mini") < 0.01);
}

TEST_CASE("demo simulation: gpu_memory_climb crosses 90 % within the ramp, then clears", "[demo]") {
  DemoSimulation sim(9, at(0));
  const std::string pod = "vllm-qwen2-72b-0";
  CHECK(fb_ratio(scrape(sim, 0), pod) < 0.85);
  REQUIRE(sim.start_incident(IncidentKind::kGpuMemoryClimb, "qwen2-72b", 60));
  double crossed_at = -1, previous = 0;
  for (double t = 1; t <= 60; t += 1) {
    const double r = fb_ratio(scrape(sim, t), pod);
    CHECK(r >= previous - 0.01);  // climbs steadily (activations wobble a little)
    previous = r;
    if (crossed_at < 0 && r > 0.9) crossed_at = t;
  }
  CHECK(crossed_at > 0);
  CHECK(crossed_at < 60);
  const ParsedExposition top = scrape(sim, 90);
  CHECK(fb_ratio(top, pod) == Approx(0.98).margin(0.005));
  CHECK(fb_ratio(top, "vllm-llama3-8b-0") < 0.85);
  REQUIRE(sim.clear_incident(IncidentKind::kGpuMemoryClimb, "qwen2-72b"));
  CHECK(fb_ratio(scrape(sim, 91), pod) < 0.85);
}

TEST_CASE("demo simulation: oom_errors raises oom errors for that model only", "[demo]") {
  DemoSimulation sim(2, at(0));
  const ParsedExposition t0 = scrape(sim, 0);
  REQUIRE(sim.start_incident(IncidentKind::kOomErrors, "mixtral-8x7b"));
  const ParsedExposition t1 = scrape(sim, 60);
  for (const auto& m : models()) {
    const std::map<std::string, std::string> l{{"model", std::string(m.name)},
                                               {"error_type", "oom"}};
    INFO(m.name);
    if (m.name == "mixtral-8x7b") {
      CHECK(t1.sum("llm_errors_total", l) > t0.sum("llm_errors_total", l));
      CHECK(error_ratio(t0, t1, "mixtral-8x7b") < 0.04);  // below HighErrorRate's threshold
    } else {
      CHECK(t1.sum("llm_errors_total", l) == t0.sum("llm_errors_total", l));
    }
  }
}

TEST_CASE("demo simulation: incidents reject unknown models and bad ramps", "[demo]") {
  DemoSimulation sim(1, at(0));
  auto st = sim.start_incident(IncidentKind::kErrorBurst, "gpt-5");
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ErrorCode::kInvalidInput);
  CHECK(st.error().message.find("llama3-8b") != std::string::npos);
  CHECK_FALSE(sim.start_incident(IncidentKind::kGpuMemoryClimb, "llama3-8b", 0));
  CHECK(sim.incidents().empty());
  REQUIRE(sim.start_incident(IncidentKind::kOomErrors, "llama3-8b"));
  REQUIRE(sim.start_incident(IncidentKind::kOomErrors, "llama3-8b"));  // restart, not duplicate
  CHECK(sim.incidents().size() == 1);
}

}  // namespace herald::demo
