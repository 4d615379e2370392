// Time intervals as timeinterval.ContainsTime (Alertmanager 0.25) evaluates them, as tables of
// (interval, UTC instant, inside?), and the mute/active rule of TimeMuteStage/TimeActiveStage.
#include "router/time_interval.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

namespace rt = herald::router;
namespace cfg = herald::config;
using herald::WallTime;
using namespace std::chrono_literals;

namespace {

WallTime utc(int y, unsigned mo, unsigned d, int h = 12, int mi = 0, int s = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{mo} / day{d}} + hours(h) + minutes(mi) + seconds(s);
}

// Terse TimeIntervalSpec builder: spec().times(...).weekdays(...) etc.
struct SpecBuilder {
  cfg::TimeIntervalSpec s;
  SpecBuilder& times(int h1, int m1, int h2, int m2) {
    s.times.push_back({h1 * 60 + m1, h2 * 60 + m2});
    return *this;
  }
  SpecBuilder& weekdays(int b, int e) { return add(s.weekdays, b, e); }
  SpecBuilder& days(int b, int e) { return add(s.days_of_month, b, e); }
  SpecBuilder& months(int b, int e) { return add(s.months, b, e); }
  SpecBuilder& years(int b, int e) { return add(s.years, b, e); }
  SpecBuilder& in(std::string location) {
    s.location = std::move(location);
    return *this;
  }
  operator cfg::TimeIntervalSpec() const { return s; }  // NOLINT: a builder

 private:
  SpecBuilder& add(std::vector<cfg::InclusiveRange>& v, int b, int e) {
    v.push_back({b, e});
    return *this;
  }
};
SpecBuilder spec() {
  return {};
}

struct Row {
  const char* what;
  cfg::TimeIntervalSpec spec;
  WallTime t;
  bool want;
};

enum Weekday { kSunday, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

}  // namespace

TEST_CASE("time_interval: times are [start, end) minutes of the day", "[router][time_interval]") {
  const Row row = GENERATE(values<Row>({
      {"empty spec contains everything", spec(), utc(2024, 1, 1, 3), true},
      {"start is inclusive", spec().times(9, 0, 17, 0), utc(2024, 1, 1, 9, 0), true},
      {"a second before start", spec().times(9, 0, 17, 0), utc(2024, 1, 1, 8, 59, 59), false},
      {"last second before end", spec().times(9, 0, 17, 0), utc(2024, 1, 1, 16, 59, 59), true},
      {"end is exclusive", spec().times(9, 0, 17, 0), utc(2024, 1, 1, 17, 0), false},
      {"24:00 end includes 23:59:59", spec().times(23, 0, 24, 0), utc(2024, 1, 1, 23, 59, 59),
       true},
      {"24:00 end excludes next midnight", spec().times(23, 0, 24, 0), utc(2024, 1, 2, 0, 0),
       false},
      {"00:00-24:00 includes midnight", spec().times(0, 0, 24, 0), utc(2024, 1, 2, 0, 0), true},
      {"any of several ranges", spec().times(1, 0, 2, 0).times(5, 0, 6, 0), utc(2024, 1, 1, 5, 30),
       true},
      {"none of several ranges", spec().times(1, 0, 2, 0).times(5, 0, 6, 0), utc(2024, 1, 1, 3, 30),
       false},
  }));
  INFO(row.what);
  CHECK(rt::contains(row.spec, row.t) == row.want);
}

TEST_CASE("time_interval: weekdays, months and years", "[router][time_interval]") {
  // 2024-01-01 is a Monday.
  const Row row = GENERATE(values<Row>({
      {"monday:friday has monday", spec().weekdays(kMonday, kFriday), utc(2024, 1, 1), true},
      {"monday:friday has friday", spec().weekdays(kMonday, kFriday), utc(2024, 1, 5), true},
      {"monday:friday lacks saturday", spec().weekdays(kMonday, kFriday), utc(2024, 1, 6), false},
      {"monday:friday lacks sunday", spec().weekdays(kMonday, kFriday), utc(2024, 1, 7), false},
      {"sunday is 0", spec().weekdays(kSunday, kSunday), utc(2024, 1, 7), true},
      {"saturday is 6", spec().weekdays(kSaturday, kSaturday), utc(2024, 1, 6), true},
      {"saturday lacks friday", spec().weekdays(kSaturday, kSaturday), utc(2024, 1, 5), false},
      {"weekdays and times: monday 10:00", spec().weekdays(kMonday, kFriday).times(9, 0, 17, 0),
       utc(2024, 1, 1, 10), true},
      {"weekdays and times: saturday 10:00", spec().weekdays(kMonday, kFriday).times(9, 0, 17, 0),
       utc(2024, 1, 6, 10), false},
      {"weekdays and times: monday 18:00", spec().weekdays(kMonday, kFriday).times(9, 0, 17, 0),
       utc(2024, 1, 1, 18), false},
      {"may:august has may 1st", spec().months(5, 8), utc(2024, 5, 1, 0), true},
      {"may:august lacks april 30th", spec().months(5, 8), utc(2024, 4, 30, 23, 59), false},
      {"may:august lacks september", spec().months(5, 8), utc(2024, 9, 1, 0), false},
      {"2020:2022 has the last second of 2022", spec().years(2020, 2022),
       utc(2022, 12, 31, 23, 59, 59), true},
      {"2020:2022 lacks 2023", spec().years(2020, 2022), utc(2023, 1, 1, 0), false},
      {"2020:2022 lacks 2019", spec().years(2020, 2022), utc(2019, 12, 31, 23), false},
  }));
  INFO(row.what);
  CHECK(rt::contains(row.spec, row.t) == row.want);
}

