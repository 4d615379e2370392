// Matchers in routes and inhibit rules: the legacy `match` / `match_re` maps and `matchers`
// lists of matcher strings (Alertmanager's config.Matchers, each string parsed as a list).
#include <set>

#include "config/names.h"
#include "config/routing_sections.h"

namespace herald::config::detail {

Matchers read_match_map(const Fields& f, std::string_view name, MatchType type) {
  const bool regex = type == MatchType::kRegex;
  std::set<std::string> null_values;  // `key:` with no value: no regex at all, not ""
  if (std::optional<YAML::Node> node = f.get(name); node && node->IsMap()) {
    for (const auto& kv : *node) {
      const YAML::Node key = kv.first;
      if (key.IsScalar() && kv.second.IsNull()) null_values.insert(key.Scalar());
    }
  }
  Matchers out;
  for (const ScalarEntry& e : read_string_map(f, name)) {
    const Path about = f.path().field(name);
    if (!is_valid_label_name(e.key)) {
      f.ctx().error(e.key_pos, about, "invalid label name \"" + e.key + "\"");
      continue;
    }
    if (regex && null_values.contains(e.key)) {
      f.ctx().error(e.key_pos, about.field(e.key), "missing regular expression");
      continue;
    }
    // Alertmanager compiles "^(?:v)$" and hands that text on as the matcher's value, so it
    // shows up in route keys; herald keeps the same value (anchoring it twice is harmless).
    // The bare value is compiled first so that an error quotes the regex as Alertmanager does.
    Result<Matcher> m = Matcher::create(e.key, type, e.value);
    if (m && regex) m = Matcher::create(e.key, type, "^(?:" + e.value + ")$");
    if (!m) {
      f.ctx().error(e.value_pos, about.field(e.key), m.error().message);
      continue;
    }
    out.push_back(std::move(*m));
  }
  return out;
}

Matchers read_matcher_list(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> list = read_list(f, name);
  if (!list) return {};
  ParseContext& ctx = f.ctx();
  Matchers out;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    const Path about = f.path().field(name).index(i++);
    std::optional<std::string> text = read_string(ctx, item, about);
    if (!text) continue;
    auto parsed = parse_matchers(*text);
    if (!parsed) {
      const MatcherError& err = parsed.error();
      ctx.error(ctx.pos_in_scalar(item, *text, err.column - 1), about, err.message);
      continue;
    }
    for (Matcher& m : *parsed)
      out.push_back(std::move(m));
  }
  return out;
}

}  // namespace herald::config::detail
