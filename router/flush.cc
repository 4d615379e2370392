// Alertmanager's resolved-at rule for flushes.
#include "router/flush.h"

namespace herald::router {

bool resolved_at(const Alert& alert, WallTime t) {
  return alert.ends_at != WallTime{} && alert.ends_at <= t;
}

}  // namespace herald::router
