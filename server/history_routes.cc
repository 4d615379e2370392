// Parameters → query → transitions → JSON; storage errors answer 503.
#include "server/history_routes.h"

#include "server/history_api.h"
#include "server/json_reply.h"
#include "server/prometheus_api.h"

namespace herald::server {

void register_history_api(Routes& s, HistoryFn history) {
  s.get("/api/v1/alerts/history",
        [history = std::move(history)](const Request& req, Response& res) {
          auto q = parse_history_query([&req](const char* name) -> std::optional<std::string> {
            if (!req.has_param(name)) return std::nullopt;
            return req.param(name);
          });
          if (!q) {
            json_reply(res, 400, api_error_json("bad_data", q.error().message));
            return;
          }
          if (!history) {
            json_reply(res, 503, api_error_json("unavailable", "no alert history without storage"));
            return;
          }
          auto transitions = history(*q);
          if (!transitions) {
            json_reply(res, 503, api_error_json("unavailable", transitions.error().message));
            return;
          }
          json_reply(res, 200, history_json(*transitions));
        });
}

}  // namespace herald::server
