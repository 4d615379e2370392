// Prometheus's template functions (prometheus/template/template.go and prometheus/common
// helpers/templates), with the same outputs and error texts.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "model/duration.h"
#include "model/go_float.h"
#include "model/host_port.h"
#include "model/labels.h"
#include "template/functions.h"
#include "template/go_regexp.h"
#include "template/go_strings.h"
#include "template/go_time.h"

namespace herald::tmpl {
namespace {

CallError fail(std::string msg) {
  return CallError{std::move(msg), true};
}

std::string g4(double v) {
  return go_format_float_verb(v, GoFloatSpec{'g', -1, 4});
}

// Prometheus's ConvertToFloat: numbers, numeric strings, and (herald) times as Unix seconds.
tl::expected<double, CallError> to_float(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kFloat:
      return v.as_float();
    case Value::Kind::kInt:
      return static_cast<double>(v.as_int());
    case Value::Kind::kString:
      return go_parse_float(v.as_string()).map_error([](std::string e) { return fail(e); });
    case Value::Kind::kTime:
      return static_cast<double>(go_time_unix_nano(v.as_time())) / 1e9;
    default:
      return tl::unexpected(fail("can't convert " + v.type_name() + " to float"));
  }
}

std::optional<CallError> want_string(const Value& v) {
  if (v.kind() == Value::Kind::kString) return std::nullopt;
  if (v.is_nil()) return CallError{"invalid value; expected string", false};
  return wrong_type("string", v);
}

// Prometheus's FloatToTime: Unix seconds → UTC time, truncated to milliseconds.
tl::expected<WallTime, CallError> float_to_time(double v) {
  double ns = v * 1e9;
  if (ns > 9.2233720368547758e18 || ns < -9.2233720368547758e18) {
    return tl::unexpected(
        fail(go_float_string(v) +
             " cannot be represented as a nanoseconds timestamp since it overflows int64"));
  }
  int64_t n =
      ns >= 9.2233720368547758e18 ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(ns);
  int64_t ms = n / 1000000;  // model.TimeFromUnixNano keeps milliseconds
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

std::string scaled(double v, const char* const* prefixes, double base, bool up) {
  std::string prefix;
  for (int i = 0; i < 8; ++i) {
    if (up ? std::fabs(v) < base : std::fabs(v) >= 1) break;
    prefix = prefixes[i];
    v = up ? v / base : v * base;
  }
  return g4(v) + prefix;
}

const char* const kBig[] = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
const char* const kSmall[] = {"m", "u", "n", "p", "f", "a", "z", "y"};
const char* const kBinary[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

CallResult fn_humanize(const std::vector<Value>& a, const CallEnv&) {
  auto f = to_float(a[0]);
  if (!f) return tl::unexpected(f.error());
  double v = *f;
  if (v == 0 || std::isnan(v) || std::isinf(v)) return Value::string(g4(v));
  if (std::fabs(v) >= 1) return Value::string(scaled(v, kBig, 1000, true));
  return Value::string(scaled(v, kSmall, 1000, false));
}

CallResult fn_humanize1024(const std::vector<Value>& a, const CallEnv&) {
  auto f = to_float(a[0]);
  if (!f) return tl::unexpected(f.error());
  double v = *f;
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return Value::string(g4(v));
  return Value::string(scaled(v, kBinary, 1024, true));
}

CallResult fn_humanize_duration(const std::vector<Value>& a, const CallEnv&) {
  auto f = to_float(a[0]);
  if (!f) return tl::unexpected(f.error());
  double v = *f;
  if (std::isnan(v) || std::isinf(v)) return Value::string(g4(v));
  if (v == 0) return Value::string(g4(v) + "s");
  if (std::fabs(v) >= 1) {
    std::string sign = v < 0 ? "-" : "";
    v = std::fabs(v);
    auto d =
        v >= 9.2233720368547758e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(v);
    int64_t s = d % 60, m = d / 60 % 60, h = d / 3600 % 24, days = d / 86400;
    auto n = [](int64_t x) { return std::to_string(x); };
    if (days != 0)
      return Value::string(sign + n(days) + "d " + n(h) + "h " + n(m) + "m " + n(s) + "s");
    if (h != 0) return Value::string(sign + n(h) + "h " + n(m) + "m " + n(s) + "s");
    if (m != 0) return Value::string(sign + n(m) + "m " + n(s) + "s");
    return Value::string(sign + g4(v) + "s");
  }
  return Value::string(scaled(v, kSmall, 1000, false) + "s");
}

CallResult fn_humanize_percentage(const std::vector<Value>& a, const CallEnv&) {
  auto f = to_float(a[0]);
  if (!f) return tl::unexpected(f.error());
  return Value::string(g4(*f * 100) + "%");
}

CallResult fn_humanize_timestamp(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() == Value::Kind::kTime) return Value::string(go_time_string(a[0].as_time()));
  auto f = to_float(a[0]);
  if (!f) return tl::unexpected(f.error());
  if (std::isnan(*f) || std::isinf(*f)) return Value::string(g4(*f));
  auto t = float_to_time(*f);
  if (!t) return tl::unexpected(t.error());
  return Value::string(go_time_string(*t));
}

CallResult fn_to_time(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() == Value::Kind::kTime) return a[0];
  auto f = to_float(a[0]);
  if (!f) return tl::unexpected(f.error());
  if (std::isnan(*f) || std::isinf(*f)) return tl::unexpected(fail("value is NaN or Inf"));
  return float_to_time(*f).map([](WallTime t) { return Value::time(t); });
}

// Functions of one string argument returning a string.
template <std::string (*F)(std::string_view)>
CallResult string_fn(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_string(a[0])) return tl::unexpected(*e);
  return Value::string(F(a[0].as_string()));
}

