// Inhibition as inhibit/inhibit.go (v0.25): InhibitRule.hasEqual over a per-rule source cache.
#include "router/inhibitor.h"

#include <algorithm>

namespace herald::router {
namespace {

// types.Alert.Resolved: an end time that is set and not after `now`.
bool firing_at(WallTime ends_at, WallTime now) {
  return ends_at == WallTime{} || ends_at > now;
}

}  // namespace

Inhibitor::Inhibitor(const std::vector<config::InhibitRule>& rules) {
  rules_.reserve(rules.size());
  for (const config::InhibitRule& cfg : rules) {
    Rule rule{cfg.source_matchers, cfg.target_matchers, cfg.equal, {}};
    std::sort(rule.equal.begin(), rule.equal.end());  // Alertmanager keeps `equal` as a set
    rule.equal.erase(std::unique(rule.equal.begin(), rule.equal.end()), rule.equal.end());
    rules_.push_back(std::move(rule));
  }
}

Inhibitor::EqualValues Inhibitor::equal_values(const Rule& rule, const LabelSet& labels) {
  EqualValues values;
  values.reserve(rule.equal.size());
  for (const std::string& name : rule.equal)
    values.emplace_back(labels.get(name));
  return values;
}

void Inhibitor::erase(Rule& rule, const LabelSet& labels, Fingerprint fp) {
  auto bucket = rule.buckets.find(equal_values(rule, labels));
  if (bucket == rule.buckets.end()) return;
  bucket->second.erase(fp);
  if (bucket->second.empty()) rule.buckets.erase(bucket);
}

void Inhibitor::observe(const Alert& alert) {
  const Fingerprint fp = alert.labels.fingerprint();
  bool is_source = false;
  for (Rule& rule : rules_) {
    if (!matches_all(rule.source, alert.labels)) continue;
    is_source = true;
    rule.buckets[equal_values(rule, alert.labels)][fp] =
        Source{alert.ends_at, matches_all(rule.target, alert.labels)};
  }
  if (is_source) sources_[fp] = Observed{alert.labels, alert.ends_at};
}

void Inhibitor::forget(Fingerprint fp) {
  auto it = sources_.find(fp);
  if (it == sources_.end()) return;
  for (Rule& rule : rules_)
    erase(rule, it->second.labels, fp);
  sources_.erase(it);
}

void Inhibitor::gc(WallTime now) {
  for (auto it = sources_.begin(); it != sources_.end();) {
    if (firing_at(it->second.ends_at, now)) {
      ++it;
      continue;
    }
    for (Rule& rule : rules_)
      erase(rule, it->second.labels, it->first);
    it = sources_.erase(it);
  }
}

std::vector<Fingerprint> Inhibitor::inhibited_by(const LabelSet& target, WallTime now) const {
  std::vector<Fingerprint> out;
  for (const Rule& rule : rules_) {
    if (!matches_all(rule.target, target)) continue;
    // excludeTwoSidedMatch: a target that could also be a source of this rule is inhibited only
    // by sources that could not also be targets.
    const bool exclude_two_sided = matches_all(rule.source, target);
    auto bucket = rule.buckets.find(equal_values(rule, target));
    if (bucket == rule.buckets.end()) continue;
    for (const auto& [fp, source] : bucket->second) {
      if (!firing_at(source.ends_at, now)) continue;
      if (exclude_two_sided && source.matches_target) continue;
      out.push_back(fp);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t Inhibitor::source_count() const {
  size_t n = 0;
  for (const Rule& rule : rules_) {
    for (const auto& [values, sources] : rule.buckets)
      n += sources.size();
  }
  return n;
}

}  // namespace herald::router
