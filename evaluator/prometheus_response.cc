// Prometheus API response decoding: the envelope (status, errorType, warnings), then the result
// by resultType. nlohmann_json exceptions are caught here and never leave this file.
#include "evaluator/prometheus_response.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace herald::evaluator {
namespace {

using nlohmann::json;

std::string http_prefix(int status) {
  return "http " + std::to_string(status) + ": ";
}

bool retryable_status(int status) {
  return status < 300 || status >= 500 || status == 408 || status == 429;
}

// See the table in the header.
ErrorCode classify(std::string_view error_type, int status) {
  if (error_type == "bad_data" || error_type == "execution") return ErrorCode::kInvalidInput;
  if (error_type == "timeout" || error_type == "canceled" || error_type == "unavailable" ||
      error_type == "internal")
    return ErrorCode::kUnavailable;
  return retryable_status(status) ? ErrorCode::kUnavailable : ErrorCode::kRejected;
}

tl::unexpected<Error> shape_error(const std::string& what) {
  return make_error(ErrorCode::kRejected, "unexpected response from Prometheus API: " + what);
}

tl::unexpected<Error> unparsable(const HttpResponse& r, const std::string& parse_error) {
  const ErrorCode code =
      retryable_status(r.status) ? ErrorCode::kUnavailable : ErrorCode::kRejected;
  const size_t first = r.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return make_error(code, http_prefix(r.status) + "empty body");
  if (r.body[first] == '{')  // JSON that stops early: a cut connection or a proxy's size limit
    return make_error(code,
                      http_prefix(r.status) + "truncated or invalid JSON (" + parse_error + ")");
  return make_error(code, http_prefix(r.status) + "not a JSON body: " + body_excerpt(r.body));
}

// Parses the body and checks `status`; returns the document of a successful reply.
Result<json> decode_envelope(const HttpResponse& r) {
  json doc;
  try {
    doc = json::parse(r.body);
  } catch (const json::exception& e) {  // its message says where: "unexpected end of input"
    return unparsable(r, e.what());
  }
  if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) {
    if (r.status >= 300)
      return make_error(classify("", r.status),
                        http_prefix(r.status) + "unexpected body: " + body_excerpt(r.body));
    return shape_error("no \"status\"");
  }
  if (doc["status"] == "success") {
    if (r.status >= 300) return shape_error(http_prefix(r.status) + "with status success");
    return doc;
  }
  const std::string type = doc.value("errorType", std::string("unknown"));
  const std::string message = doc.value("error", std::string());
  return make_error(classify(type, r.status),
                    type + ": " + message + " (http " + std::to_string(r.status) + ")");
}

// Prometheus sends values as Go strconv.FormatFloat strings: "1.5", "1e+06", "NaN", "+Inf", "-Inf".
Result<double> decode_value(const json& pair) {
  if (!pair.is_array() || pair.size() != 2 || !pair[1].is_string())
    return shape_error("sample value is not [<time>, \"<value>\"]");
  std::string_view s = pair[1].get_ref<const std::string&>();
  if (s.size() > 1 && s.front() == '+') s.remove_prefix(1);  // from_chars rejects a leading '+'
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size())
    return shape_error("sample value \"" + body_excerpt(s, 40) + "\" is not a number");
  return v;
}

