// Alertmanager API v2 silences: postableSilence in, gettableSilence out, the list's order and
// the `filter` parameter, as Alertmanager 0.25 answers them.
#include <algorithm>

#include "server/alertmanager_api.h"
#include "server/api_json.h"

namespace herald::server {
namespace {

using namespace api_json;

struct MatcherSpec {
  std::string name, value;
  bool is_regex = false, is_equal = true;
};

Result<MatcherSpec> read_matcher_spec(const json& j, const std::string& path) {
  if (!j.is_object()) return at(path, "must be an object");
  MatcherSpec m;
  auto name = require_string(j, "name", path);
  if (!name) return tl::unexpected(name.error());
  auto value = require_string(j, "value", path);
  if (!value) return tl::unexpected(value.error());
  const json* is_regex = member(j, "isRegex");
  const json* is_equal = member(j, "isEqual");  // optional, default true
  if (!is_regex) return at(join(path, "isRegex"), "is required");
  if (!is_regex->is_boolean()) return at(join(path, "isRegex"), "must be a boolean");
  if (is_equal && !is_equal->is_boolean()) return at(join(path, "isEqual"), "must be a boolean");
  m.name = *std::move(name);
  m.value = *std::move(value);
  m.is_regex = is_regex->get<bool>();
  if (is_equal) m.is_equal = is_equal->get<bool>();
  return m;
}

Result<std::vector<MatcherSpec>> read_matcher_specs(const json& doc) {
  const json* list = member(doc, "matchers");
  if (!list) return at("matchers", "is required");
  if (!list->is_array()) return at("matchers", "must be an array");
  if (list->empty()) return at("matchers", "must have at least 1 item");
  std::vector<MatcherSpec> out;
  for (size_t i = 0; i < list->size(); ++i) {
    auto m = read_matcher_spec((*list)[i], "matchers[" + std::to_string(i) + "]");
    if (!m) return tl::unexpected(m.error());
    out.push_back(*std::move(m));
  }
  return out;
}

// silence.go validateSilence's matcher checks, with the handler's "silence invalid: " prefix.
Result<Matchers> build_matchers(const std::vector<MatcherSpec>& specs) {
  Matchers out;
  bool all_match_empty = true;
  for (size_t i = 0; i < specs.size(); ++i) {
    const MatcherSpec& spec = specs[i];
    const std::string prefix = "silence invalid: invalid label matcher " + std::to_string(i) + ": ";
    if (!valid_label_name(spec.name)) {
      return invalid_input(prefix + "invalid label name " + go_quote(spec.name));
    }
    const MatchType type = spec.is_regex
                               ? (spec.is_equal ? MatchType::kRegex : MatchType::kNotRegex)
                               : (spec.is_equal ? MatchType::kEqual : MatchType::kNotEqual);
    auto m = Matcher::create(spec.name, type, spec.value);
    if (!m) {
      // The store compiles the pattern unanchored, so Go's message quotes it bare.
      std::string msg = m.error().message;
      const std::string anchored = "`^(?:" + spec.value + ")$`";
      if (msg.ends_with(anchored))
        msg.replace(msg.size() - anchored.size(), anchored.size(), "`" + spec.value + "`");
      return invalid_input(prefix + "invalid regular expression " + go_quote(spec.value) + ": " +
                           msg);
    }
    all_match_empty = all_match_empty && m->matches(std::string_view());
    out.push_back(*std::move(m));
  }
  if (all_match_empty) {
    return invalid_input("silence invalid: at least one matcher must not match the empty string");
  }
  return out;
}

int state_rank(const std::string& state) {
  if (state == "active") return 1;
  if (state == "pending") return 2;
  if (state == "expired") return 3;
  return 0;  // Go's map lookup of an unknown state
}

void put_silence(std::string& out, const ApiSilence& s) {
  out += "{\"id\":" + json_str(s.id);
  out += ",\"status\":{\"state\":" + json_str(s.state) + "}";
  out += ",\"updatedAt\":" + json_str(format_api_datetime(s.updated_at));
  out += ",\"comment\":" + json_str(s.comment);
  out += ",\"createdBy\":" + json_str(s.created_by);
  out += ",\"endsAt\":" + json_str(format_api_datetime(s.ends_at));
  out += ",\"matchers\":";
  put_array(out, s.matchers, [&](const Matcher& m) {
    const bool eq = m.type() == MatchType::kEqual || m.type() == MatchType::kRegex;
    const bool re = m.type() == MatchType::kRegex || m.type() == MatchType::kNotRegex;
    out += std::string("{\"isEqual\":") + (eq ? "true" : "false");
    out += std::string(",\"isRegex\":") + (re ? "true" : "false");
    out += ",\"name\":" + json_str(m.name()) + ",\"value\":" + json_str(m.value()) + "}";
  });
  out += ",\"startsAt\":" + json_str(format_api_datetime(s.starts_at)) + "}";
}

}  // namespace

Result<ApiSilence> parse_post_silence(std::string_view body, WallTime now) {
  auto doc = parse_body(body);
  if (!doc) return tl::unexpected(doc.error());
  if (!doc->is_object()) return at("", "must be an object");
  // Required fields and types, in the (alphabetical) order go-swagger validates them.
  auto comment = require_string(*doc, "comment", "");
  if (!comment) return tl::unexpected(comment.error());
  auto created_by = require_string(*doc, "createdBy", "");
  if (!created_by) return tl::unexpected(created_by.error());
  if (!member(*doc, "endsAt")) return at("endsAt", "is required");
  auto ends = read_time(*doc, "endsAt", "");
  if (!ends) return tl::unexpected(ends.error());
  auto specs = read_matcher_specs(*doc);
  if (!specs) return tl::unexpected(specs.error());
  if (specs->size() > kMaxSilenceMatchers) {
    return invalid_input("silence has " + std::to_string(specs->size()) +
                         " matchers, more than the limit of " +
                         std::to_string(kMaxSilenceMatchers));
  }
  if (body.size() > kMaxSilenceBytes) {
    return invalid_input("silence of " + std::to_string(body.size()) +
                         " bytes exceeds the limit of " + std::to_string(kMaxSilenceBytes));
  }
  if (!member(*doc, "startsAt")) return at("startsAt", "is required");
  auto starts = read_time(*doc, "startsAt", "");
  if (!starts) return tl::unexpected(starts.error());
  auto id = read_string(*doc, "id", "");
  if (!id) return tl::unexpected(id.error());
  // postSilencesHandler's checks, then the silence store's validation.
  if (*starts >= *ends) {
    return invalid_input("Failed to create silence: start time must be before end time");
  }
  if (*ends < now) return invalid_input("Failed to create silence: end time can't be in the past");
  auto matchers = build_matchers(*specs);
  if (!matchers) return tl::unexpected(matchers.error());
  ApiSilence s{*std::move(id),         *std::move(matchers), *starts, *ends, now,
               *std::move(created_by), *std::move(comment),  ""};
  s.state = now < s.starts_at ? "pending" : (now > s.ends_at ? "expired" : "active");
  return s;
}

std::string silence_json(const ApiSilence& s) {
  std::string out;
  put_silence(out, s);
  return out + "\n";
}

std::string silences_json(std::vector<ApiSilence> silences) {
  std::stable_sort(silences.begin(), silences.end(), [](const ApiSilence& a, const ApiSilence& b) {
    const int ra = state_rank(a.state), rb = state_rank(b.state);
    if (ra != rb) return ra < rb;
    if (ra == 1) return a.ends_at < b.ends_at;
    if (ra == 2) return a.starts_at < b.starts_at;
    if (ra == 3) return a.ends_at > b.ends_at;
    return false;
  });
  std::string out;
  put_array(out, silences, [&](const ApiSilence& s) { put_silence(out, s); });
  return out + "\n";
}

std::string post_silence_reply(std::string_view id) {
  return "{\"silenceID\":" + json_str(id) + "}\n";
}

Result<Matchers> parse_silences_filter(const QueryParams& params) {
  return parse_filters(params);
}

bool silence_matches_filter(const ApiSilence& s, const Matchers& filter) {
  return std::all_of(filter.begin(), filter.end(), [&](const Matcher& f) {
    return std::any_of(s.matchers.begin(), s.matchers.end(),
                       [&](const Matcher& m) { return m == f; });
  });
}

}  // namespace herald::server
