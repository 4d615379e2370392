// HeraldDatasourceUnreachable: fires after unreachable_after of failures, resolves on recovery.
#include "evaluator/datasource_health.h"

#include <catch2/catch.hpp>

#include "evaluator/meta_alerts.h"

namespace ev = herald::evaluator;
using herald::AlertState;
using herald::WallTime;
using namespace std::chrono_literals;

namespace {
const WallTime kT0 = WallTime{} + 1'699'999'980s;
}

TEST_CASE("datasource health: only datasource failures count, success clears", "[evaluator]") {
  ev::DatasourceHealth h("prometheus", 2min);
  const herald::Error bad_expr{herald::ErrorCode::kInvalidInput, "parse error"};
  const herald::Error refused{herald::ErrorCode::kUnavailable, "connection refused"};
  h.record(kT0, &bad_expr);
  CHECK_FALSE(h.down_since());
  h.record(kT0 + 10s, &refused);
  h.record(kT0 + 20s, &refused);
  CHECK(h.down_since() == kT0 + 10s);
  h.record(kT0 + 30s, &bad_expr);  // the datasource answered, but says nothing either way
  CHECK(h.down_since() == kT0 + 10s);
  h.record(kT0 + 40s, nullptr);
  CHECK_FALSE(h.down_since());
}

TEST_CASE("datasource health: the meta-alert fires after unreachable_after and resolves",
          "[evaluator]") {
  herald::FakeClock clock(kT0);
  ev::DatasourceHealth h("prometheus", 1min);
  ev::GroupEvaluator meta(ev::kMetaGroupFile, ev::meta_alert_group(), {10s, 1min, {}, "", ""},
                          ev::meta_alert_query({&h}), clock);
  const herald::Error refused{herald::ErrorCode::kUnavailable, "connection refused"};

  h.record(kT0, &refused);
  CHECK(meta.evaluate(kT0 + 50s).transitions.empty());  // not yet unreachable_after
  auto fired = meta.evaluate(kT0 + 60s);
  REQUIRE(fired.transitions.size() == 2);  // for 0: pending then firing at once
  CHECK(fired.transitions[1].transition.to == AlertState::kFiring);
  REQUIRE(fired.to_send.size() == 1);
  CHECK(fired.to_send[0].labels.get("datasource") == "prometheus");
  CHECK(fired.to_send[0].labels.get("alertname") == "HeraldDatasourceUnreachable");
  CHECK(fired.to_send[0].annotations.at("description").find("1m 0s") != std::string::npos);

  h.record(kT0 + 65s, nullptr);
  auto resolved = meta.evaluate(kT0 + 70s);
  REQUIRE(resolved.transitions.size() == 1);
  CHECK(resolved.transitions[0].transition.to == AlertState::kInactive);
}
