// FakePagerduty's validation: the requests PagerDuty's Events API v2 rejects
// (docs/compatibility.md "PagerDuty Events API v2"), so the notifier tests that pass against the
// fake mean something.
#include "tests/notifiers/fake_pagerduty.h"

#include <catch2/catch.hpp>

using herald::test::pagerduty_event_errors;
using nlohmann::json;

namespace {
constexpr std::string_view kKey = "e93facc04764012d7bfb002500d5d1a6";
}  // namespace

TEST_CASE("fake pagerduty: rejects what the Events API v2 rejects", "[notifiers][pagerduty]") {
  const std::string key(kKey);
  const std::string ok_trigger =
      R"({"routing_key":")" + key +
      R"(","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info"}})";
  auto trigger_with = [&](const std::string& field, const json& value) {
    json j = json::parse(ok_trigger);
    if (field.starts_with("payload.")) {
      j["payload"][field.substr(8)] = value;
    } else {
      j[field] = value;
    }
    return j.dump();
  };
  const auto [content_type, body, accepted] = GENERATE_COPY(table<std::string, std::string, bool>({
      {"application/json", ok_trigger, true},
      {"application/json; charset=utf-8", ok_trigger, true},
      {"text/plain", ok_trigger, false},
      {"application/json", "not json", false},
      {"application/json", trigger_with("routing_key", "short"), false},
      {"application/json", trigger_with("routing_key", key + "0"), false},
      {"application/json", trigger_with("event_action", "snooze"), false},
      {"application/json", trigger_with("payload.summary", ""), false},
      {"application/json", trigger_with("payload.summary", std::string(1025, 's')), false},
      {"application/json", trigger_with("payload.source", nullptr), false},
      {"application/json", trigger_with("payload.severity", "high"), false},
      {"application/json", trigger_with("dedup_key", std::string(256, 'd')), false},
      {"application/json", trigger_with("dedup_key", std::string(255, 'd')), true},
      {"application/json", trigger_with("links", json::array({{{"text", "no href"}}})), false},
      {"application/json", trigger_with("payload.pad", std::string(512 * 1024, 'p')), false},
      {"application/json", R"({"routing_key":")" + key + R"(","event_action":"resolve"})", false},
      {"application/json",
       R"({"routing_key":")" + key + R"(","event_action":"acknowledge","dedup_key":"k"})", true},
  }));
  CAPTURE(content_type, body.substr(0, 200));
  CHECK(pagerduty_event_errors(content_type, body).empty() == accepted);
}

TEST_CASE("fake pagerduty: answers over HTTP as PagerDuty does",
          "[notifiers][pagerduty][integration]") {
  herald::test::FakePagerduty fake;
  httplib::Client client("127.0.0.1", fake.port());
  const std::string event = R"({"routing_key":")" + std::string(kKey) +
                            R"(","event_action":"acknowledge","dedup_key":"incident-1"})";

  auto res = client.Post("/v2/enqueue", event, "application/json");
  REQUIRE(res);
  CHECK(res->status == 202);
  CHECK(json::parse(res->body) ==
        json{{"status", "success"}, {"message", "Event processed"}, {"dedup_key", "incident-1"}});

  res = client.Post("/v2/enqueue", event, "text/plain");
  REQUIRE(res);
  CHECK(res->status == 400);
  const json invalid = json::parse(res->body);
  CHECK(invalid.at("status") == "invalid event");
  CHECK(invalid.at("message") == "Event object is invalid");
  CHECK(invalid.at("errors") == json::array({"Content-Type must be application/json"}));

  res = client.Post("/v1/enqueue", event, "application/json");
  REQUIRE(res);
  CHECK(res->status == 404);

  fake.force(429, "7");
  res = client.Post("/v2/enqueue", event, "application/json");
  REQUIRE(res);
  CHECK(res->status == 429);
  CHECK(res->get_header_value("Retry-After") == "7");
  CHECK(fake.requests().size() == 3);  // the 404 never reached the endpoint
  CHECK(fake.events().size() == 1);
}
