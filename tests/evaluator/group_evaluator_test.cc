// GroupEvaluator with a fake datasource: labelling, templating, ordering, frozen state on errors.
#include "evaluator/group_evaluator.h"

#include <catch2/catch.hpp>

namespace ev = herald::evaluator;
using herald::AlertState;
using herald::FakeClock;
using herald::LabelSet;
using herald::WallTime;
using namespace std::chrono_literals;

namespace {

const WallTime kT0 = WallTime{} + 1'699'999'980s;

constexpr const char* kRules = R"(groups:
  - name: llm
    interval: 10s
    labels: {team: ml}
    rules:
      - alert: HighErrorRate
        expr: error_ratio > 0.05
        for: 20s
        labels: {severity: critical, model_copy: "{{ $labels.model }}"}
        annotations:
          summary: "{{ $labels.model }} at {{ $value | humanizePercentage }}"
          since: "{{ $activeAt.Unix }}"
      - alert: Broken
        expr: broken_metric
        annotations: {summary: "{{ index $labels }}"}
)";

herald::config::RuleGroup load_group() {
  auto loaded = herald::config::parse_rule_file("rules.yml", kRules);
  INFO((loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string()));
  REQUIRE(loaded.ok());
  return loaded.value->groups.at(0);
}

// A datasource whose answers the test sets; counts queries and records their times.
struct FakeDatasource {
  std::map<std::string, herald::Result<ev::QueryResult>> answers;
  std::vector<std::pair<std::string, WallTime>> queries;
  ev::QueryFn fn() {
    return [this](std::string_view expr, WallTime ts) -> herald::Result<ev::QueryResult> {
      queries.emplace_back(std::string(expr), ts);
      auto it = answers.find(std::string(expr));
      if (it == answers.end()) return ev::QueryResult{};
      return it->second;
    };
  }
};

ev::QueryResult one_sample(const char* model, double v) {
  return ev::QueryResult{{{LabelSet{{"__name__", "error_ratio"}, {"model", model}}, v}}, {}};
}

}  // namespace

TEST_CASE("group evaluator: labels, templates and the for clock", "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.0723);
  ev::GroupEvaluator g("rules.yml", load_group(), {10s, 1min, {}, "", "http://prom:9090"}, ds.fn(),
                       clock);
  CHECK(g.interval() == 10s);

  auto e1 = g.evaluate(kT0);
  REQUIRE(ds.queries.size() == 2);  // rules in file order, one timestamp
  CHECK(ds.queries[0] == std::pair<std::string, WallTime>{"error_ratio > 0.05", kT0});
  CHECK(ds.queries[1].first == "broken_metric");
  REQUIRE(e1.transitions.size() == 1);
  CHECK(e1.transitions[0].transition.to == AlertState::kPending);
  CHECK(e1.to_send.empty());  // pending is never sent

  const auto st = g.status();
  const ev::RuleStatus& r = st.rules.at(0);
  REQUIRE(r.alerts.size() == 1);
  const herald::RuleAlert& a = r.alerts[0];
  CHECK(a.labels == LabelSet{{"alertname", "HighErrorRate"},
                             {"model", "llama3-8b"},
                             {"model_copy", "llama3-8b"},
                             {"severity", "critical"},
                             {"team", "ml"}});
  CHECK(a.annotations.at("summary") == "llama3-8b at 7.23%");
  CHECK(a.annotations.at("since") ==
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(kT0.time_since_epoch()).count()));
  CHECK(r.health == ev::RuleHealth::kOk);
  CHECK(st.rules.at(1).health == ev::RuleHealth::kOk);  // runtime template errors don't fail

  g.evaluate(kT0 + 10s);
  auto e3 = g.evaluate(kT0 + 20s);
  REQUIRE(e3.transitions.size() == 1);
  CHECK(e3.transitions[0].transition.to == AlertState::kFiring);
  REQUIRE(e3.to_send.size() == 1);
  CHECK(e3.to_send[0].starts_at == kT0 + 20s);
  CHECK(e3.to_send[0].generator_url ==
        "http://prom:9090/graph?g0.expr=error_ratio+%3E+0.05&g0.tab=1");
}

