// How the router takes in an alert that it already holds: Alertmanager's provider Put and
// types.Alert.Merge (provider/mem/mem.go, types/types.go, v0.25), and the API's defaults for
// missing times (api/v2 postAlertsHandler). Pure.
#pragma once

#include "model/alert.h"
#include "model/clock.h"
#include "model/duration.h"

namespace herald::router {

// Fills what a sender left out, as the v2 API does on receipt at `now`: updated_at = now; a zero
// starts_at becomes now (or ends_at when only that is set); a zero ends_at becomes
// now + resolve_timeout with timeout = true. The evaluator sets both times itself.
void apply_receipt_defaults(Alert& alert, WallTime now, Duration resolve_timeout);

// The alert to store when `incoming` arrives while `existing` (same fingerprint) is held: merged
// when their active ranges overlap (the older start wins; the younger alert's end, unless the
// older one has a later explicit end), otherwise `incoming` as it is.
[[nodiscard]] Alert merge_alert(const Alert& existing, const Alert& incoming);

}  // namespace herald::router
