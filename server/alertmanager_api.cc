// Alertmanager API v2 codecs. Reading goes through nlohmann_json; writing goes through
// model/go_json.h because Go's encoding/json escapes differently (<, >, & and U+2028/9 as
// \u00XX, invalid UTF-8 as \ufffd) and go-openapi fixes each model's key order.
#include "server/alertmanager_api.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "model/go_json.h"
#include "server/api_json.h"

namespace herald::server {
namespace {

using namespace api_json;
using json = nlohmann::json;
using namespace std::chrono;

// ---- generatorURL: the cases where Go's url.Parse fails (strfmt "uri") ----

bool valid_escapes(std::string_view s) {
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && (i + 2 >= s.size() || !hex(s[i + 1]) || !hex(s[i + 2]))) return false;
  }
  return true;
}

bool valid_host(std::string_view host) {
  if (auto at_sign = host.rfind('@'); at_sign != std::string_view::npos)
    host.remove_prefix(at_sign + 1);
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    host.remove_prefix(close + 1);
    if (host.empty()) return true;
    if (host[0] != ':') return false;
  }
  if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    for (char c : host.substr(colon + 1)) {
      if (c < '0' || c > '9') return false;
    }
    host = host.substr(0, colon);
  }
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u) &&
        std::string_view("-_.~!$&'()*+,;=:[]<>\"%").find(c) == std::string_view::npos)
      return false;
  }
  return valid_escapes(host);
}

bool valid_uri(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  if (auto hash = s.find('#'); hash != std::string_view::npos) {
    if (!valid_escapes(s.substr(hash + 1))) return false;
    s = s.substr(0, hash);
  }
  bool has_scheme = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isalpha(c)) continue;
    if (std::isdigit(c) || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return false;  // missing protocol scheme
      has_scheme = true;
      s.remove_prefix(i + 1);
    }
    break;
  }
  if (auto q = s.find('?'); q != std::string_view::npos) s = s.substr(0, q);
  if (!s.starts_with('/')) {
    if (has_scheme) return true;  // opaque
    const size_t colon = s.find(':');
    if (colon != std::string_view::npos && colon < s.find('/')) return false;
  }
  if (s.starts_with("//")) {
    s.remove_prefix(2);
    const size_t slash = s.find('/');
    if (!valid_host(s.substr(0, slash))) return false;
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  return valid_escapes(s);
}

// ---- POST /api/v2/alerts ----

struct Posted {
  Alert alert;
  std::optional<std::string> label_error, annotation_error;
};

Result<Posted> decode_alert(const json& j, const std::string& path) {
  if (!j.is_object()) return at(path, "must be an object");
  const json* labels = member(j, "labels");
  if (!labels) return at(join(path, "labels"), "is required");
  auto label_map = read_string_map(j, "labels", path);
  if (!label_map) return tl::unexpected(label_map.error());
  auto annotations = read_string_map(j, "annotations", path);
  if (!annotations) return tl::unexpected(annotations.error());
  auto starts = read_time(j, "startsAt", path);
  if (!starts) return tl::unexpected(starts.error());
  auto ends = read_time(j, "endsAt", path);
  if (!ends) return tl::unexpected(ends.error());
  auto url = read_string(j, "generatorURL", path);
  if (!url) return tl::unexpected(url.error());
  if (!valid_uri(*url)) return at(join(path, "generatorURL"), "must be a URI: " + go_quote(*url));

  Posted p;
  for (const auto& [name, value] : *label_map) {
    if (value.empty()) continue;  // removeEmptyLabels, before validation
    if (!valid_label_name(name) && !p.label_error) p.label_error = "invalid name " + go_quote(name);
    p.alert.labels.set(name, value);
  }
  for (const auto& [name, value] : *annotations) {
    if (!valid_label_name(name) && !p.annotation_error) {
      p.annotation_error = "invalid name " + go_quote(name);
    }
  }
  p.alert.annotations = std::move(*annotations);
  p.alert.starts_at = *starts;
  p.alert.ends_at = *ends;
  p.alert.generator_url = std::move(*url);
  return p;
}

// postAlertsHandler's defaults, then model.Alert.Validate's checks in its order.
std::optional<std::string> receive(Posted& p, WallTime now, Duration resolve_timeout) {
  Alert& a = p.alert;
  a.updated_at = now;
  if (a.starts_at == WallTime{}) a.starts_at = a.ends_at == WallTime{} ? now : a.ends_at;
  if (a.ends_at == WallTime{}) {
    a.timeout = true;
    a.ends_at = now + resolve_timeout;
  }
  if (a.ends_at < a.starts_at) return "start time must be before end time";
  if (p.label_error) return "invalid label set: " + *p.label_error;
  if (a.labels.empty()) return "at least one label pair required";
  if (p.annotation_error) return "invalid annotations: " + *p.annotation_error;
  return std::nullopt;
}

// ---- GET alerts ----

bool go_bool(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* t :
       {"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"}) {
    if (v == t) return true;
  }
  return false;
}

