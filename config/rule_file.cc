// Rule-file parsing and validation, following prometheus/prometheus model/rulefmt (Parse and
// Validate): same fields, same checks, same wording where Prometheus has one.
#include "config/rule_file.h"

#include <set>

#include "config/names.h"
#include "config/read_file.h"
#include "config/rule_templates.h"
#include "config/yaml_reader.h"
#include "promql/labels.h"
#include "promql/lint.h"
#include "promql/parser.h"
#include "promql/printer.h"

namespace herald::config {
namespace {

// The scrape interval rate() windows are checked against: kube-prometheus-stack's default.
constexpr Duration kAssumedScrapeInterval = std::chrono::seconds(30);

using detail::Fields;
using detail::ParseContext;
using detail::Path;
using detail::ScalarEntry;

// The value of `key` in `map` when it is a scalar, else "": names groups and rules in messages
// before their fields are read.
std::string peek_scalar(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return "";
  for (const auto& kv : map) {
    const YAML::Node k = kv.first;
    const YAML::Node v = kv.second;
    if (k.IsScalar() && k.Scalar() == key && v.IsScalar()) return v.Scalar();
  }
  return "";
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// "rule \"HighErrorRate\"", or "rule #3" (1-based, as Prometheus counts) when it has no name.
std::string rule_context(const std::string& group, const YAML::Node& node, size_t index) {
  std::string name = peek_scalar(node, "alert");
  if (name.empty()) name = peek_scalar(node, "record");
  return group + ", rule " + (name.empty() ? "#" + std::to_string(index + 1) : quoted(name));
}

void check_label_names(ParseContext& ctx, const Path& about,
                       const std::vector<ScalarEntry>& entries, std::string_view what) {
  for (const ScalarEntry& e : entries) {
    bool label = what == "label";
    if (is_valid_label_name(e.key) && !(label && e.key == "__name__")) continue;
    ctx.error(e.key_pos, about, "invalid " + std::string(what) + " name: " + quoted(e.key));
  }
}

std::map<std::string, std::string> to_map(const std::vector<ScalarEntry>& entries) {
  std::map<std::string, std::string> out;
  for (const ScalarEntry& e : entries)
    out[e.key] = e.value;
  return out;
}

std::map<std::string, SourcePos> to_pos_map(const std::vector<ScalarEntry>& entries) {
  std::map<std::string, SourcePos> out;
  for (const ScalarEntry& e : entries)
    out[e.key] = e.value_pos;
  return out;
}

// Prometheus's checks for a recording rule, pointed at the offending field.
void check_recording_rule(const Fields& f, const Rule& r) {
  ParseContext& ctx = f.ctx();
  const Path about{f.path().context, ""};
  if (!r.annotations.empty()) {
    ctx.error(f.key_pos("annotations"), about, "invalid field 'annotations' in recording rule");
  }
  if (r.for_.count() != 0) {
    ctx.error(f.key_pos("for"), about, "invalid field 'for' in recording rule");
  }
  if (r.keep_firing_for.count() != 0) {
    ctx.error(f.key_pos("keep_firing_for"), about,
              "invalid field 'keep_firing_for' in recording rule");
  }
  if (!is_valid_metric_name(r.name)) {
    ctx.error(r.name_pos, about, "invalid recording rule name: " + r.name);
  }
  if (r.name.find_first_of("{}") != std::string::npos) {
    ctx.error(r.name_pos, about,
              "braces present in the recording rule name; should it be in expr?: " + r.name);
  }
}

bool has_non_scalar(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  return node && !node->IsScalar();
}

// Reads alert/record and sets kind, name and name_pos; reports both or neither being set.
void read_rule_name(const Fields& f, Rule& r) {
  const Path about{f.path().context, ""};
  std::string alert = detail::read_string(f, "alert").value_or("");
  std::string record = detail::read_string(f, "record").value_or("");
  if (!alert.empty() && !record.empty()) {
    f.ctx().error(f.key_pos("record"), about,
                  "only one of 'record' and 'alert' must be set (alert at line " +
                      std::to_string(f.key_pos("alert").line) + ")");
  } else if (alert.empty() && record.empty() && !has_non_scalar(f, "alert") &&
             !has_non_scalar(f, "record")) {  // a non-string name was reported already
    f.ctx().error(f.pos(), about, "one of 'record' or 'alert' must be set");
  }
  r.kind = alert.empty() && !record.empty() ? RuleKind::kRecording : RuleKind::kAlerting;
  r.name = r.kind == RuleKind::kRecording ? record : alert;
  r.name_pos = f.value_pos(r.kind == RuleKind::kRecording ? "record" : "alert");
}

Rule parse_rule(ParseContext& ctx, const YAML::Node& node, const std::string& group, size_t index) {
  Fields f(ctx, node, Path{rule_context(group, node, index), ""},
           {"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"});
  Rule r;
  r.pos = f.pos();
  if (!f.is_mapping()) return r;
  const Path about{f.path().context, ""};
  read_rule_name(f, r);
  r.expr = detail::read_string(f, "expr").value_or("");
  r.expr_pos = f.value_pos("expr");
  std::optional<YAML::Node> expr_node = f.get("expr");
  std::optional<promql::ResultLabels> result;  // what the expression's result can carry
  if (r.expr.empty() && (!expr_node || expr_node->IsScalar())) {  // else: a type error already
    ctx.error(r.expr_pos, about, "field 'expr' must be set in rule");
  } else if (!r.expr.empty()) {
    // As promtool check rules and Prometheus's rule loader: the expression must parse and type
    // check. The error points into the expression, wherever the YAML scalar holding it is.
    if (const promql::Parsed p = promql::parse(r.expr); p.error) {
      ctx.error(ctx.pos_in_scalar(*expr_node, r.expr, p.error->pos), about,
                "could not parse expression: " + p.error->message);
    } else {
      r.query = promql::print(*p.expr);
      result = promql::result_labels(*p.expr);
      for (const promql::Finding& f : promql::lint(*p.expr, kAssumedScrapeInterval)) {
        const SourcePos at = ctx.pos_in_scalar(*expr_node, r.expr, f.pos);
        if (f.error) {
          ctx.error(at, about, f.message);
        } else {
          ctx.warning(at, about, f.message);
        }
      }
    }
  }
  r.for_ = detail::read_duration(f, "for").value_or(Duration{0});
  r.keep_firing_for = detail::read_duration(f, "keep_firing_for").value_or(Duration{0});
  auto labels = detail::read_string_map(f, "labels");
  auto annotations = detail::read_string_map(f, "annotations");
  r.labels = to_map(labels);
  r.label_pos = to_pos_map(labels);
  r.annotations = to_map(annotations);
  r.annotation_pos = to_pos_map(annotations);
  check_label_names(ctx, about, labels, "label");
  check_label_names(ctx, about, annotations, "annotation");
  if (r.kind == RuleKind::kRecording) {
    check_recording_rule(f, r);
  } else if (!r.name.empty()) {
    const promql::ResultLabels* known = result ? &*result : nullptr;
    detail::check_templates(ctx, about, r.name, labels, detail::TemplateField::kLabel, known);
    detail::check_templates(ctx, about, r.name, annotations, detail::TemplateField::kAnnotation,
                            known);
  }
  return r;
}

void read_group_settings(const Fields& f, RuleGroup& g) {
  g.interval = detail::read_duration(f, "interval");
  if (g.interval && g.interval->count() == 0) g.interval.reset();  // 0 means "the default"
  g.query_offset = detail::read_duration(f, "query_offset");
  if (std::optional<int64_t> limit = detail::read_int(f, "limit")) {
    if (*limit < 0) {
      f.ctx().error(f.value_pos("limit"), f.path().field("limit"),
                    "must not be negative, got " + std::to_string(*limit));
    }
    g.limit = *limit;
  }
  auto labels = detail::read_string_map(f, "labels");
  check_label_names(f.ctx(), Path{f.path().context, ""}, labels, "label");
  g.labels = to_map(labels);
}

RuleGroup parse_group(ParseContext& ctx, const YAML::Node& node, size_t index) {
  std::string name = peek_scalar(node, "name");
  std::string context = "group " + (name.empty() ? "#" + std::to_string(index + 1) : quoted(name));
  Fields f(ctx, node, Path{context, ""},
           {"name", "interval", "query_offset", "limit", "rules", "labels"});
  RuleGroup g;
  g.pos = f.pos();
  if (!f.is_mapping()) return g;
  g.name = detail::read_string(f, "name").value_or("");
  std::optional<YAML::Node> name_node = f.get("name");
  if (g.name.empty() && (!name_node || name_node->IsScalar())) {  // else: a type error already
    ctx.error(g.pos, Path{context, ""}, "group name must not be empty");
  }
  read_group_settings(f, g);
  if (std::optional<YAML::Node> rules = detail::read_list(f, "rules")) {
    size_t i = 0;
    for (const YAML::Node& item : *rules)
      g.rules.push_back(parse_rule(ctx, item, context, i++));
  }
  return g;
}

void warn_about_recording_rules(ParseContext& ctx, const RuleFile& file) {
  size_t count = 0;
  const Rule* first = nullptr;
  for (const RuleGroup& g : file.groups) {
    for (const Rule& r : g.rules) {
      if (r.kind != RuleKind::kRecording) continue;
      if (first == nullptr) first = &r;
      ++count;
    }
  }
  if (first == nullptr) return;
  ctx.warning(first->pos, Path{},
              std::to_string(count) +
                  " recording rule(s) in this file are validated but not evaluated: herald "
                  "does not write samples");
}

void parse_groups(ParseContext& ctx, const YAML::Node& root, RuleFile& file) {
  if (!root.IsNull() && !root.IsMap()) {
    ctx.error(
        SourcePos{ctx.file(), 1, 1}, Path{},
        "a rule file must be a mapping with a \"groups\" list, got " + detail::describe(root));
    return;
  }
  Fields f(ctx, root, Path{}, {"groups"});
  std::optional<YAML::Node> groups = detail::read_list(f, "groups");
  if (!groups) return;
  std::set<std::string> seen;
  size_t i = 0;
  for (const YAML::Node& item : *groups) {
    RuleGroup g = parse_group(ctx, item, i++);
    if (!g.name.empty() && !seen.insert(g.name).second) {
      ctx.error(g.pos, Path{}, "groupname: " + quoted(g.name) + " is repeated in the same file");
    }
    file.groups.push_back(std::move(g));
  }
}

}  // namespace

Loaded<RuleFile> parse_rule_file(std::string_view path_for_messages, std::string_view content) {
  ParseContext ctx(path_for_messages, content, nullptr);
  RuleFile file{std::string(path_for_messages), {}};
  if (std::optional<YAML::Node> root = detail::load_yaml(ctx)) {
    try {
      parse_groups(ctx, *root, file);
    } catch (const YAML::Exception& e) {  // not expected: the walk only uses checked accessors
      ctx.error(ctx.pos(e.mark), Path{}, "invalid YAML: " + e.msg);
    }
  }
  warn_about_recording_rules(ctx, file);
  Loaded<RuleFile> out;
  out.diagnostics = detail::sorted(std::move(ctx.diagnostics()));
  if (!has_errors(out.diagnostics)) out.value = std::move(file);
  return out;
}

Loaded<RuleFile> load_rule_file(const std::string& path) {
  Result<std::string> text = detail::read_file(path);
  if (!text) {
    Loaded<RuleFile> out;
    out.diagnostics.push_back(Diagnostic{SourcePos{path, 0, 0}, Severity::kError,
                                         "cannot read rule file: " + text.error().message});
    return out;
  }
  return parse_rule_file(path, *text);
}

}  // namespace herald::config
