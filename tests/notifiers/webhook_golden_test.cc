// render_webhook against Alertmanager 0.25's own bytes: each golden/<case>.case.json is rendered
// and compared with golden/<case>.json, which am_webhook_oracle.py captured from the real
// Alertmanager's webhook for the same alerts. A new case is a case file plus a re-run of the
// oracle.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "notifiers/webhook.h"
#include "tests/notifiers/fixtures.h"

using herald::Alert;
using herald::Notification;
using herald::WallTime;

namespace {

using herald::test::kGolden;
using herald::test::read_file;

// "2026-05-01T11:50:00.123456789Z" (UTC only, as the case files write them).
WallTime parse_time(const std::string& s) {
  int y, mo, d, h, mi, sec;
  REQUIRE(std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) == 6);
  using namespace std::chrono;
  auto t = sys_days(year_month_day{year(y), month(static_cast<unsigned>(mo)),
                                   day(static_cast<unsigned>(d))}) +
           hours(h) + minutes(mi) + seconds(sec);
  nanoseconds frac{0};
  if (s.size() > 20 && s[19] == '.') {
    std::string digits = s.substr(20, s.size() - 21);
    digits.resize(9, '0');
    frac = nanoseconds(std::stoll(digits));
  }
  return WallTime(duration_cast<WallTime::duration>(t.time_since_epoch() + frac));
}

herald::LabelSet labels_of(const nlohmann::json& j) {
  return herald::LabelSet(j.get<std::map<std::string, std::string>>());
}

struct Case {
  Notification notification;
  std::string receiver;
  std::string external_url;
  uint64_t max_alerts = 0;
};

Case load_case(const std::filesystem::path& path) {
  const auto j = nlohmann::json::parse(read_file(path));
  Case c;
  c.receiver = j.at("receiver");
  c.external_url = j.at("external_url");
  c.max_alerts = j.at("max_alerts");
  c.notification.receiver = c.receiver;
  c.notification.group_key = j.at("group_key");
  const auto group_by = j.at("group_by").get<std::vector<std::string>>();
  for (const auto& a : j.at("alerts")) {
    Alert alert;
    alert.labels = labels_of(a.at("labels"));
    alert.annotations = a.at("annotations").get<herald::Annotations>();
    alert.starts_at = parse_time(a.at("startsAt"));
    alert.generator_url = a.at("generatorURL");
    if (a.contains("endsAt")) alert.ends_at = parse_time(a.at("endsAt"));
    if (j.contains("resolve_all")) alert.ends_at = parse_time(j.at("resolve_all"));
    if (alert.ends_at == WallTime{}) {
      c.notification.firing.push_back(alert);
    } else {
      c.notification.resolved.push_back(alert);
    }
    for (const auto& name : group_by)
      c.notification.group_labels.set(name, alert.labels.get(name));
  }
  // The router hands each list over in Alertmanager's order; the case files list alerts in any
  // order, and render_webhook only merges, so sort as the router would (job, instance, labels).
  auto before = [](const Alert& a, const Alert& b) {
    auto key = [](const Alert& x) {
      return std::tuple(!x.labels.has("job"), std::string(x.labels.get("job")),
                        !x.labels.has("instance"), std::string(x.labels.get("instance")),
                        x.labels.size(), x.labels);
    };
    return key(a) < key(b);
  };
  std::sort(c.notification.firing.begin(), c.notification.firing.end(), before);
  std::sort(c.notification.resolved.begin(), c.notification.resolved.end(), before);
  return c;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kGolden)) {
    const std::string f = e.path().filename().string();
    if (f.ends_with(".case.json")) names.push_back(f.substr(0, f.size() - 10));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("webhook: payload is byte-identical to Alertmanager 0.25's", "[notifiers][webhook]") {
  const auto names = case_names();
  REQUIRE(names.size() >= 4);
  for (const std::string& name : names) {
    INFO("case " << name);
    const Case c = load_case(kGolden / (name + ".case.json"));
    const std::string want = read_file(kGolden / (name + ".json"));
    const std::string got =
        herald::notifiers::render_webhook(c.notification, c.receiver, c.external_url, c.max_alerts);
    if (got != want) {
      size_t i = 0;
      while (i < got.size() && i < want.size() && got[i] == want[i])
        ++i;
      INFO("first difference at byte " << i << "\n got: " << got.substr(i > 40 ? i - 40 : 0, 120)
                                       << "\nwant: " << want.substr(i > 40 ? i - 40 : 0, 120));
      CHECK(got == want);
    }
  }
}
