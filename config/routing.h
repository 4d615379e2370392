// The Alertmanager sections of herald.yml — `route`, `receivers`, `inhibit_rules`,
// `time_intervals` (and the deprecated `mute_time_intervals`) — loaded exactly as Alertmanager's
// config/config.go loads them, so an existing alertmanager.yml's sections paste in unchanged.
// Receivers' integrations are parsed and validated here; the notifiers deliver them. Values are
// immutable after load; errors carry file:line:column and the field path.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/receivers.h"
#include "config/time_intervals.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/matcher.h"

namespace herald::tmpl {
class Template;
}

namespace herald::config {

// One route node as written. Inheritance (receiver, group_by, timers) is resolved by the router,
// which needs to know what was set explicitly. `group_by: []` loads as absent: Alertmanager
// builds GroupBy by appending to a nil slice, so an empty list inherits (config/config.go).
struct RouteConfig {
  std::optional<std::string> receiver;
  std::optional<std::vector<std::string>> group_by;  // absent: inherit; ["..."]: all labels
  bool continue_ = false;
  // `match`, `match_re` and `matchers` together, in that order (unsorted: the router sorts for
  // route keys). A `match_re` value v loads as the regex "^(?:v)$", exactly as Alertmanager
  // passes it on, so route keys read e.g. {team=~"^(?:a|b)$"} as Alertmanager's do.
  Matchers matchers;
  std::optional<Duration> group_wait;
  std::optional<Duration> group_interval;
  std::optional<Duration> repeat_interval;
  std::vector<std::string> mute_time_intervals;    // not inherited
  std::vector<std::string> active_time_intervals;  // not inherited
  std::vector<RouteConfig> routes;
  SourcePos pos;
};

// Mutes target alerts while a firing source alert has equal values for every `equal` label.
struct InhibitRule {
  Matchers source_matchers;  // source_match, source_match_re, source_matchers, in that order
  Matchers target_matchers;  // likewise
  std::vector<std::string> equal;
  SourcePos pos;
};

// The routing sections of herald.yml. Without `route` herald runs no router (valid: evaluation
// only, or sending to an external Alertmanager).
struct RoutingConfig {
  // `templates`: glob patterns of template files (resolved against the config's directory), and
  // the set every message template field is parsed against: herald's Alertmanager-named defaults
  // (template/am_defaults.h) and then those files' {{define}}s. Never null after load.
  std::vector<std::string> templates;
  std::shared_ptr<const tmpl::Template> message_templates;
  std::optional<RouteConfig> route;
  std::vector<Receiver> receivers;
  std::vector<InhibitRule> inhibit_rules;
  // `time_intervals` followed by the deprecated top-level `mute_time_intervals`: one namespace.
  std::vector<TimeInterval> time_intervals;

  // The receiver or time interval called `name`, or nullptr.
  [[nodiscard]] const Receiver* find_receiver(std::string_view name) const;
  [[nodiscard]] const TimeInterval* find_time_interval(std::string_view name) const;
};

// Loads template files (`templates:` patterns, already resolved against the config's directory):
// herald's default named templates, then each file's {{define}}s, in pattern order and, within a
// pattern, in file-name order. Errors name the file, line and column.
struct TemplatePattern {
  std::string pattern;
  SourcePos pos;  // of the pattern in herald.yml; {} from the command line
};
struct MessageTemplateFiles {
  std::shared_ptr<const tmpl::Template> set;  // null when a file failed
  Diagnostics diagnostics;
};
[[nodiscard]] MessageTemplateFiles load_message_templates(
    const std::vector<TemplatePattern>& patterns);

}  // namespace herald::config
