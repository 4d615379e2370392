// Alertmanager's receipt defaults (api/v2) and provider merge (mem.Alerts.Put, Alert.Merge).
#include "router/alert_merge.h"

#include <catch2/catch.hpp>

namespace rt = herald::router;
using herald::Alert;
using herald::LabelSet;
using herald::WallTime;
using namespace std::chrono_literals;

namespace {

const WallTime kT = WallTime{} + std::chrono::hours(24 * 365 * 56);

Alert make(WallTime starts, WallTime ends, WallTime updated, bool timeout = false) {
  Alert a;
  a.labels = LabelSet{{"alertname", "A"}};
  a.starts_at = starts;
  a.ends_at = ends;
  a.updated_at = updated;
  a.timeout = timeout;
  return a;
}

}  // namespace

TEST_CASE("alert_merge: receipt defaults fill what the sender left out", "[router]") {
  struct Row {
    const char* what;
    WallTime starts, ends;
    WallTime want_starts, want_ends;
    bool want_timeout;
  };
  const auto row = GENERATE(Row{"nothing set", WallTime{}, WallTime{}, kT, kT + 5min, true},
                            Row{"only ends_at", WallTime{}, kT - 1min, kT - 1min, kT - 1min, false},
                            Row{"only starts_at", kT - 1h, WallTime{}, kT - 1h, kT + 5min, true},
                            Row{"both", kT - 1h, kT + 2min, kT - 1h, kT + 2min, false});
  INFO(row.what);
  Alert a = make(row.starts, row.ends, WallTime{});
  rt::apply_receipt_defaults(a, kT, 5min);
  CHECK(a.starts_at == row.want_starts);
  CHECK(a.ends_at == row.want_ends);
  CHECK(a.timeout == row.want_timeout);
  CHECK(a.updated_at == kT);
}

TEST_CASE("alert_merge: overlapping updates merge, others replace", "[router]") {
  struct Row {
    const char* what;
    Alert existing, incoming;
    WallTime want_starts, want_ends;
  };
  const auto row = GENERATE(
      // A re-sent firing alert with a later start keeps the original start (the incident began
      // then) and takes the new end.
      Row{"resend keeps the earlier start", make(kT - 10min, kT + 5min, kT - 1min),
          make(kT - 5min, kT + 6min, kT), kT - 10min, kT + 6min},
      // The older alert's explicit later end wins over a timeout end...
      Row{"explicit older end beats younger timeout end", make(kT - 10min, kT + 9min, kT - 1min),
          make(kT - 5min, kT + 5min, kT, true), kT - 10min, kT + 9min},
      // ...but a timeout end of the older alert does not.
      Row{"older timeout end does not win", make(kT - 10min, kT + 9min, kT - 1min, true),
          make(kT - 5min, kT + 5min, kT), kT - 10min, kT + 5min},
      // A resolve inside the active range resolves it at the resolve time.
      Row{"resolve inside the range", make(kT - 10min, kT + 5min, kT - 1min),
          make(kT - 10min, kT - 1s, kT), kT - 10min, kT - 1s},
      // No overlap: a new incident after the old one ended replaces it (new start).
      Row{"no overlap replaces", make(kT - 20min, kT - 10min, kT - 9min),
          make(kT - 1min, kT + 5min, kT), kT - 1min, kT + 5min});
  INFO(row.what);
  const Alert got = rt::merge_alert(row.existing, row.incoming);
  CHECK(got.starts_at == row.want_starts);
  CHECK(got.ends_at == row.want_ends);
  CHECK(got.updated_at == kT);
}
