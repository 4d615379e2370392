// Evaluation of one rule group: query, label, template, step the state machine, pick what to send.
#include "evaluator/group_evaluator.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "template/alert_expander.h"
#include "template/go_strings.h"

namespace herald::evaluator {
namespace {

std::vector<tmpl::QuerySample> to_template_samples(const QueryResult& r) {
  std::vector<tmpl::QuerySample> out;
  out.reserve(r.samples.size());
  for (const QuerySample& s : r.samples)
    out.push_back({s.labels, s.value});
  return out;
}

bool same_rule(const config::Rule& a, const config::Rule& b) {
  return a.kind == b.kind && a.name == b.name && a.expr == b.expr && a.for_ == b.for_ &&
         a.keep_firing_for == b.keep_firing_for && a.labels == b.labels &&
         a.annotations == b.annotations;
}

}  // namespace

std::string generator_url(const std::string& datasource_url, const std::string& expr) {
  return datasource_url + "/graph?g0.expr=" + tmpl::url_query_escape(expr) + "&g0.tab=1";
}

bool same_definition(const config::RuleGroup& a, const config::RuleGroup& b) {
  return a.name == b.name && a.interval == b.interval && a.limit == b.limit &&
         a.query_offset == b.query_offset && a.labels == b.labels &&
         std::equal(a.rules.begin(), a.rules.end(), b.rules.begin(), b.rules.end(), same_rule);
}

std::vector<RuleId> alerting_rule_ids(const config::RuleGroup& group) {
  std::vector<RuleId> out;
  std::map<std::string, int> seen;
  for (const config::Rule& r : group.rules) {
    if (r.kind == config::RuleKind::kAlerting) out.push_back({r.name, seen[r.name]++});
  }
  return out;
}

const char* to_string(RuleHealth h) {
  switch (h) {
    case RuleHealth::kUnknown:
      return "unknown";
    case RuleHealth::kOk:
      return "ok";
    case RuleHealth::kErr:
      return "err";
  }
  return "unknown";
}

GroupEvaluator::GroupEvaluator(std::string file, config::RuleGroup group, GroupContext ctx,
                               QueryFn query, const Clock& clock, PersistFn persist)
    : file_(std::move(file)),
      group_(std::move(group)),
      ctx_(std::move(ctx)),
      query_(std::move(query)),
      clock_(clock),
      persist_(std::move(persist)) {
  rules_.reserve(group_.rules.size());
  const std::vector<RuleId> ids = alerting_rule_ids(group_);
  auto next_id = ids.begin();
  for (const config::Rule& r : group_.rules) {
    const bool alerting = r.kind == config::RuleKind::kAlerting;
    CompiledRule cr{&r, alerting ? *next_id++ : RuleId{r.name, 0}, {}, {}, {}, {}, {}};
    compile(cr);
    rules_.push_back(std::move(cr));
  }
}

std::vector<RuleId> GroupEvaluator::rule_ids() const {
  std::vector<RuleId> out;
  for (const CompiledRule& cr : rules_) {
    if (cr.status.alerting) out.push_back(cr.id);
  }
  return out;
}

void GroupEvaluator::seed(GroupAlerts alerts) {
  std::lock_guard lock(mu_);
  for (CompiledRule& cr : rules_) {
    auto it = alerts.find(cr.id);
    if (cr.status.alerting && it != alerts.end()) cr.alerts = std::move(it->second);
  }
}

GroupAlerts GroupEvaluator::alerts() const {
  std::lock_guard lock(mu_);
  GroupAlerts out;
  for (const CompiledRule& cr : rules_) {
    if (cr.status.alerting && !cr.alerts.empty()) out[cr.id] = cr.alerts;
  }
  return out;
}

Duration GroupEvaluator::interval() const {
  return group_.interval.value_or(ctx_.default_interval);
}

void GroupEvaluator::compile(CompiledRule& cr) {
  const config::Rule& r = *cr.rule;
  RuleStatus& st = cr.status;
  st.alerting = r.kind == config::RuleKind::kAlerting;
  st.name = r.name;
  st.query = r.query.empty() ? r.expr : r.query;  // Prometheus shows the normal form
  st.hold = r.for_;
  st.keep_firing_for = r.keep_firing_for;
  st.labels = group_.labels;  // group labels first; the rule's own win (Prometheus 3)
  for (const auto& [k, v] : r.labels)
    st.labels[k] = v;
  st.annotations = r.annotations;
  if (!st.alerting) return;
  const std::string tmpl_name = "__alert_" + r.name;
  auto add = [&](auto& into, const std::string& key, const std::string& text, tmpl::FuncSet funcs) {
    auto t = tmpl::parse(tmpl_name, text, funcs);
    if (t) {
      into.emplace_back(key, std::move(*t));
    } else if (cr.template_error.empty()) {
      cr.template_error = key + ": " + t.error().message;
    }
  };
  for (const auto& [k, v] : st.labels)
    add(cr.labels, k, v, tmpl::FuncSet::kAlertLabels);
  for (const auto& [k, v] : st.annotations) {
    add(cr.annotations, k, v, tmpl::FuncSet::kAlertAnnotations);
  }
}

std::vector<ResultSample> GroupEvaluator::label_samples(const CompiledRule& cr,
                                                        const QueryResult& result,
                                                        WallTime ts) const {
  const tmpl::QueryFunc query_fn =
      [this, ts](std::string_view expr) -> Result<std::vector<tmpl::QuerySample>> {
    auto r = query_(expr, ts);
    if (!r) return tl::unexpected(r.error());
    return to_template_samples(*r);
  };
  std::vector<ResultSample> out;
  out.reserve(result.samples.size());
  for (const QuerySample& s : result.samples) {
    tmpl::AlertTemplateData data{s.labels, ctx_.external_labels, ctx_.external_url, s.value, {},
                                 {}};
    LabelSet labels = s.labels;
    labels.erase("__name__");
    for (const auto& [name, t] : cr.labels) {
      labels.set(name, tmpl::expand_alert_template(t, data, &query_fn));
    }
    labels.set("alertname", cr.rule->name);
    // Annotations see the alert's own times when it already exists (herald's $activeAt).
    if (auto it = cr.alerts.find(labels.fingerprint()); it != cr.alerts.end()) {
      if (it->second.state != AlertState::kInactive) {
        data.active_at = it->second.active_at;
        data.fired_at = it->second.fired_at;
      }
    }
    if (!data.active_at) data.active_at = ts;
    Annotations annotations;
    for (const auto& [name, t] : cr.annotations) {
      annotations[name] = tmpl::expand_alert_template(t, data, &query_fn);
    }
    out.push_back({std::move(labels), std::move(annotations), s.value});
  }
  return out;
}

GroupEvaluator::Outcome GroupEvaluator::evaluate_rule(CompiledRule& cr, WallTime ts,
                                                      GroupEvaluation& out) {
  const MonoTime started = clock_.monotonic();
  const WallTime query_ts = ts - group_.query_offset.value_or(Duration{0});
  auto result = cr.template_error.empty()
                    ? query_(cr.rule->expr, query_ts)
                    : Result<QueryResult>(invalid_input("template " + cr.template_error));
  // Only this (the evaluating) thread writes cr.alerts, so reading it unlocked is safe.
  Outcome o{&cr, cr.alerts, !result, RuleHealth::kOk, {}, 0, {}, {}};
  if (!result) {
    // Frozen: no step, so nothing resolves; firing alerts keep being re-sent (no false resolve).
    o.health = RuleHealth::kErr;
    o.last_error = result.error().message;
    out.query_failed = out.query_failed || result.error().code == ErrorCode::kUnavailable;
  } else {
    o.series = result->samples.size();
    const RuleTiming timing{cr.rule->for_, cr.rule->keep_firing_for,
                            static_cast<int>(group_.limit)};
    StepResult step_result = step(std::move(o.alerts), label_samples(cr, *result, ts), timing, ts);
    o.alerts = std::move(step_result.alerts);
    for (Transition& t : step_result.transitions) {
      out.transitions.push_back({cr.rule->name, cr.id.ordinal, std::move(t)});
    }
    if (step_result.error) {
      o.health = RuleHealth::kErr;
      o.last_error = *step_result.error;
    }
  }
  if (!o.last_error.empty())
    out.errors.push_back("rule \"" + cr.rule->name + "\": " + o.last_error);
  if (o.health == RuleHealth::kOk || o.frozen) {
    const std::string url = generator_url(ctx_.datasource_url, cr.rule->expr);
    for (Fingerprint fp : mark_for_sending(o.alerts, ts, ctx_.resend_delay, interval())) {
      Alert sent = to_notification(o.alerts.at(fp), url);
      // Prometheus's notifier adds the external labels an alert lacks to what it sends (not to
      // the rule's alerts the API shows), so routes can match on e.g. cluster.
      for (const Label& l : ctx_.external_labels) {
        if (!sent.labels.has(l.name)) sent.labels.set(l.name, l.value);
      }
      o.to_send.push_back(std::move(sent));
    }
  }
  o.evaluation_time =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.monotonic() - started);
  return o;
}

