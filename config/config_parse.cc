// herald.yml: the top level, `global`, `rule_files` and `web`; datasources, links and the
// Alertmanager sections (routing_parse.cc) live in their own files.
#include <algorithm>
#include <filesystem>

#include "config/config.h"
#include "config/config_sections.h"
#include "config/names.h"
#include "config/read_file.h"
#include "config/routing_sections.h"
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
  std::string path = resolve_path(dir, read_string(f, name).value_or(""));
  if (!path.empty()) f.ctx().paths.push_back(path);
  return path;
}

}  // namespace detail

namespace {

using detail::Fields;
using detail::ParseContext;
using detail::Path;

void parse_global(const Fields& top, const std::string& dir, GlobalConfig& g) {
  Fields f(top.ctx(), top.get("global").value_or(YAML::Node()), Path{{}, "global"},
           {"external_url", "evaluation_interval", "resolve_timeout", "external_labels",
            "for_outage_tolerance",
            // Alertmanager's (routing_parse.cc)
            "http_config", "smtp_from", "smtp_hello", "smtp_smarthost", "smtp_auth_username",
            "smtp_auth_password", "smtp_auth_password_file", "smtp_auth_secret",
            "smtp_auth_identity", "smtp_require_tls", "slack_api_url", "slack_api_url_file",
            "slack_app_token", "slack_app_token_file", "slack_app_url", "pagerduty_url"});
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
  detail::parse_notifier_defaults(f, dir, g.notifier_defaults);
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

void parse_top(ParseContext& ctx, const YAML::Node& root, Config& c) {
  if (!root.IsNull() && !root.IsMap()) {
    ctx.error(SourcePos{ctx.file(), 1, 1}, Path{},
              "herald.yml must be a mapping, got " + detail::describe(root));
    return;
  }
  Fields top(ctx, root, Path{},
             {"global", "datasources", "rule_files", "links", "web", "route", "receivers",
              "inhibit_rules", "time_intervals", "mute_time_intervals", "templates"});
  parse_global(top, c.dir, c.global);
  detail::parse_datasources(top, c.dir, c.datasources);
  parse_rule_files(top, c.dir, c.rule_files);
  if (!c.rule_files.empty() && c.datasources.empty()) {
    ctx.error(top.key_pos("rule_files"), Path{{}, "rule_files"},
              "rules need a datasource to query: add one under \"datasources\"");
  }
  detail::parse_links(top, c.dir, c.links);
  Fields web(ctx, top.get("web").value_or(YAML::Node()), Path{{}, "web"}, {"auth_token_file"});
  c.web.auth_token_file = detail::read_path(web, "auth_token_file", c.dir);
  detail::parse_routing(top, c.dir, c.global.notifier_defaults, c.routing);
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
  c.referenced_paths = std::move(ctx.paths);
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
