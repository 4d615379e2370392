// Inhibition as Alertmanager's inhibit.Inhibitor (v0.25): a table of (rules, observed alerts,
// target, now) → the inhibiting alerts, then the cache's life cycle (replace, forget, gc).
#include "router/inhibitor.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/router/route_builders.h"

namespace rt = herald::router;
namespace cfg = herald::config;
using herald::Alert;
using herald::Fingerprint;
using herald::LabelSet;
using herald::WallTime;
using herald::router::testing::ms;
using namespace std::chrono_literals;

namespace {

const WallTime kNow = WallTime{} + std::chrono::hours(24 * 365 * 54);

// "a=b,c=d" → LabelSet (test input only: no quoting).
LabelSet labels(const std::string& text) {
  LabelSet out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    const std::string pair = text.substr(pos, comma - pos);
    const size_t eq = pair.find('=');
    out.set(pair.substr(0, eq), pair.substr(eq + 1));
    pos = comma + 1;
  }
  return out;
}

cfg::InhibitRule rule(const std::string& source, const std::string& target,
                      std::vector<std::string> equal = {}) {
  cfg::InhibitRule r;
  r.source_matchers = ms(source);
  r.target_matchers = ms(target);
  r.equal = std::move(equal);
  return r;
}

struct Source {
  std::string labels;
  herald::Duration ends_in{};  // relative to kNow; zero: no end
  bool has_end = false;
};

Source firing(std::string l) {
  return {std::move(l), {}, false};
}
Source ending(std::string l, herald::Duration in) {
  return {std::move(l), in, true};
}

Alert alert(const Source& s) {
  Alert a;
  a.labels = labels(s.labels);
  a.starts_at = kNow - 1h;
  if (s.has_end) a.ends_at = kNow + s.ends_in;
  return a;
}

struct Row {
  const char* what;
  std::vector<cfg::InhibitRule> rules;
  std::vector<Source> alerts;
  std::string target;
  std::vector<size_t> want;  // indices into `alerts`
};

const cfg::InhibitRule kCritical =
    rule(R"(severity="critical")", R"(severity="warning")", {"instance"});

}  // namespace

