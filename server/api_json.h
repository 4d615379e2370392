// The JSON plumbing of herald's Alertmanager API v2 codecs (alertmanager_api.cc,
// alertmanager_silences.cc): Go-compatible writing over model/go_json.h, and reading request bodies
// with field paths in errors ("[2].labels.severity: must be a string"). Internal to server/.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/labels.h"
#include "model/matcher.h"
#include "server/alertmanager_api.h"

namespace herald::server::api_json {

using json = nlohmann::json;

// Go's JSON decoder turns each invalid byte of a string into U+FFFD.
[[nodiscard]] std::string sanitize_utf8(std::string_view s);
// prometheus/common model.LabelName.IsValid (legacy): [a-zA-Z_][a-zA-Z0-9_]*.
[[nodiscard]] bool valid_label_name(std::string_view n);

void put_string(std::string& out, std::string_view s);
[[nodiscard]] std::string json_str(std::string_view s);
void put_string_map(std::string& out, const Annotations& m);
void put_labels(std::string& out, const LabelSet& ls);
template <typename T, typename F>
void put_array(std::string& out, const std::vector<T>& items, F&& put_item) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    put_item(items[i]);
  }
  out += ']';
}

// Reading: `path` is the field path so far ("" for the body).
[[nodiscard]] std::string join(std::string_view base, std::string_view key);
[[nodiscard]] tl::unexpected<Error> at(const std::string& path, std::string_view what);
[[nodiscard]] const json* member(const json& obj, const char* key);  // null when absent or null
[[nodiscard]] Result<std::string> read_string(const json& obj, const char* key,
                                              const std::string& path);
[[nodiscard]] Result<std::string> require_string(const json& obj, const char* key,
                                                 const std::string& path);
[[nodiscard]] Result<WallTime> read_time(const json& obj, const char* key, const std::string& path);
[[nodiscard]] Result<std::map<std::string, std::string>> read_string_map(const json& obj,
                                                                         const char* key,
                                                                         const std::string& path);
[[nodiscard]] Result<json> parse_body(std::string_view body);
// The repeated `filter` query parameters, one matcher each.
[[nodiscard]] Result<Matchers> parse_filters(const QueryParams& params);

}  // namespace herald::server::api_json