storage::AlertWrite GroupEvaluator::changes(const std::vector<Outcome>& outcomes,
                                            const GroupEvaluation& out) const {
  storage::AlertWrite w;
  const GroupId gid{file_, group_.name};
  for (const Outcome& o : outcomes) {
    auto rows = alert_changes(rule_key(gid, o.cr->id), o.cr->alerts, o.alerts);
    std::move(rows.begin(), rows.end(), std::back_inserter(w.changes));
  }
  for (const RuleTransition& rt : out.transitions) {
    const Transition& t = rt.transition;
    w.transitions.push_back({t.at, rule_key(gid, RuleId{rt.rule, rt.ordinal}), t.fingerprint,
                             t.labels, t.from, t.to, t.value});
  }
  return w;
}

void GroupEvaluator::commit(std::vector<Outcome>& outcomes, WallTime ts, GroupEvaluation& out) {
  std::lock_guard lock(mu_);
  for (Outcome& o : outcomes) {
    RuleStatus& st = o.cr->status;
    st.last_evaluation = ts;
    st.evaluation_time = o.evaluation_time;
    if (!o.frozen) st.last_series_fetched = o.series;
    if (out.persist_error) {
      // Nothing of this evaluation happened: the alerts stay as persisted, the next one retries.
      st.health = RuleHealth::kErr;
      st.last_error = "storage: " + out.persist_error->message;
      continue;
    }
    st.health = o.health;
    st.last_error = o.last_error;
    o.cr->alerts = std::move(o.alerts);
    std::move(o.to_send.begin(), o.to_send.end(), std::back_inserter(out.to_send));
  }
}