TEST_CASE("time_interval: days of month, negative ones from the month's end",
          "[router][time_interval]") {
  const Row row = GENERATE(values<Row>({
      {"-1 is feb 29th in a leap year", spec().days(-1, -1), utc(2024, 2, 29), true},
      {"-1 is not feb 28th in a leap year", spec().days(-1, -1), utc(2024, 2, 28), false},
      {"-1 is feb 28th otherwise", spec().days(-1, -1), utc(2023, 2, 28), true},
      {"-1 is not feb 27th otherwise", spec().days(-1, -1), utc(2023, 2, 27), false},
      {"-3:-1 starts feb 27th in a leap year", spec().days(-3, -1), utc(2024, 2, 27), true},
      {"-3:-1 lacks feb 26th in a leap year", spec().days(-3, -1), utc(2024, 2, 26), false},
      {"-3:-1 starts feb 26th otherwise", spec().days(-3, -1), utc(2023, 2, 26), true},
      {"-3:-1 lacks feb 25th otherwise", spec().days(-3, -1), utc(2023, 2, 25), false},
      {"-1 is jan 31st", spec().days(-1, -1), utc(2024, 1, 31), true},
      {"-1 is apr 30th", spec().days(-1, -1), utc(2024, 4, 30), true},
      // -31:-28 reaches before the month's start in February: clamped, it ends on day 1 (2023)
      // or day 2 (2024); in a 31-day month it is 1:4.
      {"-31:-28 is feb 1st in 2023", spec().days(-31, -28), utc(2023, 2, 1), true},
      {"-31:-28 is not feb 2nd in 2023", spec().days(-31, -28), utc(2023, 2, 2), false},
      {"-31:-28 is feb 2nd in 2024", spec().days(-31, -28), utc(2024, 2, 2), true},
      {"-31:-28 is not feb 3rd in 2024", spec().days(-31, -28), utc(2024, 2, 3), false},
      {"-31:-28 is mar 4th", spec().days(-31, -28), utc(2023, 3, 4), true},
      {"-31:-28 is not mar 5th", spec().days(-31, -28), utc(2023, 3, 5), false},
      {"10:-10 ends feb 20th in a leap year", spec().days(10, -10), utc(2024, 2, 20), true},
      {"10:-10 lacks feb 21st in a leap year", spec().days(10, -10), utc(2024, 2, 21), false},
      {"10:-10 ends feb 19th otherwise", spec().days(10, -10), utc(2023, 2, 19), true},
      {"10:-10 lacks feb 20th otherwise", spec().days(10, -10), utc(2023, 2, 20), false},
      {"29:31 is feb 29th in a leap year", spec().days(29, 31), utc(2024, 2, 29), true},
      {"29:31 is not march 1st", spec().days(29, 31), utc(2023, 3, 1), false},
      {"1:5 has the 5th", spec().days(1, 5), utc(2024, 6, 5, 23, 59), true},
      {"1:5 lacks the 6th", spec().days(1, 5), utc(2024, 6, 6, 0), false},
  }));
  INFO(row.what);
  CHECK(rt::contains(row.spec, row.t) == row.want);
}

