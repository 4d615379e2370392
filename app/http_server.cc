// Routes and request parsing; response bodies come from prometheus_api.cc.
#include "app/http_server.h"

#include <httplib.h>

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
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(hooks_.metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
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
