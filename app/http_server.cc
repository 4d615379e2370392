// Routes and request parsing; response bodies come from prometheus_api.cc.
#include "app/http_server.h"

#include <httplib.h>

#include <fstream>

#include "app/history_api.h"
#include "app/prometheus_api.h"

namespace herald::app {
namespace {

std::set<std::string> params(const httplib::Request& req, const char* name) {
  std::set<std::string> out;
  const size_t n = req.get_param_value_count(name);
  for (size_t i = 0; i < n; ++i)
    out.insert(req.get_param_value(name, i));
  return out;
}

void json_reply(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

// Compares without an early exit, so the time taken does not reveal how much of a guess matched.
bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || b.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Whether a write endpoint may proceed; answers 401/503 itself when not.
bool authorized(const ServerHooks& hooks, const httplib::Request& req, httplib::Response& res) {
  const std::string file = hooks.auth_token_file ? hooks.auth_token_file() : "";
  if (file.empty()) return true;
  std::ifstream in(file);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (!in && token.empty()) {
    res.status = 503;
    res.set_content("cannot read web.auth_token_file\n", "text/plain");
    return false;
  }
  const std::string header = req.get_header_value("Authorization");
  const std::string_view prefix = "Bearer ";
  if (header.rfind(prefix, 0) == 0 &&
      constant_time_equal(std::string_view(header).substr(prefix.size()), token)) {
    return true;
  }
  res.status = 401;
  res.set_header("WWW-Authenticate", "Bearer");
  res.set_content("unauthorized\n", "text/plain");
  return false;
}

void text_reply(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(body, "text/plain; charset=utf-8");
}

// GET /runbooks/<name>: the file is read per request, so an edited ConfigMap shows at once.
void serve_runbook(const RunbookHooks& hooks, const std::string& name, httplib::Response& res) {
  const auto settings = hooks.settings ? hooks.settings() : nullptr;
  if (!settings || !valid_runbook_name(name)) {
    text_reply(res, 404, "no runbook for " + name + "\n");
    return;
  }
  auto markdown = read_runbook(settings->links.runbooks_dir, name);
  if (!markdown) {
    const bool missing = markdown.error().code == ErrorCode::kNotFound;
    text_reply(res, missing ? 404 : 500,
               missing ? "no runbook for " + name + "\n" : markdown.error().message + "\n");
    return;
  }
  const WallTime now = hooks.clock ? hooks.clock->now() : std::chrono::system_clock::now();
  const auto alerts =
      hooks.active_alerts ? hooks.active_alerts(name) : std::vector<ActiveRuleAlert>{};
  // Markdown cannot carry scripts (raw HTML is dropped); the policy is a second fence.
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; img-src * data:");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(render_runbook_page(name, *markdown, active_instances(alerts, *settings, now)),
                  "text/html; charset=utf-8");
}

}  // namespace

Result<std::pair<std::string, int>> parse_listen_address(const std::string& addr) {
  const size_t colon = addr.rfind(':');
  if (colon == std::string::npos) return invalid_input("listen address \"" + addr + "\": no port");
  std::string host = addr.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  const std::string port_text = addr.substr(colon + 1);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(port_text, &used);
    if (used != port_text.size()) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return invalid_input("listen address \"" + addr + "\": bad port \"" + port_text + "\"");
  }
  return std::pair{host, port};
}

HttpServer::HttpServer(ServerHooks hooks)
    : hooks_(std::move(hooks)), server_(std::make_unique<httplib::Server>()) {
  routes();
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::routes() {
  httplib::Server& s = *server_;
  // httplib's default also sets SO_REUSEPORT, which would let a second herald silently share
  // the port with a running one; SO_REUSEADDR alone still allows quick restarts.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  s.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("herald is Healthy.\n", "text/plain");
  });
  s.Get("/-/ready", [this](const httplib::Request&, httplib::Response& res) {
    const bool ready = hooks_.ready();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? "herald is Ready.\n" : "Service Unavailable\n", "text/plain");
  });
  s.Get("/api/v1/rules", [this](const httplib::Request& req, httplib::Response& res) {
    RulesFilter filter{std::nullopt, params(req, "rule_name[]"), params(req, "rule_group[]"),
                       params(req, "file[]")};
    if (auto err = parse_rule_type(req.get_param_value("type"), filter)) {
      json_reply(res, 400, api_error_json("bad_data", *err));
      return;
    }
    json_reply(res, 200, rules_json(hooks_.groups(), filter));
  });
  s.Get("/api/v1/alerts", [this](const httplib::Request&, httplib::Response& res) {
    json_reply(res, 200, alerts_json(hooks_.groups()));
  });
  const auto reload = [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(hooks_, req, res)) return;
    if (!hooks_.reload) {
      res.status = 404;
      return;
    }
    const ReloadOutcome out = hooks_.reload();
    // Prometheus answers a failed reload with 500 and the error text.
    res.status = out.ok ? 200 : 500;
    res.set_content(out.ok ? "" : "failed to reload config:\n" + out.errors, "text/plain");
  };
  s.Post("/-/reload", reload);
  s.Put("/-/reload", reload);  // Prometheus accepts both
  s.Get("/-/reload", [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "POST, PUT");
    res.set_content("Only POST or PUT requests allowed\n", "text/plain");
  });
  s.Get("/api/v1/status/runtimeinfo", [this](const httplib::Request&, httplib::Response& res) {
    if (!hooks_.runtimeinfo) {
      res.status = 404;
      return;
    }
    json_reply(res, 200, hooks_.runtimeinfo());
  });
  s.Get("/api/v1/alerts/history", [this](const httplib::Request& req, httplib::Response& res) {
    auto q = parse_history_query([&req](const char* name) -> std::optional<std::string> {
      if (!req.has_param(name)) return std::nullopt;
      return req.get_param_value(name);
    });
    if (!q) {
      json_reply(res, 400, api_error_json("bad_data", q.error().message));
      return;
    }
    if (!hooks_.history) {
      json_reply(res, 503, api_error_json("unavailable", "no alert history without storage"));
      return;
    }
    auto transitions = hooks_.history(*q);
    if (!transitions) {
      json_reply(res, 503, api_error_json("unavailable", transitions.error().message));
      return;
    }
    json_reply(res, 200, history_json(*transitions));
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(hooks_.metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
  // httplib matches the percent-decoded path: "..%2Fetc" arrives as "../etc" and is refused.
  s.Get(R"(/runbooks/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    serve_runbook(hooks_.runbooks, req.matches[1].str(), res);
  });
  if (hooks_.alertmanager.clock != nullptr) {
    AlertmanagerApiHooks am = hooks_.alertmanager;
    am.authorize = [this](const httplib::Request& req, httplib::Response& res) {
      return authorized(hooks_, req, res);
    };
    register_alertmanager_api(s, std::move(am));
  }
  // Handlers never let an exception escape into httplib's thread pool.
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    json_reply(res, 500, api_error_json("internal", "internal error"));
  });
}

Status HttpServer::start(const std::string& address) {
  auto hp = parse_listen_address(address);
  if (!hp) return tl::unexpected(hp.error());
  const auto& [host, port] = *hp;
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) {
    return unavailable("cannot listen on " + address + ": address in use or not available");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() is a no-op until the accept loop runs; wait for it so stop() always works.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server_->is_running()) return unavailable("HTTP server on " + address + " did not start");
  return {};
}

void HttpServer::stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace herald::app
