// The alert history endpoint's parameters and JSON.
#include "server/history_api.h"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

using herald::WallTime;
using namespace std::chrono_literals;

namespace {

herald::Result<herald::storage::HistoryQuery> parse(std::map<std::string, std::string> params) {
  return herald::server::parse_history_query([&](const char* name) -> std::optional<std::string> {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace

TEST_CASE("history api: times are Unix seconds or RFC 3339, as in Prometheus's API", "[app]") {
  const WallTime t = WallTime{} + 1'700'000'000s;
  CHECK(*herald::server::parse_api_time("1700000000") == t);
  CHECK(*herald::server::parse_api_time("1700000000.5") == t + 500ms);
  CHECK(*herald::server::parse_api_time("2023-11-14T22:13:20Z") == t);
  CHECK(*herald::server::parse_api_time("2023-11-14T22:13:20.25Z") == t + 250ms);
  CHECK(*herald::server::parse_api_time("2023-11-15T07:13:20+09:00") == t);
  for (const char* bad : {"", "yesterday", "2023-11-14", "2023-11-14T22:13:20",
                          "2023-13-14T22:13:20Z", "2023-11-14T22:13:20Zjunk", "NaN", "inf"}) {
    INFO(bad);
    CHECK_FALSE(herald::server::parse_api_time(bad));
  }
}

TEST_CASE("history api: a fingerprint or an alertname is required", "[app]") {
  auto none = parse({{"since", "0"}});
  REQUIRE_FALSE(none);
  CHECK(none.error().message ==
        "one of the parameters \"fingerprint\" or \"alertname\" is required");

  auto by_fp = parse({{"fingerprint", "00ff00ff00ff00ff"}, {"limit", "10"}});
  REQUIRE(by_fp);
  CHECK(by_fp->fingerprint == 0x00ff00ff00ff00ffULL);
  CHECK(by_fp->limit == 10);

  auto by_name = parse({{"alertname", "HighErrorRate"}, {"since", "1700000000"}});
  REQUIRE(by_name);
  CHECK(by_name->alertname == "HighErrorRate");
  CHECK(by_name->since == WallTime{} + 1'700'000'000s);
  CHECK(by_name->limit == 1000);

  CHECK_FALSE(parse({{"fingerprint", "xyz"}}));
  CHECK_FALSE(parse({{"fingerprint", "00ff00ff00ff00ff00"}}));
  CHECK_FALSE(parse({{"alertname", "A"}, {"limit", "0"}}));
  CHECK_FALSE(parse({{"alertname", "A"}, {"limit", "5x"}}));
  auto bad_since = parse({{"alertname", "A"}, {"since", "soon"}});
  REQUIRE_FALSE(bad_since);
  CHECK(bad_since.error().message.find("invalid parameter \"since\"") == 0);
}

TEST_CASE("history api: transitions render with labels, states and Go-formatted values", "[app]") {
  herald::storage::TransitionRecord r;
  r.at = WallTime{} + 1'700'000'000s;
  r.rule = {"rules.yml", "llm", "HighErrorRate", 0};
  r.labels = herald::LabelSet{{"alertname", "HighErrorRate"}, {"model", "모델"}};
  r.fingerprint = r.labels.fingerprint();
  r.from = herald::AlertState::kPending;
  r.to = herald::AlertState::kFiring;
  r.value = 0.072;
  const auto doc = nlohmann::json::parse(herald::server::history_json({r}));
  CHECK(doc["status"] == "success");
  const auto& t = doc["data"]["transitions"].at(0);
  CHECK(t["at"] == "2023-11-14T22:13:20Z");
  CHECK(t["fingerprint"] == herald::fingerprint_hex(r.fingerprint));
  CHECK(t["group"] == "llm");
  CHECK(t["rule"] == "HighErrorRate");
  CHECK(t["labels"]["model"] == "모델");
  CHECK(t["from"] == "pending");
  CHECK(t["to"] == "firing");
  CHECK(t["value"] == "7.2e-02");
}
