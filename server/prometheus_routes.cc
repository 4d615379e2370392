// Request parameters → filters; the bodies come from prometheus_api.cc.
#include "server/prometheus_routes.h"

#include <set>

#include "server/json_reply.h"
#include "server/prometheus_api.h"

namespace herald::server {
namespace {

std::set<std::string> params(const Request& req, const char* name) {
  std::set<std::string> out;
  const size_t n = req.param_count(name);
  for (size_t i = 0; i < n; ++i)
    out.insert(req.param(name, i));
  return out;
}

}  // namespace

void register_prometheus_api(Routes& s, PrometheusApiHooks hooks) {
  s.get("/api/v1/rules",
        [groups = hooks.groups, shard = hooks.shard](const Request& req, Response& res) {
          RulesFilter filter{std::nullopt, params(req, "rule_name[]"), params(req, "rule_group[]"),
                             params(req, "file[]")};
          if (auto err = parse_rule_type(req.param("type"), filter)) {
            json_reply(res, 400, api_error_json("bad_data", *err));
            return;
          }
          const std::optional<RulesShard> sharding =
              shard ? std::optional<RulesShard>(shard()) : std::nullopt;
          json_reply(res, 200, rules_json(groups(), filter, sharding ? &*sharding : nullptr));
        });
  s.get("/api/v1/alerts", [groups = hooks.groups](const Request&, Response& res) {
    json_reply(res, 200, alerts_json(groups()));
  });
  s.get("/api/v1/status/runtimeinfo", [info = hooks.runtimeinfo](const Request&, Response& res) {
    if (!info) {
      res.status = 404;
      return;
    }
    json_reply(res, 200, info());
  });
}

}  // namespace herald::server
