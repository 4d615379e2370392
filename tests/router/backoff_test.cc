// The outbox's retry delays: exponential, capped, jittered; Retry-After wins exactly.
#include "router/backoff.h"

#include <catch2/catch.hpp>

namespace rt = herald::router;
using herald::Duration;
using namespace std::chrono_literals;

TEST_CASE("backoff: doubles from initial up to max, jitter within bounds", "[router]") {
  const rt::BackoffPolicy p;  // 1s initial, ×2, 5m cap, ±20 %
  struct Row {
    int failures;
    double unit;
    Duration want;
  };
  const auto row = GENERATE(Row{1, 0.5, 1s}, Row{2, 0.5, 2s}, Row{3, 0.5, 4s}, Row{9, 0.5, 256s},
                            Row{10, 0.5, 300s}, Row{1000, 0.5, 300s}, Row{1, 0.0, 800ms},
                            Row{2, 0.0, 1600ms}, Row{10, 0.0, 240s}, Row{0, 0.5, 1s});
  CAPTURE(row.failures, row.unit);
  CHECK(rt::retry_delay(p, row.failures, std::nullopt, row.unit) == row.want);
}

TEST_CASE("backoff: Retry-After is honoured exactly and capped", "[router]") {
  const rt::BackoffPolicy p;
  CHECK(rt::retry_delay(p, 1, 2s, 0.0) == 2s);
  CHECK(rt::retry_delay(p, 7, 2s, 0.99) == 2s);  // neither backoff nor jitter applies
  CHECK(rt::retry_delay(p, 1, std::chrono::seconds(86400), 0.5) == 1h);
  CHECK(rt::retry_delay(p, 1, 0s, 0.5) == 0s);
}
