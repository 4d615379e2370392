// Inhibitor: which firing source alerts mute a target alert — Alertmanager's inhibit.Inhibitor
// (inhibit/inhibit.go, v0.25) with its per-rule source cache, on an injected `now`. Not
// thread-safe: one loop owns it (const calls may run concurrently with each other).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/routing.h"
#include "model/alert.h"
#include "model/clock.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace herald::router {

class Inhibitor {
 public:
  explicit Inhibitor(const std::vector<config::InhibitRule>& rules);

  // Records an alert the router received (firing or resolved), replacing the one with the same
  // fingerprint: it becomes a source of every rule whose source matchers it matches. Like
  // Alertmanager, the inhibitor sees every alert, routed or not.
  // O(R·M + R·E·log B) for R rules, M matchers, E equal labels, B buckets of a rule.
  void observe(const Alert& alert);

  // Drops an alert (the router deleted it); unknown fingerprints are ignored.
  void forget(Fingerprint fp);

  // Drops sources resolved at `now` (Alertmanager's 15-minute scache GC); lookups already skip
  // them, so this only bounds memory.
  void gc(WallTime now);

  // The fingerprints of the source alerts inhibiting `target` at `now`, sorted and unique; empty
  // when it is not inhibited. For each rule whose target matchers match: the sources firing at
  // `now` (ends_at unset or after now) whose values for every `equal` label equal the target's
  // (missing = ""); when the target matches the rule's source matchers too, sources that match
  // the rule's target matchers are skipped, so an alert never inhibits itself. Alertmanager 0.25
  // reports only the first inhibiting alert it finds, in map order; herald reports them all.
  // Sources are bucketed by their `equal` values, so a lookup reads only the sources that agree
  // with the target: O(R·(M + E·log B + K)) where K is the size of the target's bucket.
  [[nodiscard]] std::vector<Fingerprint> inhibited_by(const LabelSet& target, WallTime now) const;

  // How many (rule, source alert) pairs are cached.
  [[nodiscard]] size_t source_count() const;

 private:
  struct Source {
    WallTime ends_at{};
    bool matches_target = false;  // the rule's target matchers match the source itself
  };
  using EqualValues = std::vector<std::string>;  // the values of Rule::equal, in order
  struct Rule {
    Matchers source;
    Matchers target;
    std::vector<std::string> equal;  // sorted, unique
    std::map<EqualValues, std::map<Fingerprint, Source>> buckets;
  };

  static EqualValues equal_values(const Rule& rule, const LabelSet& labels);
  void erase(Rule& rule, const LabelSet& labels, Fingerprint fp);

  std::vector<Rule> rules_;
  struct Observed {
    LabelSet labels;  // to find the alert's buckets again
    WallTime ends_at{};
  };
  std::unordered_map<Fingerprint, Observed> sources_;  // alerts that are a source of some rule
};

}  // namespace herald::router
