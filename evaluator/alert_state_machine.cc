// Prometheus's AlertingRule.Eval, split into its pure decision and written against plain data.
#include "evaluator/alert_state_machine.h"

#include <algorithm>

namespace herald::evaluator {
namespace {

void record(StepResult& out, Fingerprint fp, const RuleAlert& a, AlertState from, WallTime ts) {
  out.transitions.push_back(Transition{fp, a.labels, from, a.state, a.value, ts});
}

// An alert the query no longer returns. Returns false when it is to be forgotten.
bool handle_missing(StepResult& out, Fingerprint fp, RuleAlert& a, const RuleTiming& timing,
                    WallTime ts) {
  bool keep_firing = false;
  if (a.state == AlertState::kFiring && timing.keep_firing_for.count() > 0) {
    if (!a.keep_firing_since) a.keep_firing_since = ts;
    keep_firing = ts - *a.keep_firing_since < timing.keep_firing_for;
  }
  if (keep_firing) return true;
  if (a.state == AlertState::kPending) {  // a pending alert vanishes without a trace
    a.state = AlertState::kInactive;
    record(out, fp, a, AlertState::kPending, ts);
    return false;
  }
  if (a.state == AlertState::kFiring) {
    a.state = AlertState::kInactive;
    a.resolved_at = ts;
    record(out, fp, a, AlertState::kFiring, ts);
  }
  // Resolved alerts are re-sent for a while so receivers learn of the resolution.
  return !(a.resolved_at && ts - *a.resolved_at > kResolvedRetention);
}

}  // namespace

StepResult step(AlertMap previous, const std::vector<ResultSample>& samples,
                const RuleTiming& timing, WallTime ts) {
  StepResult out;
  std::map<Fingerprint, const ResultSample*> current;
  for (const ResultSample& s : samples) {
    if (!current.emplace(s.labels.fingerprint(), &s).second) {
      out.alerts = std::move(previous);
      out.error = "vector contains metrics with the same labelset after applying alert labels";
      return out;
    }
  }
  for (const auto& [fp, s] : current) {
    auto it = previous.find(fp);
    if (it != previous.end() && it->second.state != AlertState::kInactive) {
      it->second.value = s->value;
      it->second.annotations = s->annotations;
      continue;
    }
    // New, or replacing a resolved alert still kept for retention.
    const AlertState from = AlertState::kInactive;
    RuleAlert fresh{s->labels, s->annotations, AlertState::kPending, s->value, ts, {}, {}, {}, {},
                    {}};
    previous.insert_or_assign(fp, std::move(fresh));
    record(out, fp, previous.at(fp), from, ts);
  }
  int active = 0;
  for (auto it = previous.begin(); it != previous.end();) {
    auto& [fp, a] = *it;
    if (!current.contains(fp)) {
      const bool keep = handle_missing(out, fp, a, timing, ts);
      const bool still_firing = keep && a.state == AlertState::kFiring;
      it = keep ? std::next(it) : previous.erase(it);
      if (!still_firing) continue;
      ++active;  // kept firing by keep_firing_for
      continue;
    }
    a.keep_firing_since.reset();
    ++active;
    if (a.state == AlertState::kPending && ts - a.active_at >= timing.hold) {
      a.state = AlertState::kFiring;
      a.fired_at = ts;
      record(out, fp, a, AlertState::kPending, ts);
    }
    ++it;
  }
  if (timing.limit > 0 && active > timing.limit) {
    out.error = "exceeded limit of " + std::to_string(timing.limit) + " with " +
                std::to_string(active) + " alerts";
    for (auto& [fp, a] : previous) {
      if (a.state == AlertState::kInactive) continue;
      const AlertState from = a.state;
      a.state = AlertState::kInactive;
      record(out, fp, a, from, ts);
    }
    previous.clear();
  }
  std::stable_sort(
      out.transitions.begin(), out.transitions.end(),
      [](const Transition& x, const Transition& y) { return x.fingerprint < y.fingerprint; });
  out.alerts = std::move(previous);
  return out;
}

std::vector<Fingerprint> mark_for_sending(AlertMap& alerts, WallTime ts, Duration resend_delay,
                                          Duration interval) {
  std::vector<Fingerprint> sent;
  const Duration delta = std::max(interval, resend_delay);
  for (auto& [fp, a] : alerts) {
    if (a.state == AlertState::kPending) continue;
    const bool resolved_since_send =
        a.resolved_at && (!a.last_sent_at || *a.resolved_at > *a.last_sent_at);
    const bool resend_due = !a.last_sent_at || *a.last_sent_at + resend_delay < ts;
    if (!resolved_since_send && !resend_due) continue;
    a.last_sent_at = ts;
    a.valid_until = ts + 4 * delta;
    sent.push_back(fp);
  }
  return sent;
}

Alert to_notification(const RuleAlert& alert, std::string generator_url) {
  Alert out{alert.labels,
            alert.annotations,
            alert.fired_at.value_or(alert.active_at),
            {},
            std::move(generator_url)};
  out.ends_at = alert.resolved_at ? *alert.resolved_at : alert.valid_until.value_or(WallTime{});
  return out;
}

}  // namespace herald::evaluator
