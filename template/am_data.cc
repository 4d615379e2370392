// Alertmanager's template data types and functions (alertmanager/template/template.go), built
// from their documented behaviour: KV.SortedPairs puts alertname first and sorts the rest by
// name; Remove drops the given keys; Alerts.Firing/Resolved filter by status; join's separator
// comes first so that `.Values | join " "` works.
#include "template/am_data.h"

#include <algorithm>
#include <set>

#include "model/labels.h"
#include "template/go_strings.h"
#include "template/go_time.h"

namespace herald::tmpl::am {
namespace {

constexpr const char* kKV = "template.KV";
constexpr const char* kPairs = "template.Pairs";
constexpr const char* kAlerts = "template.Alerts";
constexpr const char* kAlert = "template.Alert";
constexpr const char* kData = "template.Data";
constexpr const char* kStrings = "[]string";
constexpr const char* kHTML = "template.HTML";
constexpr const char* kURL = "template.URL";

bool is(const Value& v, const char* type) {
  return v.go_type() != nullptr && std::string_view(v.go_type()) == type;
}

Value string_list(std::vector<Value> items) {
  return Value::list(std::move(items)).with_go_type(kStrings);
}

// Hidden struct fields (herald's links) are named with a leading '_': field access and printing
// skip them; only methods read them.
Value links_value(const Links& l) {
  return Value::structure("herald.links", {{"_dashboard", Value::string(l.dashboard)},
                                           {"_runbook", Value::string(l.runbook)},
                                           {"_silence", Value::string(l.silence)}});
}

const Value* field(const Value& s, std::string_view name) {
  for (const auto& [n, v] : s.struct_fields()) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> sorted_pairs(const Value& kv) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [k, v] : kv.as_map())
    pairs.emplace_back(k, v.kind() == Value::Kind::kString ? v.as_string() : format_value(v));
  // as_map() is ordered by name already; alertname moves to the front.
  auto it = std::find_if(pairs.begin(), pairs.end(),
                         [](const auto& p) { return p.first == "alertname"; });
  if (it != pairs.end()) std::rotate(pairs.begin(), it, it + 1);
  return pairs;
}

Value pairs_value(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<Value> items;
  for (const auto& [k, v] : pairs) {
    items.push_back(Value::structure("template.Pair",
                                     {{"Name", Value::string(k)}, {"Value", Value::string(v)}}));
  }
  return Value::list(std::move(items)).with_go_type(kPairs);
}

Value pair_column(const Value& pairs, std::string_view column) {
  std::vector<Value> items;
  for (const Value& p : pairs.as_list())
    items.push_back(*field(p, column));
  return string_list(std::move(items));
}

CallResult kv_sorted_pairs(const Value& kv, const std::vector<Value>&) {
  return pairs_value(sorted_pairs(kv));
}
CallResult kv_names(const Value& kv, const std::vector<Value>&) {
  return pair_column(pairs_value(sorted_pairs(kv)), "Name");
}
CallResult kv_values(const Value& kv, const std::vector<Value>&) {
  return pair_column(pairs_value(sorted_pairs(kv)), "Value");
}

CallResult kv_remove(const Value& kv, const std::vector<Value>& args) {
  const Value& keys = args[0];
  if (keys.kind() != Value::Kind::kList) return tl::unexpected(wrong_type("[]string", keys));
  std::set<std::string, std::less<>> drop;
  for (const Value& k : keys.as_list()) {
    if (k.kind() != Value::Kind::kString) return tl::unexpected(wrong_type("[]string", keys));
    drop.insert(k.as_string());
  }
  ValueMap out;
  for (const auto& [k, v] : kv.as_map()) {
    if (drop.count(k) == 0) out.emplace(k, v);
  }
  return Value::map(std::move(out), Value::MapElem::kString).with_go_type(kKV);
}

CallResult pairs_names(const Value& p, const std::vector<Value>&) {
  return pair_column(p, "Name");
}
CallResult pairs_values(const Value& p, const std::vector<Value>&) {
  return pair_column(p, "Value");
}

Value alerts_with_status(const Value& alerts, std::string_view status) {
  std::vector<Value> out;
  for (const Value& a : alerts.as_list()) {
    if (field(a, "Status")->as_string() == status) out.push_back(a);
  }
  return Value::list(std::move(out)).with_go_type(kAlerts);
}
CallResult alerts_firing(const Value& a, const std::vector<Value>&) {
  return alerts_with_status(a, "firing");
}
CallResult alerts_resolved(const Value& a, const std::vector<Value>&) {
  return alerts_with_status(a, "resolved");
}

template <const char* const* Name>
CallResult link(const Value& s, const std::vector<Value>&) {
  return *field(*field(s, "_links"), *Name);
}
constexpr const char* kDashboard = "_dashboard";
constexpr const char* kRunbook = "_runbook";
constexpr const char* kSilence = "_silence";

const std::vector<MethodInfo> kKVMethods = {{"SortedPairs", 0, kv_sorted_pairs},
                                            {"Names", 0, kv_names},
                                            {"Values", 0, kv_values},
                                            {"Remove", 1, kv_remove}};
const std::vector<MethodInfo> kPairsMethods = {{"Names", 0, pairs_names},
                                               {"Values", 0, pairs_values}};
const std::vector<MethodInfo> kAlertsMethods = {{"Firing", 0, alerts_firing},
                                                {"Resolved", 0, alerts_resolved}};
const std::vector<MethodInfo> kLinkMethods = {{"DashboardURL", 0, link<&kDashboard>},
                                              {"RunbookURL", 0, link<&kRunbook>},
                                              {"SilenceURL", 0, link<&kSilence>}};

// ---- functions
CallResult fn_join(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  if (a[1].kind() != Value::Kind::kList) return tl::unexpected(wrong_type("[]string", a[1]));
  std::string out;
  for (size_t i = 0; i < a[1].as_list().size(); ++i) {
    const Value& s = a[1].as_list()[i];
    if (s.kind() != Value::Kind::kString) return tl::unexpected(wrong_type("[]string", a[1]));
    if (i > 0) out += a[0].as_string();
    out += s.as_string();
  }
  return Value::string(std::move(out));
}

CallResult fn_string_slice(const std::vector<Value>& a, const CallEnv&) {
  for (const Value& s : a) {
    if (s.kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", s));
  }
  return string_list(a);
}

CallResult fn_safe_html(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  return Value::string(a[0].as_string()).with_go_type(kHTML);
}

// Alertmanager's title lower-cases the rest of each word (cases.Title without NoLower).
CallResult fn_title(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  return Value::string(go_title(a[0].as_string(), true));
}

CallResult fn_safe_url(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  return Value::string(a[0].as_string()).with_go_type(kURL);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// url.QueryUnescape: '+' is a space, %XX a byte; a bad escape is Go's error.
CallResult fn_url_unescape(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  const std::string& s = a[0].as_string();
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      const int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return tl::unexpected(CallError{
            "invalid URL escape " + go_quote(s.substr(i, std::min<size_t>(3, s.size() - i))),
            true});
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return Value::string(std::move(out));
}

CallResult fn_trim_space(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  const std::string& s = a[0].as_string();
  size_t b = s.find_first_not_of(" \t\n\v\f\r");
  if (b == std::string::npos) return Value::string("");
  size_t e = s.find_last_not_of(" \t\n\v\f\r");
  return Value::string(s.substr(b, e - b + 1));
}

}  // namespace

WallTime go_zero_time() {
  return kGoZeroTime;
}

Value kv_value(const LabelSet& labels) {
  return Value::string_map(labels).with_go_type(kKV);
}

Value data_value(const Data& d) {
  std::vector<Value> alerts;
  for (const AlertData& a : d.alerts) {
    alerts.push_back(Value::structure(kAlert, {{"Status", Value::string(a.status)},
                                               {"Labels", kv_value(a.labels)},
                                               {"Annotations", kv_value(a.annotations)},
                                               {"StartsAt", Value::time(a.starts_at)},
                                               {"EndsAt", Value::time(a.ends_at)},
                                               {"GeneratorURL", Value::string(a.generator_url)},
                                               {"Fingerprint", Value::string(a.fingerprint)},
                                               {"_links", links_value(a.links)}}));
  }
  return Value::structure(kData, {{"Receiver", Value::string(d.receiver)},
                                  {"Status", Value::string(d.status)},
                                  {"Alerts", Value::list(std::move(alerts)).with_go_type(kAlerts)},
                                  {"GroupLabels", kv_value(d.group_labels)},
                                  {"CommonLabels", kv_value(d.common_labels)},
                                  {"CommonAnnotations", kv_value(d.common_annotations)},
                                  {"ExternalURL", Value::string(d.external_url)},
                                  {"_links", links_value(d.links)}});
}

const std::vector<MethodInfo>* methods_of(const Value& receiver) {
  if (is(receiver, kKV)) return &kKVMethods;
  if (is(receiver, kPairs)) return &kPairsMethods;
  if (is(receiver, kAlerts)) return &kAlertsMethods;
  if (receiver.kind() == Value::Kind::kStruct &&
      (receiver.type_name() == kAlert || receiver.type_name() == kData))
    return &kLinkMethods;
  return nullptr;
}

const std::vector<FuncInfo>& alertmanager_functions() {
  static const std::vector<FuncInfo> kTable = {
      {"join", 2, 2, false, fn_join},
      {"stringSlice", 0, -1, false, fn_string_slice},
      {"safeHtml", 1, 1, false, fn_safe_html},
      {"title", 1, 1, false, fn_title},
      // Newer Alertmanagers' (trimSpace 0.26, safeUrl and urlUnescape 0.30): pasted templates using
      // them load in herald too.
      {"trimSpace", 1, 1, false, fn_trim_space},
      {"safeUrl", 1, 1, false, fn_safe_url},
      {"urlUnescape", 1, 1, false, fn_url_unescape},
  };
  return kTable;
}

}  // namespace herald::tmpl::am