TEST_CASE("inhibitor: which firing sources inhibit a target", "[router][inhibit]") {
  const Row row = GENERATE(values<Row>({
      {"equal label present and equal",
       {kCritical},
       {firing("alertname=Down,severity=critical,instance=a")},
       "alertname=Slow,severity=warning,instance=a",
       {0}},
      {"equal label differs",
       {kCritical},
       {firing("alertname=Down,severity=critical,instance=b")},
       "alertname=Slow,severity=warning,instance=a",
       {}},
      {"equal label missing on both sides counts as equal",
       {kCritical},
       {firing("alertname=Down,severity=critical")},
       "alertname=Slow,severity=warning",
       {0}},
      {"equal label missing on the source only",
       {kCritical},
       {firing("alertname=Down,severity=critical")},
       "alertname=Slow,severity=warning,instance=a",
       {}},
      {"equal label missing on the target only",
       {kCritical},
       {firing("alertname=Down,severity=critical,instance=a")},
       "alertname=Slow,severity=warning",
       {}},
      {"every equal label must agree",
       {rule(R"(severity="critical")", R"(severity="warning")", {"cluster", "namespace"})},
       {firing("severity=critical,cluster=c1,namespace=x"),
        firing("severity=critical,cluster=c1,namespace=y")},
       "severity=warning,cluster=c1,namespace=y",
       {1}},
      {"no equal labels: any firing source",
       {rule(R"(alertname="ClusterDown")", R"(severity="warning")")},
       {firing("alertname=ClusterDown"), firing("alertname=Other")},
       "alertname=Slow,severity=warning,instance=a",
       {0}},
      {"a resolved source does not inhibit",
       {kCritical},
       {ending("severity=critical,instance=a", -1s)},
       "severity=warning,instance=a",
       {}},
      {"a source ending exactly now is resolved",
       {kCritical},
       {ending("severity=critical,instance=a", 0s)},
       "severity=warning,instance=a",
       {}},
      {"a source with a future end is firing",
       {kCritical},
       {ending("severity=critical,instance=a", 1s)},
       "severity=warning,instance=a",
       {0}},
      {"source matchers must match the source",
       {kCritical},
       {firing("severity=info,instance=a")},
       "severity=warning,instance=a",
       {}},
      {"target matchers must match the target",
       {kCritical},
       {firing("severity=critical,instance=a")},
       "severity=info,instance=a",
       {}},
      {"regex source matchers are anchored",
       {rule(R"(severity=~"crit")", R"(severity="warning")")},
       {firing("severity=critical")},
       "severity=warning",
       {}},
      // An alert matching both sides of a rule: excludeTwoSidedMatch.
      {"an alert does not inhibit itself",
       {rule(R"(severity="critical")", R"(alertname="X")")},
       {firing("alertname=X,severity=critical")},
       "alertname=X,severity=critical",
       {}},
      {"a two-sided target is inhibited by one-sided sources only",
       {rule(R"(severity="critical")", R"(alertname="X")")},
       {firing("alertname=X,severity=critical"), firing("alertname=Y,severity=critical"),
        firing("alertname=X,severity=critical,instance=c")},
       "alertname=X,severity=critical",
       {1}},
      {"a one-sided target is inhibited by two-sided sources too",
       {rule(R"(severity="critical")", R"(alertname="X")")},
       {firing("alertname=X,severity=critical"), firing("alertname=Y,severity=critical"),
        firing("alertname=X,severity=critical,instance=c")},
       "alertname=X,severity=warning",
       {0, 1, 2}},
      {"several rules: the union of their sources",
       {kCritical, rule(R"(alertname="Maintenance")", R"(severity="warning")")},
       {firing("severity=critical,instance=a"), firing("alertname=Maintenance"),
        firing("severity=critical,instance=b")},
       "severity=warning,instance=a",
       {0, 1}},
      {"a source inhibiting through two rules is reported once",
       {kCritical, rule(R"(severity="critical")", R"(instance="a")")},
       {firing("severity=critical,instance=a")},
       "severity=warning,instance=a",
       {0}},
      {"only the rule whose target matches applies",
       {rule(R"(alertname="A")", R"(team="x")"), rule(R"(alertname="B")", R"(team="y")")},
       {firing("alertname=A"), firing("alertname=B")},
       "team=y",
       {1}},
      {"no rules", {}, {firing("severity=critical")}, "severity=warning", {}},
  }));
  INFO(row.what);
  rt::Inhibitor inhibitor(row.rules);
  std::vector<Fingerprint> want;
  for (const Source& s : row.alerts)
    inhibitor.observe(alert(s));
  for (size_t i : row.want)
    want.push_back(labels(row.alerts[i].labels).fingerprint());
  std::sort(want.begin(), want.end());
  CHECK(inhibitor.inhibited_by(labels(row.target), kNow) == want);
}

TEST_CASE("inhibitor: observe replaces by fingerprint, forget and gc drop sources",
          "[router][inhibit]") {
  rt::Inhibitor inhibitor({kCritical});
  const LabelSet target = labels("severity=warning,instance=a");
  Alert source = alert(firing("severity=critical,instance=a"));
  const Fingerprint fp = source.labels.fingerprint();

  inhibitor.observe(alert(firing("severity=info,instance=a")));  // not a source
  CHECK(inhibitor.source_count() == 0);
  inhibitor.observe(source);
  CHECK(inhibitor.inhibited_by(target, kNow) == std::vector<Fingerprint>{fp});

  SECTION("a resolved update ends the inhibition") {
    source.ends_at = kNow;
    inhibitor.observe(source);
    CHECK(inhibitor.source_count() == 1);
    CHECK(inhibitor.inhibited_by(target, kNow).empty());
    CHECK(inhibitor.inhibited_by(target, kNow - 1s) == std::vector<Fingerprint>{fp});
    inhibitor.gc(kNow - 1s);
    CHECK(inhibitor.source_count() == 1);
    inhibitor.gc(kNow);
    CHECK(inhibitor.source_count() == 0);
    CHECK(inhibitor.inhibited_by(target, kNow - 1s).empty());
  }
  SECTION("a firing update keeps it") {
    source.ends_at = kNow + 5min;
    inhibitor.observe(source);
    CHECK(inhibitor.source_count() == 1);
    CHECK(inhibitor.inhibited_by(target, kNow + 4min) == std::vector<Fingerprint>{fp});
    CHECK(inhibitor.inhibited_by(target, kNow + 5min).empty());
  }
  SECTION("forget drops it") {
    inhibitor.forget(fp);
    inhibitor.forget(fp);  // unknown: ignored
    CHECK(inhibitor.source_count() == 0);
    CHECK(inhibitor.inhibited_by(target, kNow).empty());
  }
}
