// Alertmanager API v2 (0.25) JSON: request bodies and query parameters → herald values, and
// herald's alerts, groups, silences and status → the bodies Alertmanager answers, byte for byte
// in key order and time format (go-openapi's generated models). Pure functions: `now` is passed in.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/alert.h"
#include "model/duration.h"
#include "model/error.h"
#include "model/matcher.h"
#include "server/api_datetime.h"
#include "server/http_message.h"

namespace herald::server {

// An alert as the API shows it (alertmanager_routes.cc converts router::AlertView into it).
struct ApiAlert {
  Alert alert;
  std::vector<std::string> receivers;  // of every route it matches, in tree order
  std::vector<std::string> silenced_by;
  std::vector<Fingerprint> inhibited_by;
};

// A silence as the API shows it (from router::Silence plus its state at `now`).
struct ApiSilence {
  std::string id;  // empty in a POST that creates a silence
  Matchers matchers;
  WallTime starts_at{}, ends_at{}, updated_at{};
  std::string created_by, comment;
  std::string state;  // "pending" | "active" | "expired"
};

// An aggregation group: its route's receiver, group labels and members.
struct ApiGroup {
  LabelSet labels;
  std::string receiver;
  std::vector<Fingerprint> alerts;
};

// ---- POST /api/v2/alerts ----

// What one POST may carry (Alertmanager has no such limits; herald has them so one request's
// work, and one alert's weight in every group it joins, stay bounded). Over a limit, the alert is
// dropped with an error naming the limit and the answer is 413; the rest of the batch is kept.
struct AlertLimits {
  size_t max_alerts = 10000;                       // per POST: more refuses the whole request
  size_t max_labels = 128;                         // per alert
  size_t max_label_bytes = 4096;                   // one label's name and value
  size_t max_annotation_bytes = size_t{64} << 10;  // one annotation's name and value
  size_t max_alert_bytes = size_t{256} << 10;      // labels, annotations and generatorURL together
};

struct PostAlertsResult {
  // Valid alerts with Alertmanager's receipt defaults applied, in request order.
  std::vector<Alert> alerts;
  // One entry per dropped alert (Alertmanager's validation text), or a single entry when the
  // whole body was refused (then `alerts` is empty and `body_refused` is set).
  std::vector<std::string> errors;
  bool body_refused = false;
  bool too_large = false;  // an error is a limit of AlertLimits: answer 413, not 400

  // The 400 answer: errors joined by "; ", as Alertmanager's MultiError. Empty → answer 200.
  [[nodiscard]] std::string error_text() const;
};

// Parses a JSON array of postableAlert. Receipt defaults: updated_at = now; a zero startsAt
// becomes endsAt when only endsAt is set, else now; a zero endsAt becomes now + resolve_timeout
// with timeout = true. Labels with empty values are dropped. The body is refused as a whole for
// malformed JSON, a wrong type, missing `labels` or a generatorURL that is not a URI (as
// go-openapi's binding does); otherwise each invalid alert is dropped and the rest kept.
[[nodiscard]] PostAlertsResult parse_post_alerts(std::string_view body, WallTime now,
                                                 Duration resolve_timeout,
                                                 const AlertLimits& limits = {});

// ---- GET /api/v2/alerts and /api/v2/alerts/groups ----

struct AlertsFilter {
  bool active = true, silenced = true, inhibited = true;
  bool unprocessed = true;          // accepted but ignored: Alertmanager 0.25 never applies it
  Matchers matchers;                // every `filter` parameter
  std::optional<Matcher> receiver;  // `receiver`, an RE2 anchored as ^(?:re)$
};

// Booleans as go-openapi reads them (swag.ConvertBool: "true", "1", "yes", "on", … are true,
// any other value false; absent or empty keeps the default; the last repeat wins). Errors are
// Alertmanager's 400 texts: "bad matcher format: …", "failed to parse receiver param: …".
[[nodiscard]] Result<AlertsFilter> parse_alerts_filter(const QueryParams& params);

// Whether GET /api/v2/alerts lists the alert: not resolved at `now` (endsAt before now), the
// active/silenced/inhibited switches, every matcher, and the receiver regex against any receiver.
[[nodiscard]] bool keep(const ApiAlert& a, const AlertsFilter& f, WallTime now);

// gettableAlerts: the kept alerts, sorted by fingerprint as Alertmanager does.
[[nodiscard]] std::string alerts_json(const std::vector<ApiAlert>& alerts, const AlertsFilter& f,
                                      WallTime now);
[[nodiscard]] std::string alerts_json(const std::vector<ApiAlert>& alerts, WallTime now);

// alertGroups, as dispatch.Groups builds them: the receiver regex selects groups by their
// receiver; the other filters select alerts; a group left without alerts is omitted; an alert's
// `receivers` are the (sorted) receivers of the selected groups holding it. Groups sort by labels
// then receiver, alerts by job, instance, then labels (types.AlertSlice). Fingerprints without
// an entry in `alerts` are skipped.
[[nodiscard]] std::string alert_groups_json(const std::vector<ApiGroup>& groups,
                                            const std::vector<ApiAlert>& alerts,
                                            const AlertsFilter& f, WallTime now);

// ---- silences ----

// A postableSilence. Required as AM's swagger marks them: comment, createdBy, endsAt, matchers
// (at least one), startsAt; per matcher name, value, isRegex (isEqual defaults to true). Then
// Alertmanager's checks: start before end, end not in the past, valid label names and regexes,
// at least one matcher that does not match "". A start in the past is NOT clamped here: the
// silence store clamps a new silence, and an update of an active one keeps its start. The
// result has updated_at = now and the state at `now`. herald's limits (400 naming the limit): at
// most kMaxSilenceMatchers matchers, a body of at most kMaxSilenceBytes.
inline constexpr size_t kMaxSilenceMatchers = 64;
inline constexpr size_t kMaxSilenceBytes = size_t{64} << 10;
[[nodiscard]] Result<ApiSilence> parse_post_silence(std::string_view body, WallTime now);

// gettableSilence and the sorted list: active by endsAt, then pending by startsAt, then expired
// by endsAt, most recent first (api/v2 SortSilences; ties keep input order).
[[nodiscard]] std::string silence_json(const ApiSilence& s);
[[nodiscard]] std::string silences_json(std::vector<ApiSilence> silences);
// {"silenceID":"…"}
[[nodiscard]] std::string post_silence_reply(std::string_view id);

// GET /api/v2/silences `filter` parameters (one matcher each; "bad matcher format: …" on error).
[[nodiscard]] Result<Matchers> parse_silences_filter(const QueryParams& params);
// A silence passes when each filter matcher equals (name, type, value) one of its matchers
// (CheckSilenceMatchesFilterLabels) — it is not label matching.
[[nodiscard]] bool silence_matches_filter(const ApiSilence& s, const Matchers& filter);

// A 400 body as go-openapi writes a string payload: the message as a JSON string plus "\n"
// (amtool's client decodes it so). Alertmanager answers a refused body with 400/422 and
// {"code":…,"message":…} instead; herald uses this form for every 400.
[[nodiscard]] std::string error_json(std::string_view message);

// ---- GET /api/v2/status ----

struct StatusInput {
  std::string version, revision, branch, build_user, build_date, go_version;
  std::string config_original;  // the loaded config, secrets already redacted
  WallTime uptime{};            // when the process started (Alertmanager's "uptime")
};

// alertmanagerStatus with the cluster disabled: {"cluster":{"peers":[],"status":"disabled"},…}.
[[nodiscard]] std::string status_json(const StatusInput& in);

}  // namespace herald::server
