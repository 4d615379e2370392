// /api/v2/{alerts,alerts/groups,silences,silence/{id},status}: router ↔ JSON.
#include "server/alertmanager_routes.h"

#include <memory>

#include "model/version.h"
#include "server/alertmanager_api.h"

namespace herald::server {
namespace {

// Alertmanager answers errors with the message as a JSON string (what amtool expects).
void error_reply(Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(error_json(message), "application/json");
}

void json_reply(Response& res, const std::string& body) {
  res.status = 200;
  res.set_content(body, "application/json");
}

ApiSilence to_api(const router::Silence& s, WallTime now) {
  return ApiSilence{s.id,         s.matchers,
                    s.starts_at,  s.ends_at,
                    s.updated_at, s.created_by,
                    s.comment,    std::string(router::to_string(router::state_at(s, now)))};
}

std::vector<ApiAlert> api_alerts(const router::Router& r, WallTime now) {
  std::vector<ApiAlert> out;
  for (router::AlertView& v : r.alerts(now)) {
    out.push_back({std::move(v.alert), std::move(v.receivers), std::move(v.silenced_by),
                   std::move(v.inhibited_by)});
  }
  return out;
}

// Status codes as Alertmanager answers: 400 for invalid input, 404 for an unknown id, 500 else.
int status_of(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    default:
      return 500;
  }
}

}  // namespace

void register_alertmanager_api(Routes& s, AlertmanagerApiHooks hooks) {
  auto h = std::make_shared<AlertmanagerApiHooks>(std::move(hooks));
  // Wraps a handler that needs the router; 404 without one.
  auto with_router = [h](auto handler) {
    return [h, handler](const Request& req, Response& res) {
      router::Router* r = h->router ? h->router() : nullptr;
      if (!r) {
        error_reply(res, 404, "herald runs no router: herald.yml has no route section");
        return;
      }
      handler(*r, req, res, h->clock->now());
    };
  };
  s.post("/api/v2/alerts",
         with_router([h](router::Router& r, const Request& req, Response& res, WallTime now) {
           PostAlertsResult parsed = parse_post_alerts(req.body, now, r.resolve_timeout());
           if (!parsed.alerts.empty()) {
             if (Status st = h->receive(std::move(parsed.alerts)); !st) {
               error_reply(res, 503, st.error().message);
               return;
             }
           }
           if (!parsed.errors.empty()) {
             error_reply(res, parsed.too_large ? 413 : 400, parsed.error_text());
             return;
           }
           res.status = 200;
         }));
  s.get("/api/v2/alerts",
        with_router([](router::Router& r, const Request& req, Response& res, WallTime now) {
          Result<AlertsFilter> f = parse_alerts_filter(req.params);
          if (!f) return error_reply(res, 400, f.error().message);
          json_reply(res, alerts_json(api_alerts(r, now), *f, now));
        }));
  s.get("/api/v2/alerts/groups",
        with_router([](router::Router& r, const Request& req, Response& res, WallTime now) {
          Result<AlertsFilter> f = parse_alerts_filter(req.params);
          if (!f) return error_reply(res, 400, f.error().message);
          std::vector<ApiGroup> groups;
          for (router::GroupView& g : r.groups())
            groups.push_back({std::move(g.labels), std::move(g.receiver), std::move(g.alerts)});
          json_reply(res, alert_groups_json(groups, api_alerts(r, now), *f, now));
        }));
  s.get("/api/v2/silences",
        with_router([](router::Router& r, const Request& req, Response& res, WallTime now) {
          Result<Matchers> filter = parse_silences_filter(req.params);
          if (!filter) return error_reply(res, 400, filter.error().message);
          std::vector<ApiSilence> out;
          for (const router::Silence& silence : r.silences()) {
            ApiSilence a = to_api(silence, now);
            if (silence_matches_filter(a, *filter)) out.push_back(std::move(a));
          }
          json_reply(res, silences_json(std::move(out)));
        }));
  s.post("/api/v2/silences",
         with_router([h](router::Router& r, const Request& req, Response& res, WallTime now) {
           Result<ApiSilence> parsed = parse_post_silence(req.body, now);
           if (!parsed) return error_reply(res, 400, parsed.error().message);
           router::Silence silence{parsed->id,      std::move(parsed->matchers), parsed->starts_at,
                                   parsed->ends_at, parsed->updated_at,          parsed->created_by,
                                   parsed->comment};
           Result<std::string> id = r.set_silence(std::move(silence), now);
           if (!id) return error_reply(res, status_of(id.error()), id.error().message);
           json_reply(res, post_silence_reply(*id));
         }));
  s.get("/api/v2/silence/*",
        with_router([](router::Router& r, const Request& req, Response& res, WallTime now) {
          std::optional<router::Silence> silence = r.silence(req.rest);
          if (!silence) return error_reply(res, 404, "silence not found");
          json_reply(res, silence_json(to_api(*silence, now)));
        }));
  s.del("/api/v2/silence/*",
        with_router([h](router::Router& r, const Request& req, Response& res, WallTime now) {
          Status st = r.expire_silence(req.rest, now);
          if (!st) return error_reply(res, status_of(st.error()), st.error().message);
          res.status = 200;
        }));
  s.get("/api/v2/status", [h](const Request&, Response& res) {
    StatusInput in;
    in.version = std::string(version());
    in.config_original = h->config_original ? h->config_original() : "";
    in.uptime = h->started;
    json_reply(res, status_json(in));
  });
}

}  // namespace herald::server
