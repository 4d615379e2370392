// Reading and writing the v2 API's JSON as Go and go-openapi do.
#include "server/api_json.h"

#include "model/go_json.h"

namespace herald::server::api_json {
namespace {

// Length of the valid UTF-8 sequence at s[i] (Go's utf8.DecodeRune rules), or 0.
size_t utf8_len(std::string_view s, size_t i) {
  if (static_cast<unsigned char>(s[i]) < 0x80) return 1;
  char32_t rune = 0;
  return utf8_sequence(s.substr(i), rune);
}

}  // namespace

// ---- UTF-8 and names ----

// Go's JSON decoder turns each invalid byte of a string into U+FFFD; outside strings an
// invalid byte is a syntax error either way, so replacing them up front is equivalent.
std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_len(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// prometheus/common model.LabelName.IsValid (legacy): [a-zA-Z_][a-zA-Z0-9_]*.
bool valid_label_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// ---- writing JSON as Go does ----

void put_string(std::string& out, std::string_view s) {
  append_go_json_string(out, s);
}

std::string json_str(std::string_view s) {
  std::string out;
  put_string(out, s);
  return out;
}

void put_string_map(std::string& out, const Annotations& m) {
  append_go_json_object(out, m);
}
void put_labels(std::string& out, const LabelSet& ls) {
  append_go_json_object(out, ls);
}

// ---- reading JSON with paths ----

std::string join(std::string_view base, std::string_view key) {
  if (base.empty()) return std::string(key);
  return std::string(base) + "." + std::string(key);
}

tl::unexpected<Error> at(const std::string& path, std::string_view what) {
  return invalid_input((path.empty() ? std::string("body") : path) + ": " + std::string(what));
}

const json* member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

// Absent or null reads as "", as Go leaves a string untouched on null.
Result<std::string> read_string(const json& obj, const char* key, const std::string& path) {
  const json* v = member(obj, key);
  if (!v) return std::string();
  if (!v->is_string()) return at(join(path, key), "must be a string");
  return v->get<std::string>();
}

Result<std::string> require_string(const json& obj, const char* key, const std::string& path) {
  if (!member(obj, key)) return at(join(path, key), "is required");
  return read_string(obj, key, path);
}

Result<WallTime> read_time(const json& obj, const char* key, const std::string& path) {
  auto s = read_string(obj, key, path);
  if (!s) return tl::unexpected(s.error());
  auto t = parse_api_datetime(*s);
  if (!t) return at(join(path, key), t.error().message);
  return *t;
}

Result<std::map<std::string, std::string>> read_string_map(const json& obj, const char* key,
                                                           const std::string& path) {
  std::map<std::string, std::string> out;
  const json* v = member(obj, key);
  if (!v) return out;
  if (!v->is_object()) return at(join(path, key), "must be an object");
  for (const auto& [k, val] : v->items()) {
    if (val.is_null()) {
      out[k] = "";
    } else if (val.is_string()) {
      out[k] = val.get<std::string>();
    } else {
      return at(join(join(path, key), k), "must be a string");
    }
  }
  return out;
}

Result<json> parse_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return at("", "is required");
  try {
    return json::parse(sanitize_utf8(body));
  } catch (const json::exception& e) {  // parse_error; out_of_range for a number like 1e400
    std::string msg = e.what();
    if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
    return invalid_input("invalid JSON: " + msg);
  }
}

Result<Matchers> parse_filters(const QueryParams& params) {
  Matchers out;
  auto [first, last] = params.equal_range("filter");
  for (auto it = first; it != last; ++it) {
    auto m = parse_matcher(it->second);
    if (!m) return invalid_input(m.error().message);
    out.push_back(*std::move(m));
  }
  return out;
}

}  // namespace herald::server::api_json
