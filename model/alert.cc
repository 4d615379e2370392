// Names of alert states as Prometheus's API spells them, and Alertmanager's alert order.
#include "model/alert.h"

namespace herald {

std::string_view to_string(AlertState s) {
  switch (s) {
    case AlertState::kInactive:
      return "inactive";
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
  }
  return "inactive";
}

bool alert_before(const Alert& a, const Alert& b) {
  for (std::string_view key : {"job", "instance"}) {
    const bool a_has = a.labels.has(key);
    const bool b_has = b.labels.has(key);
    if (!a_has && !b_has) continue;
    if (!a_has) return false;
    if (!b_has) return true;
    if (a.labels.get(key) != b.labels.get(key)) return a.labels.get(key) < b.labels.get(key);
  }
  return labels_before(a.labels, b.labels);
}

}  // namespace herald
