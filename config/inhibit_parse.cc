// herald.yml `inhibit_rules` (Alertmanager's config.InhibitRule): source and target matchers in
// the new and the legacy syntax, and the `equal` label names.
#include "config/names.h"
#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

// `<side>_match`, `<side>_match_re` and `<side>_matchers`, in that order.
Matchers read_side(const Fields& f, const std::string& side) {
  Matchers out = read_match_map(f, side + "_match", MatchType::kEqual);
  for (Matcher& m : read_match_map(f, side + "_match_re", MatchType::kRegex))
    out.push_back(std::move(m));
  for (Matcher& m : read_matcher_list(f, side + "_matchers"))
    out.push_back(std::move(m));
  return out;
}

InhibitRule parse_inhibit_rule(ParseContext& ctx, const YAML::Node& node, const Path& path) {
  Fields f(ctx, node, path,
           {"source_match", "source_match_re", "source_matchers", "target_match", "target_match_re",
            "target_matchers", "equal"});
  InhibitRule r;
  r.pos = f.pos();
  if (!f.is_mapping()) return r;
  r.source_matchers = read_side(f, "source");
  r.target_matchers = read_side(f, "target");
  for (const ScalarEntry& e : read_string_list(f, "equal")) {
    if (!is_valid_label_name(e.value)) {
      ctx.error(e.value_pos, path.field("equal"), "\"" + e.value + "\" is not a valid label name");
      continue;
    }
    r.equal.push_back(e.value);
  }
  return r;
}

}  // namespace

std::vector<InhibitRule> parse_inhibit_rules(const Fields& top) {
  std::vector<InhibitRule> out;
  std::optional<YAML::Node> list = read_list(top, "inhibit_rules");
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list)
    out.push_back(parse_inhibit_rule(top.ctx(), item, Path{{}, "inhibit_rules"}.index(i++)));
  return out;
}

}  // namespace herald::config::detail
