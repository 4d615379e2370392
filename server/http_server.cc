// Binding, the route families, and the safety nets every handler shares.
#include "server/http_server.h"

#include <httplib.h>

#include "model/host_port.h"
#include "server/json_reply.h"
#include "server/prometheus_api.h"

namespace herald::server {

HttpServer::HttpServer(ServerHooks hooks) : server_(std::make_unique<httplib::Server>()) {
  httplib::Server& s = *server_;
  // httplib's default also sets SO_REUSEPORT, which would let a second herald silently share
  // the port with a running one; SO_REUSEADDR alone still allows quick restarts.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const WriteGuard authorize = bearer_token_guard(std::move(hooks.auth_token_file));
  register_ops_routes(s, std::move(hooks.ops), authorize);
  register_prometheus_api(s, std::move(hooks.prometheus));
  register_history_api(s, std::move(hooks.history));
  register_runbook_pages(s, std::move(hooks.runbooks));
  if (hooks.alertmanager.clock != nullptr) {
    hooks.alertmanager.authorize = authorize;
    register_alertmanager_api(s, std::move(hooks.alertmanager));
  }
  // Handlers never let an exception escape into httplib's thread pool.
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    json_reply(res, 500, api_error_json("internal", "internal error"));
  });
}

HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start(const std::string& address) {
  auto listen = parse_listen_address(address);
  if (!listen) return tl::unexpected(listen.error());
  const auto& [host, port] = *listen;
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

}  // namespace herald::server
