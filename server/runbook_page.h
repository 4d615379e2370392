// The runbook page served at /runbooks/<name>: the alert's active instances with their links
// (dashboard, logs, graph, silence), then the runbook's markdown rendered as GitHub-flavoured
// HTML by cmark-gfm with raw HTML dropped. Everything but read_runbook() is a pure function;
// all are thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "evaluator/rule_status.h"
#include "links/alert_links.h"
#include "model/alert.h"
#include "model/error.h"

namespace herald::server {

// A pending or firing alert of a rule, and the Prometheus graph (generator) URL of its rule.
struct ActiveRuleAlert {
  RuleAlert alert;
  std::string generator_url;
};

// One active instance as the page shows it.
struct ActiveInstance {
  AlertState state = AlertState::kPending;
  LabelSet labels;
  WallTime active_at{};
  links::AlertLinks links;
};

// `<dir>/<name>.md`, read now (a ConfigMap edit shows without a restart). kNotFound when `dir` is
// empty, the name is invalid or the file does not exist.
[[nodiscard]] Result<std::string> read_runbook(const std::string& dir, std::string_view name);

// The pending and firing alerts of the alerting rules named `alertname`. Generator URLs are
// Prometheus's `<datasource_url>/graph?g0.expr=…&g0.tab=1`, as the evaluator sends them (none
// for herald's own meta-alerts).
[[nodiscard]] std::vector<ActiveRuleAlert> active_rule_alerts(
    const std::vector<evaluator::GroupStatus>& groups, std::string_view alertname,
    std::string_view datasource_url);

// The alerts with their links, firing before pending, then oldest first.
[[nodiscard]] std::vector<ActiveInstance> active_instances(
    const std::vector<ActiveRuleAlert>& alerts, const links::LinkSettings& settings, WallTime now);

// GitHub-flavoured markdown (tables, strikethrough, autolinks, task lists) → HTML. Raw HTML in
// the markdown is replaced by a comment and unsafe link schemes (javascript:) are dropped.
[[nodiscard]] Result<std::string> markdown_to_html(std::string_view markdown);

// The whole page: doctype, title, inline style, <section id="active-alerts">, <article>.
[[nodiscard]] std::string render_runbook_page(std::string_view name, std::string_view markdown,
                                              const std::vector<ActiveInstance>& active);

}  // namespace herald::server
