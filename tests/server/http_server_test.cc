// The HTTP server's routes against a real socket on 127.0.0.1 (port 0), with fake hooks.
#include "server/http_server.h"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

using herald::server::HttpServer;
using herald::server::ServerHooks;

namespace {

ServerHooks basic_hooks(std::function<bool()> ready, std::string metrics) {
  ServerHooks h;
  h.prometheus.groups = [] { return std::vector<herald::evaluator::GroupStatus>{}; };
  h.ops.ready = std::move(ready);
  h.ops.metrics = [metrics] { return metrics; };
  return h;
}

}  // namespace

TEST_CASE("http server: probes, API and metrics", "[server]") {
  std::atomic<bool> ready{false};
  HttpServer server(basic_hooks([&] { return ready.load(); }, "m 1\n"));
  REQUIRE(server.start("127.0.0.1:0"));
  httplib::Client c("127.0.0.1", server.port());

  CHECK(c.Get("/-/healthy")->status == 200);
  CHECK(c.Get("/-/ready")->status == 503);
  ready = true;
  CHECK(c.Get("/-/ready")->status == 200);

  auto rules = c.Get("/api/v1/rules");
  CHECK(rules->status == 200);
  CHECK(rules->body == R"({"data":{"groups":[]},"status":"success"})");
  auto bad = c.Get("/api/v1/rules?type=nope");
  CHECK(bad->status == 400);
  CHECK_THAT(bad->body, Catch::Contains(R"("errorType":"bad_data")"));
  CHECK(c.Get("/api/v1/alerts")->body == R"({"data":{"alerts":[]},"status":"success"})");

  auto m = c.Get("/metrics");
  CHECK(m->body == "m 1\n");
  CHECK(m->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(c.Get("/nope")->status == 404);
  server.stop();
}

TEST_CASE("http server: reload answers 200, or 500 with the diagnostics", "[server]") {
  ServerHooks hooks = basic_hooks([] { return true; }, "");
  herald::daemon::ReloadOutcome next{true, ""};
  int reloads = 0;
  hooks.ops.reload = [&] {
    ++reloads;
    return next;
  };
  hooks.prometheus.runtimeinfo = [] { return std::string(R"({"status":"success"})"); };
  HttpServer server(std::move(hooks));
  REQUIRE(server.start("127.0.0.1:0"));
  httplib::Client c("127.0.0.1", server.port());
  CHECK(c.Post("/-/reload")->status == 200);
  next = {false, "rules.yml:3:12: error: bad duration\n"};
  auto failed = c.Post("/-/reload");
  CHECK(failed->status == 500);
  CHECK(failed->body == "failed to reload config:\nrules.yml:3:12: error: bad duration\n");
  CHECK(reloads == 2);
  CHECK(c.Put("/-/reload", "", "text/plain")->status == 500);  // PUT works too, as in Prometheus
  CHECK(reloads == 3);
  auto get = c.Get("/-/reload");  // a write endpoint: never on GET
  CHECK(get->status == 405);
  CHECK(get->get_header_value("Allow") == "POST, PUT");
  CHECK(c.Get("/api/v1/status/runtimeinfo")->body == R"({"status":"success"})");
}

TEST_CASE("http server: with web.auth_token_file, reload needs the bearer token", "[server]") {
  const std::string token_file = std::string(HERALD_BINARY_DIR) + "/http_server_test_token";
  { std::ofstream(token_file) << "s3cret-token\n"; }
  ServerHooks hooks = basic_hooks([] { return true; }, "");
  int reloads = 0;
  hooks.ops.reload = [&] {
    ++reloads;
    return herald::daemon::ReloadOutcome{true, ""};
  };
  hooks.auth_token_file = [&] { return token_file; };
  HttpServer server(std::move(hooks));
  REQUIRE(server.start("127.0.0.1:0"));
  httplib::Client c("127.0.0.1", server.port());
  CHECK(c.Post("/-/reload")->status == 401);
  CHECK(c.Post("/-/reload", {{"Authorization", "Bearer wrong"}}, "", "text/plain")->status == 401);
  CHECK(c.Post("/-/reload", {{"Authorization", "Bearer s3cret-token"}}, "", "text/plain")->status ==
        200);
  CHECK(reloads == 1);
  std::remove(token_file.c_str());
  CHECK(c.Post("/-/reload", {{"Authorization", "Bearer s3cret-token"}}, "", "text/plain")->status ==
        503);  // an unreadable token file never means "open"
}

TEST_CASE("http server: history requires a filter and reports storage errors", "[server]") {
  ServerHooks hooks = basic_hooks([] { return true; }, "");
  bool fail = false;
  hooks.history = [&](const herald::storage::HistoryQuery& q)
      -> herald::Result<std::vector<herald::storage::TransitionRecord>> {
    if (fail) return herald::unavailable("database is locked");
    herald::storage::TransitionRecord r;
    r.labels = herald::LabelSet{{"alertname", *q.alertname}};
    return std::vector<herald::storage::TransitionRecord>{r};
  };
  HttpServer server(std::move(hooks));
  REQUIRE(server.start("127.0.0.1:0"));
  httplib::Client c("127.0.0.1", server.port());
  auto bad = c.Get("/api/v1/alerts/history");
  CHECK(bad->status == 400);
  CHECK_THAT(bad->body, Catch::Contains(R"("errorType":"bad_data")"));
  auto ok = c.Get("/api/v1/alerts/history?alertname=HighErrorRate");
  CHECK(ok->status == 200);
  CHECK_THAT(ok->body, Catch::Contains(R"("alertname":"HighErrorRate")"));
  fail = true;
  CHECK(c.Get("/api/v1/alerts/history?alertname=X")->status == 503);
}

TEST_CASE("http server: a port in use is a clear error", "[server]") {
  HttpServer first(basic_hooks([] { return true; }, ""));
  REQUIRE(first.start("127.0.0.1:0"));
  HttpServer second(basic_hooks([] { return true; }, ""));
  auto s = second.start("127.0.0.1:" + std::to_string(first.port()));
  REQUIRE_FALSE(s);
  CHECK_THAT(s.error().message, Catch::Contains("cannot listen"));
}
