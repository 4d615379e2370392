// Forward-only schema migrations, one per version (PRAGMA user_version): version k's migration
// and `PRAGMA user_version = k` commit together, so a crash leaves the database at k-1 or k.
#pragma once

#include "model/error.h"
#include "storage/connection.h"

namespace herald::storage {

// Applies migrations from+1 … to, each in its own transaction.
// REQUIRES: conn's lock held; 0 <= from <= to <= kSchemaVersion.
[[nodiscard]] Status migrate(Connection& conn, int from, int to);

}  // namespace herald::storage
