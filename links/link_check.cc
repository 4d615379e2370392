// The checks behind `herald check links`: drilldown entries, rules (drilldown, runbook) and the
// links inside dashboards.
#include "links/link_check.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>

#include "model/trim.h"

namespace herald::links {
namespace {

using DashboardIndex = std::map<std::string, const Dashboard*>;  // by uid

Diagnostic error_at(SourcePos pos, std::string message) {
  return Diagnostic{std::move(pos), Severity::kError, std::move(message)};
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// A configured directory as messages show it: `deploy/demo/../../runbooks` → `runbooks`.
std::string shown(const std::string& dir) {
  return std::filesystem::path(dir).lexically_normal().generic_string();
}

// Indexes dashboards by uid; a uid used by two files is an error at the second.
DashboardIndex index_dashboards(const std::vector<Dashboard>& dashboards, Diagnostics& out) {
  DashboardIndex index;
  for (const Dashboard& d : dashboards) {
    auto [it, inserted] = index.emplace(d.uid, &d);
    if (!inserted) {
      out.push_back(error_at(SourcePos{d.file}, "dashboard uid " + in_quotes(d.uid) +
                                                    " is also used by " + it->second->file));
    }
  }
  return index;
}

// --- drilldown entries ---

void check_target(const DashboardIndex& index, const std::string& dashboards_dir,
                  const SourcePos& pos, const std::string& path, const std::string& uid,
                  const std::map<std::string, std::string>& vars, Diagnostics& out) {
  auto it = index.find(uid);
  if (it == index.end()) {
    out.push_back(error_at(
        pos, path + ": dashboard " + in_quotes(uid) + " not found in " + shown(dashboards_dir)));
    return;
  }
  for (const auto& [var, label] : vars) {
    if (it->second->variables.count(var) == 0) {
      out.push_back(error_at(pos, path + ".vars." + var + ": dashboard " + in_quotes(uid) +
                                      " has no variable " + in_quotes(var)));
    }
  }
}

void check_drilldowns(const config::LinksConfig& links, const DashboardIndex& index,
                      Diagnostics& out) {
  for (size_t i = 0; i < links.drilldowns.size(); ++i) {
    const config::Drilldown& d = links.drilldowns[i];
    const std::string path = "links.drilldowns[" + std::to_string(i) + "]";
    check_target(index, links.dashboards_dir, d.pos, path, d.dashboard, d.vars, out);
    for (size_t j = 0; j < d.also.size(); ++j) {
      check_target(index, links.dashboards_dir, d.pos, path + ".also[" + std::to_string(j) + "]",
                   d.also[j].dashboard, d.also[j].vars, out);
    }
  }
}

// --- rules: does a drilldown apply? ---

// The labels every alert of a rule carries whatever its expression returns: group labels, the
// rule's own (which win), and alertname. Templated values are unknown until evaluation.
std::map<std::string, std::string> static_labels(const config::RuleGroup& group,
                                                 const config::Rule& rule) {
  std::map<std::string, std::string> labels = group.labels;
  for (const auto& [name, value] : rule.labels)
    labels[name] = value;
  std::erase_if(labels, [](const auto& l) { return l.second.find("{{") != std::string::npos; });
  labels["alertname"] = rule.name;
  return labels;
}

// Whether the drilldown may match some alert of the rule. An approximation until the promql
// module's label analysis lands: a matcher on a statically known label is decided; a matcher on
// any other label is assumed satisfiable, since the expression may produce that label. So the
// rule's drilldown is the first that may apply; checking that the labels its vars read can come
// out of the expression waits for that analysis too.
bool may_apply(const config::Drilldown& d, const std::map<std::string, std::string>& labels) {
  for (const Matcher& m : d.matchers) {
    auto it = labels.find(m.name());
    if (it != labels.end() && !m.matches(it->second)) return false;
  }
  return true;
}

// --- rules: runbooks ---

// `{{ $labels.alertname }}`-like template → its action without delimiters and spaces.
std::string action_of(std::string_view tmpl) {
  std::string out;
  for (char c : tmpl.substr(2, tmpl.size() - 4))
    if (c != ' ' && c != '-') out += c;
  return out;
}

// How many leading characters of a runbook_url are herald's own address: `{{ $externalURL }}`,
// global.external_url, or nothing for a root-relative URL. nullopt: it points elsewhere.
std::optional<size_t> herald_prefix(std::string_view url, const std::string& external_url) {
  if (url.starts_with("{{")) {
    const size_t close = url.find("}}");
    if (close != std::string_view::npos && action_of(url.substr(0, close + 2)) == "$externalURL")
      return close + 2;
    return std::nullopt;
  }
  if (!external_url.empty() && url.starts_with(external_url)) return external_url.size();
  if (url.starts_with("/") && !url.starts_with("//")) return 0;
  return std::nullopt;
}

// The herald runbook an alerting rule links to: `<name>` of a runbook_url leading to herald's
// /runbooks/<name>, or the alert name when the rule has no runbook_url. nullopt when it needs
// none: a runbook_url elsewhere, or one whose name is a template we cannot resolve statically.
std::optional<std::string> needed_runbook(const config::Rule& rule,
                                          const std::string& external_url) {
  auto it = rule.annotations.find("runbook_url");
  const std::string_view url = it == rule.annotations.end() ? "" : trim(it->second);
  if (url.empty()) return rule.name;
  const std::optional<size_t> prefix = herald_prefix(url, external_url);
  if (!prefix) return std::nullopt;
  const std::string_view path = url.substr(*prefix);
  const size_t at = path.find("/runbooks/");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view name = path.substr(at + std::string_view("/runbooks/").size());
  if (name.starts_with("{{")) {
    const size_t close = name.find("}}");
    const std::string action =
        close == std::string_view::npos ? "" : action_of(name.substr(0, close + 2));
    if (action == "$labels.alertname" || action == ".Labels.alertname") return rule.name;
    return std::nullopt;
  }
  name = name.substr(0, name.find_first_of("/?#{ \t\n"));
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

void check_runbook(const config::Config& cfg, const config::Rule& rule,
                   const std::set<std::string>& runbooks, Diagnostics& out) {
  const std::optional<std::string> name = needed_runbook(rule, cfg.global.external_url);
  if (!name || (!cfg.links.runbooks_dir.empty() && runbooks.count(*name) != 0)) return;
  auto pos_it = rule.annotation_pos.find("runbook_url");
  const SourcePos& pos = pos_it == rule.annotation_pos.end() ? rule.pos : pos_it->second;
  const std::string about = "rule " + in_quotes(rule.name) + ": no runbook: ";
  if (cfg.links.runbooks_dir.empty()) {
    out.push_back(error_at(
        pos, about + "links.runbooks_dir is not set (herald runbook " + in_quotes(*name) + ")"));
  } else {
    const std::filesystem::path file =
        std::filesystem::path(shown(cfg.links.runbooks_dir)) / (*name + ".md");
    out.push_back(error_at(pos, about + file.generic_string() + " does not exist"));
  }
}

void check_rules(const config::Config& cfg, const std::vector<config::RuleFile>& rule_files,
                 const std::set<std::string>& runbooks, Diagnostics& out) {
  for (const config::RuleFile& file : rule_files) {
    for (const config::RuleGroup& group : file.groups) {
      for (const config::Rule& rule : group.rules) {
        if (rule.kind != config::RuleKind::kAlerting) continue;
        const auto labels = static_labels(group, rule);
        const auto& drilldowns = cfg.links.drilldowns;
        if (std::none_of(drilldowns.begin(), drilldowns.end(),
                         [&](const config::Drilldown& d) { return may_apply(d, labels); })) {
          out.push_back(Diagnostic{
              rule.pos, Severity::kWarning,
              "rule " + in_quotes(rule.name) + ": no drilldown in links.drilldowns matches it"});
        }
        check_runbook(cfg, rule, runbooks, out);
      }
    }
  }
}

// --- links inside dashboards ---

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

size_t word_end(std::string_view s, size_t from) {
  while (from < s.size() && is_word(s[from]))
    ++from;
  return from;
}

struct VariableRef {
  std::string text;  // as written: `$model`, `${model:csv}`, `[[model]]`
  std::string name;  // `model`; for `${__field.labels.x}` it is `__field`
};

// Grafana's variable syntaxes (its variableRegex): $name, ${name[.path][:format]},
// [[name[:format]]].
std::vector<VariableRef> variable_refs(std::string_view url) {
  std::vector<VariableRef> refs;
  for (size_t i = 0; i < url.size(); ++i) {
    size_t name_at = 0, end = 0;
    if (url[i] == '$' && i + 1 < url.size() && url[i + 1] == '{') {
      name_at = i + 2;
      end = url.find('}', name_at);
    } else if (url.substr(i).starts_with("[[")) {
      name_at = i + 2;
      end = url.find("]]", name_at);
      if (end != std::string_view::npos) ++end;
    } else if (url[i] == '$') {
      name_at = i + 1;
      end = word_end(url, name_at) - 1;
    } else {
      continue;
    }
    const size_t name_end = word_end(url, name_at);
    if (end == std::string_view::npos || name_end == name_at) continue;
    refs.push_back(VariableRef{std::string(url.substr(i, end + 1 - i)),
                               std::string(url.substr(name_at, name_end - name_at))});
    i = end;
  }
  return refs;
}

bool has_scheme(std::string_view url) {
  const size_t colon = url.find("://");
  return colon != std::string_view::npos && colon > 0 &&
         std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](char c) { return is_word(c) || c == '+' || c == '-' || c == '.'; });
}

// The path and query of a link into Grafana (relative, or under grafana_url); nullopt for a link
// elsewhere (a wiki, Loki's own UI), whose `/d/` and `var-` mean nothing to Grafana.
struct GrafanaUrl {
  std::string_view path;
  std::string_view query;
};
std::optional<GrafanaUrl> grafana_part(std::string_view url, std::string_view grafana_url) {
  while (grafana_url.ends_with("/"))
    grafana_url.remove_suffix(1);
  if (has_scheme(url) || url.starts_with("//")) {
    if (grafana_url.empty() || !url.starts_with(grafana_url)) return std::nullopt;
    url.remove_prefix(grafana_url.size());
    if (!url.empty() && url[0] != '/' && url[0] != '?' && url[0] != '#') return std::nullopt;
  }
  url = url.substr(0, url.find('#'));
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return GrafanaUrl{url, {}};
  return GrafanaUrl{url.substr(0, q), url.substr(q + 1)};
}

// The uid after a `d/` or `d-solo/` path segment, or "" when the path is not a dashboard's.
std::string_view dashboard_uid(std::string_view path) {
  for (std::string_view marker : {"d/", "d-solo/"}) {
    for (size_t at = path.find(marker); at != std::string_view::npos;
         at = path.find(marker, at + 1)) {
      if (at > 0 && path[at - 1] != '/') continue;
      std::string_view uid = path.substr(at + marker.size());
      return uid.substr(0, uid.find('/'));
    }
  }
  return {};
}

bool is_dynamic(std::string_view s) {
  return s.find('$') != std::string_view::npos || s.find("[[") != std::string_view::npos;
}

// The names of a query's `var-<name>=` parameters.
std::vector<std::string_view> var_params(std::string_view query) {
  std::vector<std::string_view> names;
  for (size_t at = 0; at <= query.size();) {
    const size_t amp = std::min(query.find('&', at), query.size());
    const std::string_view param = query.substr(at, amp - at);
    at = amp + 1;
    if (param.starts_with("var-")) names.push_back(param.substr(4, param.find('=') - 4));
  }
  return names;
}

void check_data_link(const Dashboard& source, const DataLink& link, const DashboardIndex& index,
                     const std::string& grafana_url, Diagnostics& out) {
  const auto problem = [&](const std::string& message) {
    out.push_back(error_at(SourcePos{source.file}, link.where + ": " + message));
  };
  std::set<std::string> reported;
  for (const VariableRef& ref : variable_refs(link.url)) {
    if (ref.name.starts_with("__") || source.variables.count(ref.name) != 0) continue;
    if (reported.insert(ref.name).second)
      problem(ref.text + ": dashboard " + in_quotes(source.uid) + " has no variable " +
              in_quotes(ref.name));
  }
  const std::optional<GrafanaUrl> url = grafana_part(link.url, grafana_url);
  if (!url) return;
  const std::string_view uid = dashboard_uid(url->path);
  const Dashboard* target = url->path.empty() ? &source : nullptr;  // "?var-x=…": this one
  if (!uid.empty() && !is_dynamic(uid)) {
    auto it = index.find(std::string(uid));
    if (it == index.end()) return problem("unknown dashboard uid " + in_quotes(uid));
    target = it->second;
  }
  if (target == nullptr) return;  // not a dashboard (Explore…) or one chosen at click time
  for (std::string_view name : var_params(url->query)) {
    if (is_dynamic(name) || target->variables.count(std::string(name)) != 0) continue;
    problem("var-" + std::string(name) + ": dashboard " + in_quotes(target->uid) +
            " has no variable " + in_quotes(name));
  }
}

}  // namespace

Diagnostics check_links(const config::Config& cfg, const std::vector<config::RuleFile>& rule_files,
                        const std::vector<Dashboard>& dashboards,
                        const std::set<std::string>& runbooks) {
  Diagnostics out;
  if (cfg.links.dashboards_dir.empty()) {
    if (!cfg.links.drilldowns.empty()) {
      out.push_back(Diagnostic{SourcePos{cfg.path}, Severity::kWarning,
                               "links.dashboards_dir is not set: drilldown dashboards and "
                               "variables are not checked"});
    }
  } else {
    const DashboardIndex index = index_dashboards(dashboards, out);
    check_drilldowns(cfg.links, index, out);
    for (const Dashboard& d : dashboards) {
      for (const DataLink& link : d.links)
        check_data_link(d, link, index, cfg.links.grafana_url, out);
    }
  }
  check_rules(cfg, rule_files, runbooks, out);
  return out;
}

}  // namespace herald::links
