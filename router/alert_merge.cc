// Alertmanager's alert merge rules.
#include "router/alert_merge.h"

namespace herald::router {
namespace {

// types.Alert.Resolved(): an end time is set and has passed. Go compares with time.Now(); herald
// has no clock here, so it uses the younger alert's receipt, which is when the merge happens.
bool resolved_by(const Alert& a, WallTime t) {
  return a.ends_at != WallTime{} && a.ends_at <= t;
}

// types.Alert.Merge with `young` the more recently updated one.
Alert merge_ordered(const Alert& old, const Alert& young) {
  Alert res = young;
  if (old.starts_at < young.starts_at) res.starts_at = old.starts_at;
  const WallTime now = young.updated_at;
  if (resolved_by(young, now)) {
    if (resolved_by(old, now) && old.ends_at > young.ends_at) res.ends_at = old.ends_at;
  } else if (old.ends_at > young.ends_at && !old.timeout) {
    res.ends_at = old.ends_at;
  }
  return res;
}

}  // namespace

void apply_receipt_defaults(Alert& alert, WallTime now, Duration resolve_timeout) {
  alert.updated_at = now;
  if (alert.starts_at == WallTime{}) {
    alert.starts_at = alert.ends_at == WallTime{} ? now : alert.ends_at;
  }
  if (alert.ends_at == WallTime{}) {
    alert.timeout = true;
    alert.ends_at = now + resolve_timeout;
  }
}

Alert merge_alert(const Alert& existing, const Alert& incoming) {
  // mem.Alerts.Put merges only when the new alert's start or end falls strictly inside the old
  // alert's active range.
  const bool overlap =
      (incoming.ends_at > existing.starts_at && incoming.ends_at < existing.ends_at) ||
      (incoming.starts_at > existing.starts_at && incoming.starts_at < existing.ends_at);
  if (!overlap) return incoming;
  return incoming.updated_at < existing.updated_at ? merge_ordered(incoming, existing)
                                                   : merge_ordered(existing, incoming);
}

}  // namespace herald::router