void read_bool(const QueryParams& params, const char* name, bool& out) {
  auto [first, last] = params.equal_range(name);
  if (first == last) return;
  const std::string& v = std::prev(last)->second;  // go-openapi binds the last repeat
  if (!v.empty()) out = go_bool(v);
}

// alertFilter without the receiver: what both /alerts and /alerts/groups apply to an alert.
bool keep_status(const ApiAlert& a, const AlertsFilter& f, WallTime now) {
  if (a.alert.ends_at != WallTime{} && a.alert.ends_at < now) return false;
  const bool suppressed = !a.silenced_by.empty() || !a.inhibited_by.empty();
  if (!f.active && !suppressed) return false;
  if (!f.silenced && !a.silenced_by.empty()) return false;
  if (!f.inhibited && !a.inhibited_by.empty()) return false;
  return matches_all(f.matchers, a.alert.labels);
}

void put_alert(std::string& out, const ApiAlert& a, const std::vector<std::string>& receivers) {
  const Alert& al = a.alert;
  out += "{\"annotations\":";
  put_string_map(out, al.annotations);
  out += ",\"endsAt\":" + json_str(format_api_datetime(al.ends_at));
  out += ",\"fingerprint\":" + json_str(fingerprint_hex(al.labels.fingerprint()));
  out += ",\"receivers\":";
  put_array(out, receivers, [&](const std::string& r) { out += "{\"name\":" + json_str(r) + "}"; });
  out += ",\"startsAt\":" + json_str(format_api_datetime(al.starts_at));
  out += ",\"status\":{\"inhibitedBy\":";
  put_array(out, a.inhibited_by, [&](Fingerprint fp) { out += json_str(fingerprint_hex(fp)); });
  out += ",\"silencedBy\":";
  put_array(out, a.silenced_by, [&](const std::string& id) { put_string(out, id); });
  const bool suppressed = !a.silenced_by.empty() || !a.inhibited_by.empty();
  out += std::string(",\"state\":") + (suppressed ? "\"suppressed\"" : "\"active\"") + "}";
  out += ",\"updatedAt\":" + json_str(format_api_datetime(al.updated_at));
  if (!al.generator_url.empty()) out += ",\"generatorURL\":" + json_str(al.generator_url);
  out += ",\"labels\":";
  put_labels(out, al.labels);
  out += '}';
}

// types.AlertSlice.Less (model/alert.h).
bool alert_before(const ApiAlert* x, const ApiAlert* y) {
  return herald::alert_before(x->alert, y->alert);
}

}  // namespace

// ---- public: alerts ----

std::string PostAlertsResult::error_text() const {
  std::string out;
  for (const std::string& e : errors) {
    if (!out.empty()) out += "; ";
    out += e;
  }
  return out;
}

namespace {

// Which limit `a` exceeds, if any.
std::optional<std::string> over_limit(const Alert& a, const AlertLimits& limits) {
  const auto too = [](const char* what, size_t n, size_t max) {
    return std::optional<std::string>(std::string(what) + " " + std::to_string(n) +
                                      " exceeds the limit of " + std::to_string(max));
  };
  if (a.labels.size() > limits.max_labels)
    return too("labels:", a.labels.size(), limits.max_labels);
  size_t total = a.generator_url.size();
  for (const auto& [name, value] : a.labels) {
    const size_t n = name.size() + value.size();
    if (n > limits.max_label_bytes)
      return too(("label " + name + ": bytes").c_str(), n, limits.max_label_bytes);
    total += n;
  }
  for (const auto& [name, value] : a.annotations) {
    const size_t n = name.size() + value.size();
    if (n > limits.max_annotation_bytes) {
      return too(("annotation " + name + ": bytes").c_str(), n, limits.max_annotation_bytes);
    }
    total += n;
  }
  if (total > limits.max_alert_bytes) return too("alert: bytes", total, limits.max_alert_bytes);
  return std::nullopt;
}

}  // namespace

PostAlertsResult parse_post_alerts(std::string_view body, WallTime now, Duration resolve_timeout,
                                   const AlertLimits& limits) {
  PostAlertsResult r;
  const auto refuse = [&](const Error& e) {
    r.body_refused = true;
    r.errors = {e.message};
    return r;
  };
  auto doc = parse_body(body);
  if (!doc) return refuse(doc.error());
  if (!doc->is_array()) return refuse(at("", "must be an array of alerts").value());
  if (doc->size() > limits.max_alerts) {
    r.too_large = true;
    return refuse(
        Error{ErrorCode::kInvalidInput, std::to_string(doc->size()) +
                                            " alerts in one request exceed the limit of " +
                                            std::to_string(limits.max_alerts)});
  }
  std::vector<Posted> posted;
  for (size_t i = 0; i < doc->size(); ++i) {
    auto p = decode_alert((*doc)[i], "[" + std::to_string(i) + "]");
    if (!p) return refuse(p.error());
    posted.push_back(*std::move(p));
  }
  for (Posted& p : posted) {
    if (auto big = over_limit(p.alert, limits)) {
      r.too_large = true;
      r.errors.push_back(*std::move(big));
    } else if (auto err = receive(p, now, resolve_timeout)) {
      r.errors.push_back(*std::move(err));
    } else {
      r.alerts.push_back(std::move(p.alert));
    }
  }
  return r;
}

