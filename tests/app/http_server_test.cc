// The HTTP server's routes against a real socket on 127.0.0.1 (port 0), with fake hooks.
#include "app/http_server.h"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "app/log.h"

using herald::app::HttpServer;

TEST_CASE("http server: listen addresses", "[app]") {
  using herald::app::parse_listen_address;
  CHECK(*parse_listen_address(":9095") == std::pair<std::string, int>{"0.0.0.0", 9095});
  CHECK(*parse_listen_address("127.0.0.1:0") == std::pair<std::string, int>{"127.0.0.1", 0});
  CHECK(*parse_listen_address("[::1]:80") == std::pair<std::string, int>{"::1", 80});
  CHECK_FALSE(parse_listen_address("9095"));
  CHECK_FALSE(parse_listen_address("host:http"));
  CHECK_FALSE(parse_listen_address("host:70000"));
}

TEST_CASE("http server: probes, API and metrics", "[app]") {
  std::atomic<bool> ready{false};
  HttpServer server({[] { return std::vector<herald::evaluator::GroupStatus>{}; },
                     [&] { return ready.load(); }, [] { return std::string("m 1\n"); }});
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

TEST_CASE("http server: a port in use is a clear error", "[app]") {
  HttpServer first({[] { return std::vector<herald::evaluator::GroupStatus>{}; },
                    [] { return true; }, [] { return std::string(); }});
  REQUIRE(first.start("127.0.0.1:0"));
  HttpServer second({[] { return std::vector<herald::evaluator::GroupStatus>{}; },
                     [] { return true; }, [] { return std::string(); }});
  auto s = second.start("127.0.0.1:" + std::to_string(first.port()));
  REQUIRE_FALSE(s);
  CHECK_THAT(s.error().message, Catch::Contains("cannot listen"));
}

TEST_CASE("log lines: logfmt quoting and JSON lines", "[app]") {
  using herald::app::LogFormat;
  using herald::app::LogLevel;
  using herald::app::render_log_line;
  CHECK(
      render_log_line(LogFormat::kLogfmt, "T", LogLevel::kInfo, "alert transition",
                      {{"alertname", "HighErrorRate"}, {"labels", "{a=\"b c\"}"}, {"e", ""}}) ==
      R"(ts=T level=info msg="alert transition" alertname=HighErrorRate labels="{a=\"b c\"}" e="")");
  CHECK(render_log_line(LogFormat::kJson, "T", LogLevel::kWarn, "x", {{"k", "v\n"}}) ==
        R"({"ts":"T","level":"warn","msg":"x","k":"v\n"})");
}