TEST_CASE("group evaluator: sent alerts carry the external labels they lack, as Prometheus sends",
          "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.0723);
  const LabelSet external{{"cluster", "prod-kr"}, {"team", "platform"}};
  ev::GroupEvaluator g("rules.yml", load_group(), {10s, 1min, external, "", ""}, ds.fn(), clock);
  g.evaluate(kT0);
  g.evaluate(kT0 + 10s);
  auto e = g.evaluate(kT0 + 20s);
  REQUIRE(e.to_send.size() == 1);
  CHECK(e.to_send[0].labels.get("cluster") == "prod-kr");
  CHECK(e.to_send[0].labels.get("team") == "ml");  // the alert's own label wins
  // The rule's alerts (the API's view) stay without them, as in Prometheus.
  CHECK_FALSE(g.status().rules.at(0).alerts.at(0).labels.has("cluster"));
}

TEST_CASE("group evaluator: a failed query freezes alerts and keeps re-sending them",
          "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.1);
  ev::GroupEvaluator g("rules.yml", load_group(), {10s, 1min, {}, "", "http://prom:9090"}, ds.fn(),
                       clock);
  g.evaluate(kT0);
  g.evaluate(kT0 + 20s);  // firing
  ds.answers["error_ratio > 0.05"] = herald::unavailable("connection refused");
  for (int i = 3; i <= 12; ++i) {
    auto e = g.evaluate(kT0 + i * 10s);
    CHECK(e.query_failed);
    CHECK(e.transitions.empty());  // nothing resolves while the datasource is down
  }
  const auto st = g.status();
  CHECK(st.rules.at(0).health == ev::RuleHealth::kErr);
  CHECK(st.rules.at(0).last_error == "connection refused");
  REQUIRE(st.rules.at(0).alerts.size() == 1);
  CHECK(st.rules.at(0).alerts[0].state == AlertState::kFiring);
  CHECK(st.rules.at(0).alerts[0].active_at == kT0);
  // Re-sent every resend delay, so an external Alertmanager never auto-resolves it.
  CHECK(*st.rules.at(0).alerts[0].last_sent_at > kT0 + 60s);

  ds.answers["error_ratio > 0.05"] = ev::QueryResult{};
  auto back = g.evaluate(kT0 + 130s);
  REQUIRE(back.transitions.size() == 1);
  CHECK(back.transitions[0].transition.to == AlertState::kInactive);
  CHECK(g.status().rules.at(0).health == ev::RuleHealth::kOk);
}

TEST_CASE("group evaluator: duplicate label sets make the rule err without changing alerts",
          "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  ds.answers["error_ratio > 0.05"] =
      ev::QueryResult{{{LabelSet{{"__name__", "a"}, {"model", "m"}}, 1},
                       {LabelSet{{"__name__", "b"}, {"model", "m"}}, 2}},
                      {}};
  ev::GroupEvaluator g("rules.yml", load_group(), {10s, 1min, {}, "", ""}, ds.fn(), clock);
  auto e = g.evaluate(kT0);
  REQUIRE(e.errors.size() == 1);
  CHECK_THAT(e.errors[0], Catch::Contains("HighErrorRate"));
  CHECK(g.status().rules.at(0).health == ev::RuleHealth::kErr);
  CHECK(g.status().rules.at(0).alerts.empty());
}

namespace {

// Records every write; fails while `fail` is set (a locked database, a full disk).
struct FakeStore {
  std::vector<herald::storage::AlertWrite> writes;
  bool fail = false;
  ev::PersistFn fn() {
    return [this](const herald::storage::AlertWrite& w) -> herald::Result<size_t> {
      if (fail) return herald::unavailable("database is locked");
      writes.push_back(w);
      return w.changes.size() + w.transitions.size();
    };
  }
};

}  // namespace

