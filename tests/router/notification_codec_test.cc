// The outbox payload round-trips a Notification exactly (nanosecond times included).
#include "router/notification_codec.h"

#include <catch2/catch.hpp>

namespace rt = herald::router;
using herald::Alert;
using herald::LabelSet;
using herald::Notification;
using herald::WallTime;
using namespace std::chrono_literals;

TEST_CASE("notification_codec: round trip", "[router]") {
  Alert a;
  a.labels = LabelSet{{"alertname", "HighErrorRate"}, {"model", "모델 \"x\""}};
  a.annotations = {{"summary", "5xx > 5%"}, {"empty", ""}};
  a.starts_at = WallTime{} + 1700000000123456789ns;
  a.ends_at = WallTime{};
  a.updated_at = WallTime{} + 1700000001s;
  a.generator_url = "http://prom/graph?g0.expr=x";
  a.timeout = true;
  Alert r = a;
  r.labels.set("model", "b");
  r.ends_at = WallTime{} + 1700000002s;
  r.timeout = false;
  const Notification n{"team",
                       "{}:{alertname=\"HighErrorRate\"}",
                       LabelSet{{"alertname", "HighErrorRate"}},
                       {a},
                       {r},
                       "ignored"};
  auto back = rt::decode_notification(rt::encode_notification(n));
  REQUIRE(back);
  CHECK(back->receiver == n.receiver);
  CHECK(back->group_key == n.group_key);
  CHECK(back->group_labels == n.group_labels);
  CHECK(back->firing == n.firing);
  CHECK(back->resolved == n.resolved);
  CHECK(back->previous_data.empty());  // read from the notification log at delivery time
}

TEST_CASE("notification_codec: a corrupt payload is an error, not a crash", "[router]") {
  for (const char* text : {"", "{", "[]", "{\"receiver\":1}", "{\"receiver\":\"r\"}"}) {
    CAPTURE(text);
    CHECK_FALSE(rt::decode_notification(text));
  }
}
