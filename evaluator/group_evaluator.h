// GroupEvaluator: one loaded rule group, run as Prometheus runs it — at one timestamp per slot,
// rules in file order, each rule's query at ts − query_offset, its samples labelled and templated,
// then the pure state machine. A failed query freezes that rule's alerts (herald's deliberate
// difference: no false resolve) and marks the rule `err`. The changed alerts and transitions of
// one evaluation are persisted in one write before anything is sent; a failed write leaves the
// group's state as it was (the next evaluation retries). Evaluations of one group are serialised
// by the Scheduler; status() and alerts() may be called from any thread.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "config/rule_file.h"
#include "evaluator/alert_persistence.h"
#include "evaluator/alert_state_machine.h"
#include "evaluator/query_result.h"
#include "evaluator/rule_status.h"
#include "model/error.h"
#include "template/template.h"

namespace herald::evaluator {

using QueryFn = std::function<Result<QueryResult>(std::string_view expr, WallTime ts)>;
// Persists one evaluation's changes atomically; returns the rows written.
using PersistFn = std::function<Result<size_t>(const storage::AlertWrite&)>;

struct GroupContext {
  Duration default_interval{std::chrono::minutes(1)};
  Duration resend_delay{std::chrono::minutes(1)};
  LabelSet external_labels;
  std::string external_url;
  std::string datasource_url;  // for generator URLs (Prometheus graph links)
  friend bool operator==(const GroupContext&, const GroupContext&) = default;
};

// Whether two loaded groups evaluate identically (source positions aside): a reload keeps a group
// that is the same definition running untouched.
// Prometheus's generatorURL for a rule's expression: the table view on the datasource's own UI.
[[nodiscard]] std::string generator_url(const std::string& datasource_url, const std::string& expr);

[[nodiscard]] bool same_definition(const config::RuleGroup& a, const config::RuleGroup& b);

// The group's alerting rules as persisted: name and ordinal among the rules of that name.
[[nodiscard]] std::vector<RuleId> alerting_rule_ids(const config::RuleGroup& group);

struct RuleTransition {
  std::string rule;
  int ordinal = 0;  // among the group's alerting rules of that name
  Transition transition;
};

struct GroupEvaluation {
  WallTime ts{};
  std::vector<RuleTransition> transitions;
  std::vector<Alert> to_send;       // for the router / external Alertmanagers
  std::vector<std::string> errors;  // "rule \"X\": …" per failed rule
  bool query_failed = false;        // some rule's query failed (datasource health)
  // Set when persisting failed: the evaluation was discarded (no transitions, nothing to send).
  std::optional<Error> persist_error;
  size_t rows_written = 0;
};

class GroupEvaluator {
 public:
  // Templates must already have been validated (config loading does); a template that fails to
  // parse here makes the rule report an error at every evaluation instead of crashing.
  // `clock` only measures evaluation durations; timestamps come from evaluate()'s argument.
  // Without `persist`, state lives in memory only.
  GroupEvaluator(std::string file, config::RuleGroup group, GroupContext ctx, QueryFn query,
                 const Clock& clock, PersistFn persist = {});

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& name() const { return group_.name; }
  [[nodiscard]] const config::RuleGroup& group() const { return group_; }
  [[nodiscard]] const GroupContext& context() const { return ctx_; }
  [[nodiscard]] Duration interval() const;
  [[nodiscard]] std::vector<RuleId> rule_ids() const;  // the alerting rules, in order

  // Starts from restored or carried-over alerts; those of rules this group lacks are ignored.
  // REQUIRES: before the first evaluate().
  void seed(GroupAlerts alerts);
  // A copy of every rule's alerts (to carry them over into a reloaded group).
  [[nodiscard]] GroupAlerts alerts() const;

  // REQUIRES: not called concurrently with itself (the Scheduler guarantees one at a time).
  GroupEvaluation evaluate(WallTime ts);

  [[nodiscard]] GroupStatus status() const;

 private:
  struct CompiledRule {
    const config::Rule* rule;
    RuleId id;
    std::vector<std::pair<std::string, tmpl::Template>> labels;  // group labels merged in
    std::vector<std::pair<std::string, tmpl::Template>> annotations;
    std::string template_error;  // a template that did not parse
    RuleStatus status;           // GUARDED_BY(mu_)
    AlertMap alerts;             // GUARDED_BY(mu_)
  };
  // One rule's evaluation, computed without touching the rule; committed once persisted.
  struct Outcome {
    CompiledRule* cr;
    AlertMap alerts;
    bool frozen = false;  // the query failed: alerts were not stepped
    RuleHealth health = RuleHealth::kUnknown;
    std::string last_error;
    size_t series = 0;
    std::vector<Alert> to_send;
    std::chrono::nanoseconds evaluation_time{0};
  };
  void compile(CompiledRule& cr);
  Outcome evaluate_rule(CompiledRule& cr, WallTime ts, GroupEvaluation& out);
  storage::AlertWrite changes(const std::vector<Outcome>& outcomes,
                              const GroupEvaluation& out) const;
  void commit(std::vector<Outcome>& outcomes, WallTime ts, GroupEvaluation& out);
  std::vector<ResultSample> label_samples(const CompiledRule& cr, const QueryResult& result,
                                          WallTime ts) const;

  std::string file_;
  config::RuleGroup group_;
  GroupContext ctx_;
  QueryFn query_;
  const Clock& clock_;
  PersistFn persist_;
  mutable std::mutex mu_;
  std::vector<CompiledRule> rules_;
  std::optional<WallTime> last_evaluation_;      // GUARDED_BY(mu_)
  std::chrono::nanoseconds evaluation_time_{0};  // GUARDED_BY(mu_)
};

}  // namespace herald::evaluator
