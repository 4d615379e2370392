// herald.yml's route, time intervals and inhibit rules: each of Alertmanager's validation errors is
// one error at its file:line:column, naming the field path.
#include <catch2/catch.hpp>
#include <string>

#include "config/config.h"
#include "tests/config/config_errors_util.h"

using herald::config::testing::errors_of;
using Case = herald::config::testing::ErrorCase;

TEST_CASE("routing: each route, time interval and inhibit rule mistake is one located error",
          "[config][routing]") {
  auto c = GENERATE(values<Case>({
      {"root without receiver", "route:\n  group_by: [x]\nreceivers: [{name: a}]\n",
       "herald.yml:2:3: error: route: root route must specify a default receiver"},
      {"root with an empty receiver", "route:\n  receiver: ''\nreceivers: [{name: a}]\n",
       "herald.yml:2:3: error: route: root route must specify a default receiver"},
      {"root with matchers",
       "route:\n  receiver: a\n  matchers: ['x=\"y\"']\nreceivers: [{name: a}]\n",
       "herald.yml:3:3: error: route.matchers: root route must not have any matchers"},
      {"root with legacy match", "route:\n  receiver: a\n  match: {x: y}\nreceivers: [{name: a}]\n",
       "herald.yml:3:3: error: route.match: root route must not have any matchers"},
      {"root with continue", "route:\n  receiver: a\n  continue: true\nreceivers: [{name: a}]\n",
       "herald.yml:3:3: error: route.continue: cannot have continue in root route"},
      {"root with mute intervals",
       "route:\n  receiver: a\n  mute_time_intervals: [t]\nreceivers: [{name: a}]\ntime_intervals: "
       "[{name: t}]\n",
       "herald.yml:3:3: error: route.mute_time_intervals: root route must not have any mute time "
       "intervals"},
      {"root with active intervals",
       "route:\n  receiver: a\n  active_time_intervals: [t]\nreceivers: [{name: "
       "a}]\ntime_intervals: [{name: t}]\n",
       "herald.yml:3:3: error: route.active_time_intervals: root route must not have any active "
       "time intervals"},
      {"zero group_interval",
       "route:\n  receiver: a\n  routes:\n    - group_interval: 0s\nreceivers: [{name: a}]\n",
       "herald.yml:4:23: error: route.routes[0].group_interval: group_interval cannot be zero"},
      {"zero repeat_interval",
       "route:\n  receiver: a\n  repeat_interval: 0s\nreceivers: [{name: a}]\n",
       "herald.yml:3:20: error: route.repeat_interval: repeat_interval cannot be zero"},
      {"wildcard with labels",
       "route:\n  receiver: a\n  group_by: ['...', alertname]\nreceivers: [{name: a}]\n",
       "herald.yml:3:13: error: route.group_by: cannot have wildcard group_by (`...`) and other "
       "labels at the same time"},
      {"duplicate group_by label",
       "route:\n  receiver: a\n  group_by: [alertname, env, alertname]\nreceivers: [{name: a}]\n",
       "herald.yml:3:30: error: route.group_by: duplicated label \"alertname\" in group_by"},
      {"bad group_by label",
       "route:\n  receiver: a\n  group_by: [alert-name]\nreceivers: [{name: a}]\n",
       "herald.yml:3:14: error: route.group_by: invalid label name \"alert-name\" in group_by "
       "list"},
      {"undefined receiver",
       "route:\n  receiver: a\n  routes:\n    - receiver: a\n    - receiver: b\nreceivers: [{name: "
       "a}]\n",
       "herald.yml:5:17: error: route.routes[1].receiver: undefined receiver \"b\" used in route"},
      {"undefined time interval",
       "route:\n  receiver: a\n  routes:\n    - active_time_intervals: [t, nope]\nreceivers: "
       "[{name: a}]\ntime_intervals: [{name: t}]\n",
       "herald.yml:4:34: error: route.routes[0].active_time_intervals[1]: undefined time interval "
       "\"nope\" used in route"},
      {"duplicate receiver", "route: {receiver: a}\nreceivers:\n  - name: a\n  - name: a\n",
       "herald.yml:4:5: error: receivers[1].name: duplicate receiver name \"a\" (first at line 3)"},
      {"receiver without name",
       "route: {receiver: a}\nreceivers:\n  - name: a\n  - webhook_configs: [{url: 'http://h'}]\n",
       "herald.yml:4:5: error: receivers[1]: missing required field \"name\""},
      {"unknown integration",
       "route: {receiver: a}\nreceivers:\n  - name: a\n    opsgenie_configs: []\n",
       "herald.yml:4:5: error: receivers[0]: unknown field \"opsgenie_configs\" (allowed: name, "
       "slack_configs, email_configs, pagerduty_configs, webhook_configs, alertmanager_configs)"},
      {"unknown route field", "route:\n  receiver: a\n  matcher: ['x=y']\nreceivers: [{name: a}]\n",
       "herald.yml:3:3: error: route: unknown field \"matcher\" (allowed: receiver, group_by, "
       "continue, matchers, match, match_re, group_wait, group_interval, repeat_interval, "
       "mute_time_intervals, active_time_intervals, routes)"},
      {"bad matcher string",
       "route:\n  receiver: a\n  routes:\n    - matchers: ['env=\"prod\"', 'team']\nreceivers: "
       "[{name: a}]\n",
       "herald.yml:4:32: error: route.routes[0].matchers[1]: bad matcher format: team"},
      {"bad matcher in a list",
       "route:\n  receiver: a\n  routes:\n    - matchers: ['{env=\"prod\", "
       "1team=\"x\"}']\nreceivers: [{name: a}]\n",
       "herald.yml:4:32: error: route.routes[0].matchers[0]: bad matcher format: 1team=\"x\""},
      {"bad regex matcher",
       "route:\n  receiver: a\n  routes:\n    - matchers: ['env=~\"(\"']\nreceivers: [{name: a}]\n",
       "herald.yml:4:24: error: route.routes[0].matchers[0]: error parsing regexp: missing closing "
       "): `^(?:()$`"},
      {"bad match label",
       "route:\n  receiver: a\n  routes:\n    - match: {1env: prod}\nreceivers: [{name: a}]\n",
       "herald.yml:4:15: error: route.routes[0].match: invalid label name \"1env\""},
      {"bad match_re regex",
       "route:\n  receiver: a\n  routes:\n    - match_re: {env: '(prod'}\nreceivers: [{name: a}]\n",
       "herald.yml:4:23: error: route.routes[0].match_re.env: error parsing regexp: missing "
       "closing ): `^(?:(prod)$`"},
      {"empty match_re",
       "route:\n  receiver: a\n  routes:\n    - match_re: {env: }\nreceivers: [{name: a}]\n",
       "herald.yml:4:18: error: route.routes[0].match_re.env: missing regular expression"},
      {"duplicate time interval", "time_intervals:\n  - name: t\n  - name: t\n",
       "herald.yml:3:5: error: time_intervals[1].name: duplicate time interval name \"t\" (first "
       "at line 2)"},
      {"duplicate across mute_time_intervals",
       "time_intervals:\n  - name: t\nmute_time_intervals:\n  - name: t\n",
       "herald.yml:4:5: error: mute_time_intervals[0].name: duplicate time interval name \"t\" "
       "(first at line 2)"},
      {"time interval without name", "time_intervals:\n  - time_intervals: []\n",
       "herald.yml:2:5: error: time_intervals[0]: missing required field \"name\""},
      {"start after end",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - times: [{start_time: '18:00', "
       "end_time: '09:00'}]\n",
       "herald.yml:4:49: error: time_intervals[0].time_intervals[0].times[0]: start_time must be "
       "before end_time"},
      {"bad time",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - times: [{start_time: '9:00', "
       "end_time: '10:00'}]\n",
       "herald.yml:4:30: error: time_intervals[0].time_intervals[0].times[0].start_time: invalid "
       "time \"9:00\": expected HH:MM from 00:00 to 24:00"},
      {"time past 24:00",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - times: [{start_time: '23:00', "
       "end_time: '24:01'}]\n",
       "herald.yml:4:49: error: time_intervals[0].time_intervals[0].times[0].end_time: invalid "
       "time \"24:01\": expected HH:MM from 00:00 to 24:00"},
      {"missing end time",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - times: [{start_time: "
       "'09:00'}]\n",
       "herald.yml:4:17: error: time_intervals[0].time_intervals[0].times[0]: both start_time and "
       "end_time must be set"},
      {"bad weekday",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - weekdays: [monday, funday]\n",
       "herald.yml:4:28: error: time_intervals[0].time_intervals[0].weekdays[1]: \"funday\" is not "
       "a valid weekday (sunday … saturday)"},
      {"weekday range reversed",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - weekdays: ['friday:monday']\n",
       "herald.yml:4:20: error: time_intervals[0].time_intervals[0].weekdays[0]: end day monday is "
       "before start day friday"},
      {"weekday as a number",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - weekdays: ['1']\n",
       "herald.yml:4:20: error: time_intervals[0].time_intervals[0].weekdays[0]: \"1\" is not a "
       "valid weekday (sunday … saturday)"},
      {"day of month zero",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: ['0']\n",
       "herald.yml:4:25: error: time_intervals[0].time_intervals[0].days_of_month[0]: day of month "
       "0 is out of range (1 … 31, or -31 … -1 counted from the month's end)"},
      {"day of month out of range",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: ['1:32']\n",
       "herald.yml:4:25: error: time_intervals[0].time_intervals[0].days_of_month[0]: day of month "
       "32 is out of range (1 … 31, or -31 … -1 counted from the month's end)"},
      {"negative start positive end",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: ['-1:5']\n",
       "herald.yml:4:25: error: time_intervals[0].time_intervals[0].days_of_month[0]: end day must "
       "be negative if start day is negative"},
      {"day range always empty",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: ['10:5']\n",
       "herald.yml:4:25: error: time_intervals[0].time_intervals[0].days_of_month[0]: end day 5 is "
       "always before start day 10"},
      {"bad range format",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: ['1:2:3']\n",
       "herald.yml:4:25: error: time_intervals[0].time_intervals[0].days_of_month[0]: invalid "
       "range \"1:2:3\": expected a value or start:end"},
      {"bad month", "time_intervals:\n  - name: t\n    time_intervals:\n      - months: [smarch]\n",
       "herald.yml:4:18: error: time_intervals[0].time_intervals[0].months[0]: \"smarch\" is not a "
       "valid month (january … december or 1 … 12)"},
      {"month range reversed",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - months: ['may:january']\n",
       "herald.yml:4:18: error: time_intervals[0].time_intervals[0].months[0]: end month january "
       "is before start month may"},
      {"month number out of range",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - months: ['12:13']\n",
       "herald.yml:4:18: error: time_intervals[0].time_intervals[0].months[0]: month is out of "
       "range (1 … 12)"},
      {"year range reversed",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - years: ['2022:2020']\n",
       "herald.yml:4:17: error: time_intervals[0].time_intervals[0].years[0]: end year 2020 is "
       "before start year 2022"},
      {"year not a number",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - years: [twenty]\n",
       "herald.yml:4:17: error: time_intervals[0].time_intervals[0].years[0]: \"twenty\" is not a "
       "number"},
      {"unknown location",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - location: Mars/Olympus\n",
       "herald.yml:4:19: error: time_intervals[0].time_intervals[0].location: unknown time zone "
       "\"Mars/Olympus\" (no such zone file under /usr/share/zoneinfo)"},
      {"location is a directory",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - location: Europe\n",
       "herald.yml:4:19: error: time_intervals[0].time_intervals[0].location: unknown time zone "
       "\"Europe\" (no such zone file under /usr/share/zoneinfo)"},
      {"location escapes zoneinfo",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - location: ../../etc/passwd\n",
       "herald.yml:4:19: error: time_intervals[0].time_intervals[0].location: unknown time zone "
       "\"../../etc/passwd\""},
      {"unknown time interval field",
       "time_intervals:\n  - name: t\n    time_intervals:\n      - time_zone: UTC\n",
       "herald.yml:4:9: error: time_intervals[0].time_intervals[0]: unknown field \"time_zone\" "
       "(allowed: times, weekdays, days_of_month, months, years, location)"},
      {"inhibit bad source label", "inhibit_rules:\n  - source_match: {1a: b}\n",
       "herald.yml:2:20: error: inhibit_rules[0].source_match: invalid label name \"1a\""},
      {"inhibit bad target regex", "inhibit_rules:\n  - target_match_re: {a: '['}\n",
       "herald.yml:2:26: error: inhibit_rules[0].target_match_re.a: error parsing regexp: missing "
       "closing ]: `[)$`"},
      {"inhibit bad matcher",
       "inhibit_rules:\n  - source_matchers: ['a=\"b\"']\n    target_matchers: ['a=\"b']\n",
       "herald.yml:3:26: error: inhibit_rules[0].target_matchers[0]: matcher value contains "
       "unescaped double quote: \"b"},
      {"inhibit bad equal", "inhibit_rules:\n  - equal: [cluster, 1bad]\n",
       "herald.yml:2:22: error: inhibit_rules[0].equal: \"1bad\" is not a valid label name"},
  }));
  CAPTURE(c.what, c.yaml);
  std::vector<std::string> errors = errors_of(c.yaml);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == c.error);
}

TEST_CASE("routing: every mistake in the routing sections is reported", "[config][routing]") {
  std::vector<std::string> errors = errors_of(
      "route:\n"
      "  group_by: [a, a]\n"  // duplicate label; and no receiver
      "  routes:\n"
      "    - receiver: nope\n"                  // undefined receiver
      "      matchers: ['x=~\"(\"']\n"          // bad regex
      "      mute_time_intervals: [missing]\n"  // undefined interval
      "      group_interval: 0s\n"              // zero
      "receivers: [{name: a}, {name: a}]\n"     // duplicate name
      "inhibit_rules: [{equal: ['b-c']}]\n"     // bad label name
      "time_intervals:\n"
      "  - name: t\n"
      "    time_intervals: [{weekdays: [someday], months: [13]}]\n");  // two bad ranges
  CHECK(errors.size() == 10);
}
