// The log line formats: logfmt for terminals, JSON lines for Loki.
#include "daemon/log.h"

#include <catch2/catch.hpp>

TEST_CASE("log lines: logfmt quoting and JSON lines", "[daemon]") {
  using herald::daemon::LogFormat;
  using herald::daemon::LogLevel;
  using herald::daemon::render_log_line;
  CHECK(
      render_log_line(LogFormat::kLogfmt, "T", LogLevel::kInfo, "alert transition",
                      {{"alertname", "HighErrorRate"}, {"labels", "{a=\"b c\"}"}, {"e", ""}}) ==
      R"(ts=T level=info msg="alert transition" alertname=HighErrorRate labels="{a=\"b c\"}" e="")");
  CHECK(render_log_line(LogFormat::kJson, "T", LogLevel::kWarn, "x", {{"k", "v\n"}}) ==
        R"({"ts":"T","level":"warn","msg":"x","k":"v\n"})");
}