Result<WallTime> decode_time(const json& pair) {
  if (!pair.is_array() || pair.empty() || !pair[0].is_number())
    return shape_error("sample time is not a number");
  // WallTime counts nanoseconds in 64 bits: it ends in 2262 (and begins in 1677).
  constexpr auto kLimit =
      std::chrono::duration_cast<std::chrono::seconds>(WallTime::duration::max());
  const double seconds = pair[0].get<double>();
  if (!(std::fabs(seconds) < static_cast<double>(kLimit.count())))
    return shape_error("sample time " + body_excerpt(pair[0].dump(), 40) + " is out of range");
  return WallTime{} + std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

Result<LabelSet> decode_labels(const json& metric) {
  if (!metric.is_object()) return shape_error("\"metric\" is not an object");
  LabelSet labels;
  for (const auto& [name, value] : metric.items()) {
    if (!value.is_string()) return shape_error("label \"" + name + "\" is not a string");
    labels.set(name, value.get_ref<const std::string&>());
  }
  return labels;
}

Result<std::vector<QuerySample>> decode_vector(const json& result) {
  if (!result.is_array()) return shape_error("vector result is not an array");
  std::vector<QuerySample> samples;
  samples.reserve(result.size());
  for (const json& s : result) {
    if (!s.is_object()) return shape_error("vector element is not an object");
    auto labels = decode_labels(s.contains("metric") ? s["metric"] : json::object());
    if (!labels) return tl::unexpected(labels.error());
    auto value = decode_value(s.contains("value") ? s["value"] : json());
    if (!value) return tl::unexpected(value.error());
    samples.push_back({std::move(*labels), *value});
  }
  return samples;
}

Result<RangeSeries> decode_series(const json& s) {
  if (!s.is_object()) return shape_error("matrix element is not an object");
  auto labels = decode_labels(s.contains("metric") ? s["metric"] : json::object());
  if (!labels) return tl::unexpected(labels.error());
  RangeSeries series{std::move(*labels), {}};
  const json values = s.contains("values") ? s["values"] : json::array();
  if (!values.is_array()) return shape_error("\"values\" is not an array");
  series.points.reserve(values.size());
  for (const json& pair : values) {
    auto at = decode_time(pair);
    if (!at) return tl::unexpected(at.error());
    auto value = decode_value(pair);
    if (!value) return tl::unexpected(value.error());
    series.points.emplace_back(*at, *value);
  }
  return series;
}

// The `data` object and its resultType, checked for presence.
Result<std::pair<std::string, json>> decode_data(const json& doc) {
  if (!doc.contains("data") || !doc["data"].is_object()) return shape_error("no \"data\" object");
  const json& data = doc["data"];
  if (!data.contains("resultType") || !data["resultType"].is_string())
    return shape_error("no \"resultType\"");
  return std::pair{data["resultType"].get<std::string>(),
                   data.contains("result") ? data["result"] : json()};
}

Result<QueryResult> decode_query(const HttpResponse& response) {
  auto doc = decode_envelope(response);
  if (!doc) return tl::unexpected(doc.error());
  auto data = decode_data(*doc);
  if (!data) return tl::unexpected(data.error());
  const auto& [type, result] = *data;
  QueryResult out;
  if (type == "vector") {
    auto samples = decode_vector(result);
    if (!samples) return tl::unexpected(samples.error());
    out.samples = std::move(*samples);
  } else if (type == "scalar") {
    auto value = decode_value(result);
    if (!value) return tl::unexpected(value.error());
    out.samples.push_back({LabelSet{}, *value});
  } else if (type == "matrix" || type == "string") {
    return invalid_input("query returned a " +
                         std::string(type == "matrix" ? "range vector" : "string") +
                         ", not an instant vector");
  } else {
    return shape_error("unknown resultType \"" + body_excerpt(type, 40) + "\"");
  }
  if (doc->contains("warnings") && (*doc)["warnings"].is_array()) {
    for (const json& w : (*doc)["warnings"])
      if (w.is_string()) out.warnings.push_back(w.get<std::string>());
  }
  return out;
}

Result<std::vector<RangeSeries>> decode_range(const HttpResponse& response) {
  auto doc = decode_envelope(response);
  if (!doc) return tl::unexpected(doc.error());
  auto data = decode_data(*doc);
  if (!data) return tl::unexpected(data.error());
  const auto& [type, result] = *data;
  if (type != "matrix") return invalid_input("range query returned a " + type + ", not a matrix");
  if (!result.is_array()) return shape_error("matrix result is not an array");
  std::vector<RangeSeries> out;
  out.reserve(result.size());
  for (const json& s : result) {
    auto series = decode_series(s);
    if (!series) return tl::unexpected(series.error());
    out.push_back(std::move(*series));
  }
  return out;
}

}  // namespace

std::string body_excerpt(std::string_view body, size_t max_chars) {
  std::string out;
  for (char c : body) {
    if (out.size() >= max_chars) return out + "...";
    const auto u = static_cast<unsigned char>(c);
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += (u < 0x20 || u >= 0x7f) ? '?' : c;
    }
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

Result<QueryResult> decode_query_response(const HttpResponse& response) {
  try {
    return decode_query(response);
  } catch (const std::exception& e) {  // nlohmann type errors we did not foresee, bad_alloc
    return shape_error(e.what());
  }
}

Result<std::vector<RangeSeries>> decode_range_response(const HttpResponse& response) {
  try {
    return decode_range(response);
  } catch (const std::exception& e) {
    return shape_error(e.what());
  }
}

}  // namespace herald::evaluator
