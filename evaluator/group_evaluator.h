// GroupEvaluator: one loaded rule group, run as Prometheus runs it — at one timestamp per slot,
// rules in file order, each rule's query at ts − query_offset, its samples labelled and templated,
// then the pure state machine. A failed query freezes that rule's alerts (herald's deliberate
// difference: no false resolve) and marks the rule `err`. Evaluations of one group are serialised
// by the Scheduler; status() may be called from any thread.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "config/rule_file.h"
#include "evaluator/alert_state_machine.h"
#include "evaluator/query_result.h"
#include "evaluator/rule_status.h"
#include "model/error.h"
#include "template/template.h"

namespace herald::evaluator {

using QueryFn = std::function<Result<QueryResult>(std::string_view expr, WallTime ts)>;

struct GroupContext {
  Duration default_interval{std::chrono::minutes(1)};
  Duration resend_delay{std::chrono::minutes(1)};
  LabelSet external_labels;
  std::string external_url;
  std::string datasource_url;  // for generator URLs (Prometheus graph links)
};

struct RuleTransition {
  std::string rule;
  Transition transition;
};

struct GroupEvaluation {
  WallTime ts{};
  std::vector<RuleTransition> transitions;
  std::vector<Alert> to_send;       // for the router / external Alertmanagers
  std::vector<std::string> errors;  // "rule \"X\": …" per failed rule
  bool query_failed = false;        // some rule's query failed (datasource health)
};

class GroupEvaluator {
 public:
  // Templates must already have been validated (config loading does); a template that fails to
  // parse here makes the rule report an error at every evaluation instead of crashing.
  // `clock` only measures evaluation durations; timestamps come from evaluate()'s argument.
  GroupEvaluator(std::string file, config::RuleGroup group, GroupContext ctx, QueryFn query,
                 const Clock& clock);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& name() const { return group_.name; }
  [[nodiscard]] Duration interval() const;

  // REQUIRES: not called concurrently with itself (the Scheduler guarantees one at a time).
  GroupEvaluation evaluate(WallTime ts);

  [[nodiscard]] GroupStatus status() const;

 private:
  struct CompiledRule {
    const config::Rule* rule;
    std::vector<std::pair<std::string, tmpl::Template>> labels;  // group labels merged in
    std::vector<std::pair<std::string, tmpl::Template>> annotations;
    std::string template_error;  // a template that did not parse
    RuleStatus status;           // GUARDED_BY(mu_)
    AlertMap alerts;             // GUARDED_BY(mu_)
  };
  void compile(CompiledRule& cr);
  void evaluate_rule(CompiledRule& cr, WallTime ts, GroupEvaluation& out);
  std::vector<ResultSample> label_samples(const CompiledRule& cr, const QueryResult& result,
                                          WallTime ts) const;

  std::string file_;
  config::RuleGroup group_;
  GroupContext ctx_;
  QueryFn query_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::vector<CompiledRule> rules_;
  std::optional<WallTime> last_evaluation_;      // GUARDED_BY(mu_)
  std::chrono::nanoseconds evaluation_time_{0};  // GUARDED_BY(mu_)
};

}  // namespace herald::evaluator
