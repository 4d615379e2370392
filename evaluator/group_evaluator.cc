// Evaluation of one rule group: query, label, template, step the state machine, pick what to send.
#include "evaluator/group_evaluator.h"

#include "template/alert_expander.h"
#include "template/go_strings.h"

namespace herald::evaluator {
namespace {

// Prometheus's generatorURL: a table view of the expression on the datasource's own UI.
std::string generator_url(const std::string& base, const std::string& expr) {
  return base + "/graph?g0.expr=" + tmpl::url_query_escape(expr) + "&g0.tab=1";
}

std::vector<tmpl::QuerySample> to_template_samples(const QueryResult& r) {
  std::vector<tmpl::QuerySample> out;
  out.reserve(r.samples.size());
  for (const QuerySample& s : r.samples)
    out.push_back({s.labels, s.value});
  return out;
}

}  // namespace

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
                               QueryFn query, const Clock& clock)
    : file_(std::move(file)),
      group_(std::move(group)),
      ctx_(std::move(ctx)),
      query_(std::move(query)),
      clock_(clock) {
  rules_.reserve(group_.rules.size());
  for (const config::Rule& r : group_.rules) {
    CompiledRule cr{&r, {}, {}, {}, {}, {}};
    compile(cr);
    rules_.push_back(std::move(cr));
  }
}

Duration GroupEvaluator::interval() const {
  return group_.interval.value_or(ctx_.default_interval);
}

void GroupEvaluator::compile(CompiledRule& cr) {
  const config::Rule& r = *cr.rule;
  RuleStatus& st = cr.status;
  st.alerting = r.kind == config::RuleKind::kAlerting;
  st.name = r.name;
  st.query = r.expr;
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

void GroupEvaluator::evaluate_rule(CompiledRule& cr, WallTime ts, GroupEvaluation& out) {
  const MonoTime started = clock_.monotonic();
  const WallTime query_ts = ts - group_.query_offset.value_or(Duration{0});
  auto result = cr.template_error.empty()
                    ? query_(cr.rule->expr, query_ts)
                    : Result<QueryResult>(invalid_input("template " + cr.template_error));
  std::vector<ResultSample> samples;
  if (result) samples = label_samples(cr, *result, ts);

  std::lock_guard lock(mu_);
  RuleStatus& st = cr.status;
  st.last_evaluation = ts;
  if (!result) {
    // Frozen: no step, so nothing resolves; firing alerts keep being re-sent (no false resolve).
    st.health = RuleHealth::kErr;
    st.last_error = result.error().message;
    out.errors.push_back("rule \"" + cr.rule->name + "\": " + st.last_error);
    out.query_failed = out.query_failed || result.error().code == ErrorCode::kUnavailable;
  } else {
    st.last_series_fetched = result->samples.size();
    const RuleTiming timing{cr.rule->for_, cr.rule->keep_firing_for,
                            static_cast<int>(group_.limit)};
    StepResult step_result = step(std::move(cr.alerts), samples, timing, ts);
    cr.alerts = std::move(step_result.alerts);
    for (Transition& t : step_result.transitions) {
      out.transitions.push_back({cr.rule->name, std::move(t)});
    }
    st.health = step_result.error ? RuleHealth::kErr : RuleHealth::kOk;
    st.last_error = step_result.error.value_or("");
    if (step_result.error) out.errors.push_back("rule \"" + cr.rule->name + "\": " + st.last_error);
  }
  if (st.health == RuleHealth::kOk || !result) {
    const std::string url = generator_url(ctx_.datasource_url, cr.rule->expr);
    for (Fingerprint fp : mark_for_sending(cr.alerts, ts, ctx_.resend_delay, interval())) {
      out.to_send.push_back(to_notification(cr.alerts.at(fp), url));
    }
  }
  st.evaluation_time =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.monotonic() - started);
}

GroupEvaluation GroupEvaluator::evaluate(WallTime ts) {
  const MonoTime started = clock_.monotonic();
  GroupEvaluation out;
  out.ts = ts;
  for (CompiledRule& cr : rules_) {
    if (cr.status.alerting) evaluate_rule(cr, ts, out);
  }
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