std::string identity(std::string_view s) {
  return std::string(s);
}
std::string prometheus_title(std::string_view s) {
  return go_title(s, false);
}
std::string graph_link(std::string_view e) {
  return "/graph?g0.expr=" + url_query_escape(e) + "&g0.tab=0";
}
std::string table_link(std::string_view e) {
  return "/graph?g0.expr=" + url_query_escape(e) + "&g0.tab=1";
}

std::string strip_port(std::string_view hp) {
  auto r = split_host_port(hp);
  return r ? r->host : std::string(hp);
}

std::string strip_domain(std::string_view hp) {
  auto r = split_host_port(hp);
  std::string host = r ? r->host : std::string(hp);
  std::string port = r ? r->port : "";
  if (is_ip_address(host)) return std::string(hp);
  host = host.substr(0, host.find('.'));
  return port.empty() ? host : join_host_port(host, port);
}

CallResult fn_match(const std::vector<Value>& a, const CallEnv&) {
  for (const auto& v : a) {
    if (auto e = want_string(v)) return tl::unexpected(*e);
  }
  auto r = regexp_match(a[0].as_string(), a[1].as_string());
  if (!r) return tl::unexpected(fail(r.error()));
  return Value::boolean(*r);
}

CallResult fn_re_replace_all(const std::vector<Value>& a, const CallEnv&) {
  for (const auto& v : a) {
    if (auto e = want_string(v)) return tl::unexpected(*e);
  }
  auto r = regexp_replace_all(a[0].as_string(), a[1].as_string(), a[2].as_string());
  if (!r) return tl::unexpected(fail(r.error()));
  return Value::string(std::move(*r));
}

CallResult fn_parse_duration(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_string(a[0])) return tl::unexpected(*e);
  const std::string& s = a[0].as_string();
  auto d = parse_duration(s);
  if (!d) {
    return tl::unexpected(
        fail(s.empty() ? "empty duration string" : "not a valid duration string: " + go_quote(s)));
  }
  return Value::floating(static_cast<double>(d->count()) / 1000.0);
}

CallResult fn_args(const std::vector<Value>& a, const CallEnv&) {
  ValueMap m;
  for (size_t i = 0; i < a.size(); ++i)
    m.emplace("arg" + std::to_string(i), a[i]);
  return Value::map(std::move(m));
}

// Prometheus's query helpers take the query result type and *sample.
std::optional<CallError> want_samples(const Value& v) {
  if (v.is_nil() || v.is_query_result()) return std::nullopt;
  return wrong_type("template.queryResult", v);
}
std::optional<CallError> want_sample(const Value& v) {
  if (v.kind() == Value::Kind::kSample) return std::nullopt;
  if (v.is_nil()) return fail("runtime error: invalid memory address or nil pointer dereference");
  return wrong_type("*template.sample", v);
}