TEST_CASE("group evaluator: an evaluation that changes nothing writes nothing", "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  FakeStore store;
  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.1);
  ev::GroupEvaluator g("rules.yml", load_group(), {10s, 1min, {}, "", ""}, ds.fn(), clock,
                       store.fn());
  g.evaluate(kT0);  // pending: one alert row + one transition
  REQUIRE(store.writes.size() == 1);
  CHECK(store.writes[0].changes.size() == 1);
  REQUIRE(store.writes[0].transitions.size() == 1);
  CHECK(store.writes[0].transitions[0].rule ==
        herald::storage::RuleKey{"rules.yml", "llm", "HighErrorRate", 0});

  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.2);  // value changes only
  g.evaluate(kT0 + 10s);
  CHECK(store.writes.size() == 1);

  g.evaluate(kT0 + 20s);  // fires and is sent: one write
  REQUIRE(store.writes.size() == 2);
  CHECK(store.writes[1].changes.at(0).alert->last_sent_at == kT0 + 20s);
  g.evaluate(kT0 + 30s);  // firing, resend not due
  g.evaluate(kT0 + 40s);
  CHECK(store.writes.size() == 2);
}

TEST_CASE("group evaluator: a failed write discards the evaluation and the next retries",
          "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  FakeStore store;
  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.1);
  ev::GroupEvaluator g("rules.yml", load_group(), {10s, 1min, {}, "", ""}, ds.fn(), clock,
                       store.fn());
  store.fail = true;
  auto e1 = g.evaluate(kT0);
  REQUIRE(e1.persist_error);
  CHECK(e1.transitions.empty());
  CHECK(e1.to_send.empty());
  auto st1 = g.status();
  CHECK(st1.rules[0].alerts.empty());  // nothing happened that is not on disk
  CHECK(st1.rules[0].health == ev::RuleHealth::kErr);
  CHECK(st1.rules[0].last_error == "storage: database is locked");
  CHECK(std::find(e1.errors.begin(), e1.errors.end(), "storage: database is locked") !=
        e1.errors.end());

  store.fail = false;
  auto e2 = g.evaluate(kT0 + 10s);
  CHECK_FALSE(e2.persist_error);
  REQUIRE(e2.transitions.size() == 1);
  CHECK(e2.transitions[0].transition.at == kT0 + 10s);
  auto st2 = g.status();
  CHECK(st2.rules[0].health == ev::RuleHealth::kOk);
  REQUIRE(st2.rules[0].alerts.size() == 1);
  CHECK(st2.rules[0].alerts[0].active_at == kT0 + 10s);
}

TEST_CASE("group evaluator: seeded alerts continue where they were (restart, reload)",
          "[evaluator]") {
  FakeClock clock(kT0);
  FakeDatasource ds;
  ds.answers["error_ratio > 0.05"] = one_sample("llama3-8b", 0.1);
  ev::GroupEvaluator first("rules.yml", load_group(), {10s, 1min, {}, "", ""}, ds.fn(), clock);
  first.evaluate(kT0);
  first.evaluate(kT0 + 10s);
  auto fired = first.evaluate(kT0 + 20s);
  REQUIRE(fired.to_send.size() == 1);
  const ev::GroupAlerts carried = first.alerts();
  REQUIRE(carried.size() == 1);

  ev::GroupEvaluator second("rules.yml", load_group(), {10s, 1min, {}, "", ""}, ds.fn(), clock);
  CHECK(second.rule_ids() == std::vector<ev::RuleId>{{"HighErrorRate", 0}, {"Broken", 0}});
  second.seed(carried);
  auto e = second.evaluate(kT0 + 30s);
  CHECK(e.transitions.empty());  // still firing: no new pending, no re-fire
  CHECK(e.to_send.empty());      // LastSentAt carried: no repeated notification
  auto st = second.status();
  REQUIRE(st.rules[0].alerts.size() == 1);
  CHECK(st.rules[0].alerts[0].state == AlertState::kFiring);
  CHECK(st.rules[0].alerts[0].active_at == kT0);
}

TEST_CASE("group evaluator: same definition ignores positions, not semantics", "[evaluator]") {
  const herald::config::RuleGroup a = load_group();
  herald::config::RuleGroup b = a;
  b.rules[0].pos.line += 3;
  CHECK(ev::same_definition(a, b));
  b.rules[0].expr = "error_ratio > 0.04";
  CHECK_FALSE(ev::same_definition(a, b));
  herald::config::RuleGroup c = a;
  c.rules[0].annotations["summary"] = "changed";
  CHECK_FALSE(ev::same_definition(a, c));
  herald::config::RuleGroup d = a;
  d.interval = 20s;
  CHECK_FALSE(ev::same_definition(a, d));
}
