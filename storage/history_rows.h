// Storage-internal: how AlertStore::write appends a transition to the history that AlertHistory
// reads (both sides of the alert_history row format live in alert_history.cc).
#pragma once

#include "model/error.h"
#include "storage/alert_store.h"
#include "storage/connection.h"

namespace herald::storage {

// REQUIRES: conn's lock held, inside a Transaction.
[[nodiscard]] Status append_transition(Connection& conn, const TransitionRecord& t);

}  // namespace herald::storage
