// herald's GET /api/v1/alerts/history: alert transitions from SQLite (server/history_api.h).
#pragma once

#include <functional>
#include <vector>

#include "model/error.h"
#include "server/routes.h"
#include "storage/alert_history.h"

namespace herald::server {

// Null: the endpoint answers 503 (no storage).
using HistoryFn =
    std::function<Result<std::vector<storage::TransitionRecord>>(const storage::HistoryQuery&)>;

void register_history_api(Routes& routes, HistoryFn history);

}  // namespace herald::server
