// Internal to config/: the parsers of herald.yml's Alertmanager sections (routing.h), one file per
// section or integration. Each reports its errors into the context and fills what it could read.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/config_sections.h"
#include "config/yaml_reader.h"

namespace herald::config::detail {

// Reads `route`, `receivers`, `inhibit_rules`, `time_intervals` and `mute_time_intervals` from the
// top level, applying `defaults` to the receivers and checking every cross-reference.
void parse_routing(const Fields& top, const std::string& dir, const NotifierDefaults& defaults,
                   RoutingConfig& out);

// Alertmanager's global fields, read from herald.yml's `global:` (whose Fields allow them).
void parse_notifier_defaults(const Fields& global, const std::string& dir, NotifierDefaults& out);

// --- sections ---
[[nodiscard]] std::vector<TimeInterval> parse_time_intervals(const Fields& top,
                                                             std::string_view key);
[[nodiscard]] std::vector<InhibitRule> parse_inhibit_rules(const Fields& top);

// What routes may refer to.
struct RouteRefs {
  std::set<std::string, std::less<>> receivers;
  std::set<std::string, std::less<>> time_intervals;
};
[[nodiscard]] std::optional<RouteConfig> parse_route(const Fields& top, const RouteRefs& refs);

// Where receivers come from: relative `*_file` paths resolve against `dir`; `defaults` fill
// what an integration leaves unset, as Alertmanager's Config.UnmarshalYAML does.
struct ReceiverContext {
  const std::string& dir;
  const NotifierDefaults& defaults;
};
[[nodiscard]] std::vector<Receiver> parse_receivers(const Fields& top, const ReceiverContext& rc);
// One integration config: the list item `node` at `path`.
[[nodiscard]] SlackConfig parse_slack(ParseContext& ctx, const YAML::Node& node, const Path& path,
                                      const ReceiverContext& rc);
[[nodiscard]] EmailConfig parse_email(ParseContext& ctx, const YAML::Node& node, const Path& path,
                                      const ReceiverContext& rc);
[[nodiscard]] PagerdutyConfig parse_pagerduty(ParseContext& ctx, const YAML::Node& node,
                                              const Path& path, const ReceiverContext& rc);
[[nodiscard]] WebhookConfig parse_webhook(ParseContext& ctx, const YAML::Node& node,
                                          const Path& path, const ReceiverContext& rc);
[[nodiscard]] AlertmanagerForwardConfig parse_alertmanager_forward(ParseContext& ctx,
                                                                   const YAML::Node& node,
                                                                   const Path& path,
                                                                   const ReceiverContext& rc);

// --- shared readers ---

// "host:port" (Go's net.SplitHostPort; "[v6]:port" for IPv6), for smarthost and smtp_smarthost.
[[nodiscard]] Result<HostPort> parse_smarthost(const std::string& text);

// Matchers of `match` (equality), `match_re` (regex) or a `matchers` list of matcher strings.
// Every mistake is reported at its position, the column inside the string included.
[[nodiscard]] Matchers read_match_map(const Fields& f, std::string_view name, MatchType type);
[[nodiscard]] Matchers read_matcher_list(const Fields& f, std::string_view name);

// `http_config` of an integration; when absent, `fallback` (Alertmanager replaces the global
// http_config as a whole, it never merges).
[[nodiscard]] HttpConfig read_http_config(const Fields& parent, const std::string& dir,
                                          const HttpConfig* fallback);

// A secret and its `<name>_file` twin; reports both being set. Returns whether either is set.
bool read_secret_pair(const Fields& f, std::string_view name, const std::string& dir, Secret& value,
                      std::string& file);
// A secret URL (webhook or Slack URL): checked like read_url, but no message repeats it.
[[nodiscard]] Secret read_secret_url(const Fields& f, std::string_view name);

// `templates`: loads the files into out.templates/message_templates and points the context at
// the set, so that read_template checks fields against it. Runs before the receivers.
void parse_message_templates(const Fields& top, const std::string& dir, RoutingConfig& out);

// A message template field: the text, after checking that it parses (errors are located inside
// the scalar). Empty when absent.
[[nodiscard]] std::string read_template(const Fields& f, std::string_view name);
// A mapping whose values are message templates (email headers, PagerDuty details).
[[nodiscard]] std::vector<ScalarEntry> read_template_map(const Fields& f, std::string_view name);

// Reports `missing required field "a" (or "b")` at the mapping unless `present`, or unless one of
// the fields is there and was reported already.
void require_field(const Fields& f, std::initializer_list<std::string_view> names, bool present);

}  // namespace herald::config::detail