GroupEvaluation GroupEvaluator::evaluate(WallTime ts) {
  const MonoTime started = clock_.monotonic();
  GroupEvaluation out;
  out.ts = ts;
  std::vector<Outcome> outcomes;
  for (CompiledRule& cr : rules_) {
    if (cr.status.alerting) outcomes.push_back(evaluate_rule(cr, ts, out));
  }
  if (persist_) {
    const storage::AlertWrite w = changes(outcomes, out);
    if (!w.empty()) {
      auto written = persist_(w);
      if (written) {
        out.rows_written = *written;
      } else {
        out.persist_error = written.error();
        out.transitions.clear();
        out.errors.push_back("storage: " + written.error().message);
      }
    }
  }
  commit(outcomes, ts, out);
  std::lock_guard lock(mu_);
  last_evaluation_ = ts;
  evaluation_time_ =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.monotonic() - started);
  return out;
}

GroupStatus GroupEvaluator::status() const {
  std::lock_guard lock(mu_);
  GroupStatus gs{group_.name,      file_, interval(), group_.limit, last_evaluation_,
                 evaluation_time_, {}};
  for (const CompiledRule& cr : rules_) {
    RuleStatus rs = cr.status;
    for (const auto& [fp, a] : cr.alerts)
      rs.alerts.push_back(a);
    gs.rules.push_back(std::move(rs));
  }
  return gs;
}

}  // namespace herald::evaluator
