// herald.yml: the top level, `global`, `rule_files`, `web` and the Alertmanager-format sections
// kept raw; datasources and links live in their own files.
#include <algorithm>
#include <filesystem>

#include "config/config.h"
#include "config/config_sections.h"
#include "config/names.h"
#include "config/read_file.h"
#include "config/url.h"

namespace herald::config {
namespace detail {

std::string resolve_path(const std::string& dir, const std::string& path) {
  if (path.empty() || dir.empty() || path.front() == '/') return path;
  return (std::filesystem::path(dir) / path).string();
}

std::string read_url(const Fields& f, std::string_view name) {
  std::string url = read_string(f, name).value_or("");
  if (url.empty()) return url;
  if (Status ok = check_http_url(url); !ok) {
    f.ctx().error(f.value_pos(name), f.path().field(name), ok.error().message);
  }
  return url;
}

std::string read_path(const Fields& f, std::string_view name, const std::string& dir) {
  return resolve_path(dir, read_string(f, name).value_or(""));
}

}  // namespace detail

namespace {

using detail::Fields;
using detail::ParseContext;
using detail::Path;

void parse_global(const Fields& top, GlobalConfig& g) {
  Fields f(top.ctx(), top.get("global").value_or(YAML::Node()), Path{{}, "global"},
           {"external_url", "evaluation_interval", "resolve_timeout", "external_labels",
            "for_outage_tolerance"});
  g.external_url = detail::read_url(f, "external_url");
  g.evaluation_interval =
      detail::read_duration(f, "evaluation_interval").value_or(g.evaluation_interval);
  g.resolve_timeout = detail::read_duration(f, "resolve_timeout").value_or(g.resolve_timeout);
  g.for_outage_tolerance =
      detail::read_duration(f, "for_outage_tolerance").value_or(g.for_outage_tolerance);
  if (g.evaluation_interval.count() <= 0) {
    f.ctx().error(f.value_pos("evaluation_interval"), f.path().field("evaluation_interval"),
                  "must be greater than 0");
  }
  for (const detail::ScalarEntry& e : detail::read_string_map(f, "external_labels")) {
    if (!is_valid_label_name(e.key) || e.key == "__name__") {
      f.ctx().error(e.key_pos, f.path().field("external_labels"),
                    "invalid label name: \"" + e.key + "\"");
    }
    g.external_labels.set(e.key, e.value);
  }
}

void parse_rule_files(const Fields& top, const std::string& dir,
                      std::vector<RuleFilePattern>& out) {
  for (const detail::ScalarEntry& e : detail::read_string_list(top, "rule_files")) {
    if (e.value.empty()) {
      top.ctx().error(e.value_pos, Path{{}, "rule_files"}, "empty pattern");
      continue;
    }
    out.push_back(RuleFilePattern{detail::resolve_path(dir, e.value), e.value_pos});
  }
}

// Reports undefined ${NAME} references now, although the section is parsed later.
void check_env_refs(ParseContext& ctx, const YAML::Node& node, const Path& path) {
  if (node.IsScalar()) {
    (void)detail::read_string(ctx, node, path);
    return;
  }
  size_t i = 0;
  for (const auto& item : node) {
    if (node.IsSequence()) {
      check_env_refs(ctx, YAML::Node(item), path.index(i++));
    } else {
      const YAML::Node key = item.first;
      check_env_refs(ctx, item.second, path.field(key.IsScalar() ? key.Scalar() : "?"));
    }
  }
}

// The source text of a top-level section: from its value (the whole first line for a block
// value, so the text re-parses alone) to the start of the next top-level key.
std::string section_text(std::string_view content, const YAML::Node& key, const YAML::Node& value,
                         const std::vector<size_t>& key_offsets) {
  size_t begin = static_cast<size_t>(value.Mark().pos);
  if (value.Mark().line > key.Mark().line) {
    size_t nl = content.rfind('\n', begin == 0 ? 0 : begin - 1);
    begin = nl == std::string_view::npos ? 0 : nl + 1;
  }
  size_t end = content.size();
  for (size_t off : key_offsets) {
    if (off > begin && off < end) end = off;
  }
  return std::string(content.substr(begin, end - begin));
}

void parse_raw_sections(ParseContext& ctx, const YAML::Node& root, Config& c) {
  std::vector<size_t> key_offsets;
  for (const auto& kv : root)
    key_offsets.push_back(static_cast<size_t>(YAML::Node(kv.first).Mark().pos));
  const std::pair<const char*, RawSection*> sections[] = {{"route", &c.route},
                                                          {"receivers", &c.receivers},
                                                          {"inhibit_rules", &c.inhibit_rules},
                                                          {"time_intervals", &c.time_intervals}};
  for (const auto& kv : root) {
    const YAML::Node key = kv.first;
    const YAML::Node value = kv.second;
    for (auto [name, section] : sections) {
      if (!key.IsScalar() || key.Scalar() != name || value.IsNull()) continue;
      bool want_map = section == &c.route;
      if (want_map ? !value.IsMap() : !value.IsSequence()) {
        ctx.error(ctx.pos(value), Path{{}, name},
                  std::string("expected ") + (want_map ? "a mapping" : "a list") + ", got " +
                      detail::describe(value));
        continue;
      }
      check_env_refs(ctx, value, Path{{}, name});
      *section =
          RawSection{true, section_text(ctx.content(), key, value, key_offsets), ctx.pos(value)};
    }
  }
}

void parse_top(ParseContext& ctx, const YAML::Node& root, Config& c) {
  if (!root.IsNull() && !root.IsMap()) {
    ctx.error(SourcePos{ctx.file(), 1, 1}, Path{},
              "herald.yml must be a mapping, got " + detail::describe(root));
    return;
  }
  Fields top(ctx, root, Path{},
             {"global", "datasources", "rule_files", "links", "web", "route", "receivers",
              "inhibit_rules", "time_intervals"});
  parse_global(top, c.global);
  detail::parse_datasources(top, c.dir, c.datasources);
  parse_rule_files(top, c.dir, c.rule_files);
  if (!c.rule_files.empty() && c.datasources.empty()) {
    ctx.error(top.key_pos("rule_files"), Path{{}, "rule_files"},
              "rules need a datasource to query: add one under \"datasources\"");
  }
  detail::parse_links(top, c.dir, c.links);
  Fields web(ctx, top.get("web").value_or(YAML::Node()), Path{{}, "web"}, {"auth_token_file"});
  c.web.auth_token_file = detail::read_path(web, "auth_token_file", c.dir);
  if (root.IsMap()) parse_raw_sections(ctx, root, c);
}

}  // namespace

const Datasource* Config::default_datasource() const {
  auto it = std::find_if(datasources.begin(), datasources.end(),
                         [](const Datasource& d) { return d.is_default; });
  return it == datasources.end() ? nullptr : &*it;
}

Loaded<Config> parse_config(std::string_view path_for_messages, std::string_view content,
                            const EnvLookup& env) {
  ParseContext ctx(path_for_messages, content, &env);
  Config c;
  c.path = std::string(path_for_messages);
  c.dir = std::filesystem::path(c.path).parent_path().string();
  if (std::optional<YAML::Node> root = detail::load_yaml(ctx)) {
    try {
      parse_top(ctx, *root, c);
    } catch (const YAML::Exception& e) {  // not expected: the walk only uses checked accessors
      ctx.error(ctx.pos(e.mark), Path{}, "invalid YAML: " + e.msg);
    }
  }
  Loaded<Config> out;
  out.diagnostics = detail::sorted(std::move(ctx.diagnostics()));
  if (!has_errors(out.diagnostics)) out.value = std::move(c);
  return out;
}

Loaded<Config> load_config(const std::string& path, const EnvLookup& env) {
  Result<std::string> text = detail::read_file(path);
  if (!text) {
    Loaded<Config> out;
    out.diagnostics.push_back(Diagnostic{SourcePos{path, 0, 0}, Severity::kError,
                                         "cannot read config file: " + text.error().message});
    return out;
  }
  return parse_config(path, *text, env);
}

}  // namespace herald::config