CallResult fn_query(const std::vector<Value>& a, const CallEnv& env) {
  if (auto e = want_string(a[0])) return tl::unexpected(*e);
  if (env.query == nullptr || !*env.query)
    return tl::unexpected(fail("no query function configured"));
  auto r = (*env.query)(a[0].as_string());
  if (!r) return tl::unexpected(fail(r.error().message));
  std::vector<Value> items;
  for (auto& s : *r)
    items.push_back(Value::sample(std::move(s)));
  return Value::list(std::move(items), /*query_result=*/true);
}

CallResult fn_first(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_samples(a[0])) return tl::unexpected(*e);
  if (a[0].is_nil() || a[0].as_list().empty()) {
    return tl::unexpected(fail("first() called on vector with no elements"));
  }
  return a[0].as_list()[0];
}

CallResult fn_label(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_string(a[0])) return tl::unexpected(*e);
  if (auto e = want_sample(a[1])) return tl::unexpected(*e);
  return Value::string(std::string(a[1].as_sample().labels.get(a[0].as_string())));
}

CallResult fn_value(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_sample(a[0])) return tl::unexpected(*e);
  return Value::floating(a[0].as_sample().value);
}

CallResult fn_strvalue(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_sample(a[0])) return tl::unexpected(*e);
  return Value::string(std::string(a[0].as_sample().labels.get("__value__")));
}

CallResult fn_sort_by_label(const std::vector<Value>& a, const CallEnv&) {
  if (auto e = want_string(a[0])) return tl::unexpected(*e);
  if (auto e = want_samples(a[1])) return tl::unexpected(*e);
  if (a[1].is_nil()) return a[1];
  std::vector<Value> items = a[1].as_list();
  const std::string& by = a[0].as_string();
  std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
    return x.as_sample().labels.get(by) < y.as_sample().labels.get(by);
  });
  return Value::list(std::move(items), true);
}

// The path of the external URL (url.URL.Path), e.g. "/prometheus" for "http://h:9090/prometheus".
std::string url_path(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : url.find('/', scheme + 3);
  if (start == std::string_view::npos) return "";
  size_t end = url.find_first_of("?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

CallResult fn_path_prefix(const std::vector<Value>&, const CallEnv& env) {
  return Value::string(url_path(env.external_url));
}

CallResult fn_external_url(const std::vector<Value>&, const CallEnv& env) {
  return Value::string(std::string(env.external_url));
}

}  // namespace

const std::vector<FuncInfo>& prometheus_functions() {
  static const std::vector<FuncInfo> kTable = {
      {"query", 1, 1, true, fn_query},
      {"first", 1, 1, false, fn_first},
      {"label", 2, 2, false, fn_label},
      {"value", 1, 1, false, fn_value},
      {"strvalue", 1, 1, false, fn_strvalue},
      {"args", 0, -1, false, fn_args},
      {"reReplaceAll", 3, 3, false, fn_re_replace_all},
      {"safeHtml", 1, 1, false, string_fn<identity>},
      {"match", 2, 2, false, fn_match},
      {"title", 1, 1, false, string_fn<prometheus_title>},
      {"toUpper", 1, 1, false, string_fn<go_to_upper>},
      {"toLower", 1, 1, false, string_fn<go_to_lower>},
      {"graphLink", 1, 1, false, string_fn<graph_link>},
      {"tableLink", 1, 1, false, string_fn<table_link>},
      {"sortByLabel", 2, 2, false, fn_sort_by_label},
      {"stripPort", 1, 1, false, string_fn<strip_port>},
      {"stripDomain", 1, 1, false, string_fn<strip_domain>},
      {"humanize", 1, 1, false, fn_humanize},
      {"humanize1024", 1, 1, false, fn_humanize1024},
      {"humanizeDuration", 1, 1, false, fn_humanize_duration},
      {"humanizePercentage", 1, 1, false, fn_humanize_percentage},
      {"humanizeTimestamp", 1, 1, false, fn_humanize_timestamp},
      {"toTime", 1, 1, false, fn_to_time},
      {"pathPrefix", 0, 0, false, fn_path_prefix},
      {"externalURL", 0, 0, false, fn_external_url},
      {"parseDuration", 1, 1, false, fn_parse_duration},
  };
  return kTable;
}

}  // namespace herald::tmpl