TEST_CASE("time_interval: a location reads wall-clock time across DST (Europe/Berlin)",
          "[router][time_interval]") {
  const std::string berlin = "Europe/Berlin";
  // Clocks spring forward 2024-03-31 02:00 CET → 03:00 CEST (01:00Z) and fall back 2024-10-27
  // 03:00 CEST → 02:00 CET (01:00Z).
  const Row row = GENERATE_COPY(values<Row>({
      {"08:00-09:00 in winter time (+1)", spec().times(8, 0, 9, 0).in(berlin),
       utc(2024, 3, 29, 7, 30), true},
      {"08:00-09:00 in summer time (+2)", spec().times(8, 0, 9, 0).in(berlin),
       utc(2024, 4, 2, 6, 30), true},
      {"08:00-09:00: 07:30Z is 09:30 in summer", spec().times(8, 0, 9, 0).in(berlin),
       utc(2024, 4, 2, 7, 30), false},
      {"without a location the same instant is UTC", spec().times(8, 0, 9, 0),
       utc(2024, 4, 2, 6, 30), false},
      {"spring forward: 01:59 CET is before the skipped hour", spec().times(2, 0, 3, 0).in(berlin),
       utc(2024, 3, 31, 0, 59), false},
      {"spring forward: the next second is 03:00 CEST", spec().times(2, 0, 3, 0).in(berlin),
       utc(2024, 3, 31, 1, 0), false},
      {"fall back: first 02:30 (CEST)", spec().times(2, 0, 3, 0).in(berlin),
       utc(2024, 10, 27, 0, 30), true},
      {"fall back: second 02:30 (CET)", spec().times(2, 0, 3, 0).in(berlin),
       utc(2024, 10, 27, 1, 30), true},
      {"fall back: 03:00 CET", spec().times(2, 0, 3, 0).in(berlin), utc(2024, 10, 27, 2, 0), false},
      {"saturday begins at local midnight", spec().weekdays(kSaturday, kSaturday).in(berlin),
       utc(2024, 3, 29, 23, 30), true},
      {"still friday in UTC", spec().weekdays(kSaturday, kSaturday), utc(2024, 3, 29, 23, 30),
       false},
      {"april 1st begins at local midnight", spec().days(1, 1).months(4, 4).in(berlin),
       utc(2024, 3, 31, 22, 30), true},
      {"new year begins at local midnight", spec().years(2025, 2025).in(berlin),
       utc(2024, 12, 31, 23, 30), true},
      // timeinterval.go counts a month's days as whole 24 h between its first and the next
      // month's midnight: a spring-forward month is 30 days long in Berlin, so -1 is March 30th.
      {"Alertmanager's -1 in Berlin's March is the 30th", spec().days(-1, -1).in(berlin),
       utc(2024, 3, 30), true},
      {"Alertmanager's -1 in Berlin's March is not the 31st", spec().days(-1, -1).in(berlin),
       utc(2024, 3, 31), false},
      {"-1 in UTC's March is the 31st", spec().days(-1, -1), utc(2024, 3, 31), true},
      {"-1 in Berlin's October (fall back) is the 31st", spec().days(-1, -1).in(berlin),
       utc(2024, 10, 31), true},
      {"UTC named explicitly", spec().times(8, 0, 9, 0).in("UTC"), utc(2024, 4, 2, 8, 30), true},
  }));
  INFO(row.what);
  CHECK(rt::contains(row.spec, row.t) == row.want);
}

TEST_CASE("time_interval: location Local is the host's zone ($TZ)", "[router][time_interval]") {
  const char* saved = std::getenv("TZ");
  const std::optional<std::string> old = saved ? std::optional<std::string>(saved) : std::nullopt;
  ::setenv("TZ", "Asia/Kolkata", 1);  // +05:30, no DST
  const cfg::TimeIntervalSpec morning = spec().times(9, 0, 10, 0).in("Local");
  CHECK(rt::contains(morning, utc(2024, 6, 1, 3, 30)));        // 09:00 IST
  CHECK_FALSE(rt::contains(morning, utc(2024, 6, 1, 9, 30)));  // 09:30 UTC, 15:00 IST
  CHECK_FALSE(rt::contains(morning, utc(2024, 6, 1, 4, 30)));  // 10:00 IST
  ::setenv("TZ", "UTC", 1);
  CHECK(rt::contains(morning, utc(2024, 6, 1, 9, 30)));
  if (old) {
    ::setenv("TZ", old->c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
}

TEST_CASE("time_interval: an interval is any of its specs", "[router][time_interval]") {
  cfg::TimeInterval ti;
  ti.name = "weekends-or-nights";
  ti.time_intervals = {spec().weekdays(kSaturday, kSaturday).weekdays(kSunday, kSunday),
                       spec().times(0, 0, 6, 0)};
  CHECK(rt::contains(ti, utc(2024, 1, 6, 12)));                        // saturday noon
  CHECK(rt::contains(ti, utc(2024, 1, 3, 5, 59)));                     // wednesday night
  CHECK_FALSE(rt::contains(ti, utc(2024, 1, 3, 6)));                   // wednesday 06:00
  CHECK_FALSE(rt::contains(cfg::TimeInterval{}, utc(2024, 1, 3, 6)));  // no specs: nothing
}

TEST_CASE("time_interval: muted by a mute interval or outside every active one",
          "[router][time_interval]") {
  // Static: the generator keeps pointers to them beyond this scope.
  static const cfg::TimeInterval inside{"inside", {spec().years(2024, 2024)}, {}};
  static const cfg::TimeInterval outside{"outside", {spec().years(2020, 2020)}, {}};
  using List = std::vector<const cfg::TimeInterval*>;
  struct MuteRow {
    const char* what;
    List mute, active;
    bool want;
  };
  const MuteRow row = GENERATE(values<MuteRow>({
      {"no intervals", {}, {}, false},
      {"inside a mute interval", {&inside}, {}, true},
      {"outside the mute interval", {&outside}, {}, false},
      {"inside one of two mute intervals", {&outside, &inside}, {}, true},
      {"inside the active interval", {}, {&inside}, false},
      {"outside the active interval", {}, {&outside}, true},
      {"inside one of two active intervals", {}, {&outside, &inside}, false},
      {"mute wins over active", {&inside}, {&inside}, true},
  }));
  INFO(row.what);
  CHECK(rt::muted(row.mute, row.active, utc(2024, 7, 1)) == row.want);
}
