// Receivers' Alertmanager-style template fields, expanded for one notification against
// Alertmanager's template data (notifiers/template_data.h) and the configured template set.
// Each integration copies its config with every template field expanded, then renders that copy
// as literal text. An empty field stays empty: the integration's built-in content is used. A
// content field whose expansion fails (a runtime error: a wrong type, a missing template) also
// falls back to the built-in content, and the error is kept as a warning for the log: a page
// with herald's text beats no page. Addressing fields (Slack channel, email to/from) have no
// such fallback: their failure fails the delivery, as in Alertmanager.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/receivers.h"
#include "links/alert_links.h"
#include "model/notifier.h"
#include "template/template.h"
#include "template/value.h"

namespace herald::notifiers {

// What templates need besides the notification: the template set (config.routing
// .message_templates; null: herald's defaults) and herald's external URL (.ExternalURL).
struct Templating {
  std::shared_ptr<const tmpl::Template> set;
  std::string external_url;
};

// Keeps references to its arguments, which must outlive it.
class FieldExpander {
 public:
  FieldExpander(const Templating& templating, const Notification& n, std::string_view receiver,
                const links::LinkSettings& links, WallTime now);

  // The expansion of `text` ("" stays ""), or nullopt on failure, recorded as a warning that
  // names `field`. `html`: values are HTML-escaped (email `html`), as Alertmanager's html/template.
  std::optional<std::string> expand(std::string_view field, const std::string& text,
                                    bool html = false);
  // expand(), with "" for a failure (the built-in content).
  std::string content(std::string_view field, const std::string& text, bool html = false);

  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  const tmpl::Value& data();

  const Templating& templating_;
  const Notification& n_;
  std::string receiver_;
  const links::LinkSettings& links_;
  WallTime now_;
  std::optional<tmpl::Value> data_;  // built on first use
  std::vector<std::string> warnings_;
};

// The config with each template field expanded (content fields through content(); `channel`
// through expand(), nullopt when it fails).
[[nodiscard]] std::optional<config::SlackConfig> expand_slack(const config::SlackConfig& c,
                                                              FieldExpander& x);
[[nodiscard]] config::PagerdutyConfig expand_pagerduty(const config::PagerdutyConfig& c,
                                                       FieldExpander& x);
// `to` and `from` through expand(); nullopt when either fails.
[[nodiscard]] std::optional<config::EmailConfig> expand_email(const config::EmailConfig& c,
                                                              FieldExpander& x);

}  // namespace herald::notifiers