Result<AlertsFilter> parse_alerts_filter(const QueryParams& params) {
  AlertsFilter f;
  read_bool(params, "active", f.active);
  read_bool(params, "silenced", f.silenced);
  read_bool(params, "inhibited", f.inhibited);
  read_bool(params, "unprocessed", f.unprocessed);
  auto matchers = parse_filters(params);
  if (!matchers) return tl::unexpected(matchers.error());
  f.matchers = *std::move(matchers);
  auto [first, last] = params.equal_range("receiver");
  if (first != last) {
    auto re = Matcher::create("receiver", MatchType::kRegex, std::prev(last)->second);
    if (!re) return invalid_input("failed to parse receiver param: " + re.error().message);
    f.receiver = *std::move(re);
  }
  return f;
}

bool keep(const ApiAlert& a, const AlertsFilter& f, WallTime now) {
  if (f.receiver && std::none_of(a.receivers.begin(), a.receivers.end(),
                                 [&](const std::string& r) { return f.receiver->matches(r); })) {
    return false;
  }
  return keep_status(a, f, now);
}

std::string alerts_json(const std::vector<ApiAlert>& alerts, const AlertsFilter& f, WallTime now) {
  std::vector<std::pair<Fingerprint, const ApiAlert*>> kept;
  for (const ApiAlert& a : alerts) {
    if (keep(a, f, now)) kept.emplace_back(a.alert.labels.fingerprint(), &a);
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string out;
  put_array(out, kept, [&](const auto& k) { put_alert(out, *k.second, k.second->receivers); });
  return out + "\n";
}

std::string alerts_json(const std::vector<ApiAlert>& alerts, WallTime now) {
  return alerts_json(alerts, AlertsFilter{}, now);
}

std::string alert_groups_json(const std::vector<ApiGroup>& groups,
                              const std::vector<ApiAlert>& alerts, const AlertsFilter& f,
                              WallTime now) {
  std::map<Fingerprint, const ApiAlert*> by_fp;
  for (const ApiAlert& a : alerts)
    by_fp.emplace(a.alert.labels.fingerprint(), &a);
  struct Out {
    const ApiGroup* group;
    std::vector<const ApiAlert*> alerts;
  };
  std::vector<Out> selected;
  std::map<Fingerprint, std::vector<std::string>> receivers;
  for (const ApiGroup& g : groups) {
    if (f.receiver && !f.receiver->matches(g.receiver)) continue;
    Out o{&g, {}};
    for (Fingerprint fp : g.alerts) {
      auto it = by_fp.find(fp);
      if (it == by_fp.end() || !keep_status(*it->second, f, now)) continue;
      o.alerts.push_back(it->second);
      receivers[fp].push_back(g.receiver);
    }
    if (!o.alerts.empty()) selected.push_back(std::move(o));
  }
  for (auto& [fp, names] : receivers)
    std::sort(names.begin(), names.end());
  std::stable_sort(selected.begin(), selected.end(), [](const Out& x, const Out& y) {
    if (x.group->labels == y.group->labels) return x.group->receiver < y.group->receiver;
    return labels_before(x.group->labels, y.group->labels);
  });
  for (Out& o : selected)
    std::stable_sort(o.alerts.begin(), o.alerts.end(), alert_before);
  std::string out;
  put_array(out, selected, [&](const Out& o) {
    out += "{\"alerts\":";
    put_array(out, o.alerts, [&](const ApiAlert* a) {
      put_alert(out, *a, receivers[a->alert.labels.fingerprint()]);
    });
    out += ",\"labels\":";
    put_labels(out, o.group->labels);
    out += ",\"receiver\":{\"name\":" + json_str(o.group->receiver) + "}}";
  });
  return out + "\n";
}

std::string error_json(std::string_view message) {
  return json_str(message) + "\n";
}

// ---- public: status ----

std::string status_json(const StatusInput& in) {
  std::string out = "{\"cluster\":{\"peers\":[],\"status\":\"disabled\"}";
  out += ",\"config\":{\"original\":" + json_str(in.config_original) + "}";
  out += ",\"uptime\":" + json_str(format_api_datetime(in.uptime));
  out += ",\"versionInfo\":{\"branch\":" + json_str(in.branch);
  out += ",\"buildDate\":" + json_str(in.build_date);
  out += ",\"buildUser\":" + json_str(in.build_user);
  out += ",\"goVersion\":" + json_str(in.go_version);
  out += ",\"revision\":" + json_str(in.revision);
  out += ",\"version\":" + json_str(in.version) + "}}";
  return out + "\n";
}

}  // namespace herald::server
