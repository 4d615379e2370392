// `herald template render`: amtool's `template render` for herald's message templates — renders
// a template text against Alertmanager's template data (a JSON file in the webhook payload's
// shape, or a built-in example), with herald's default named templates and the given template
// files. The way to try a Slack title or an email body before deploying it, and the oracle
// interface the differential test drives next to amtool.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herald::app {

struct TemplateRenderOptions {
  std::vector<std::string> globs;  // template files, as `templates:` in herald.yml
  std::string text;                // the template to render
  std::string data_file;           // JSON template data; "" for the built-in example
  std::string type = "text";       // "text" or "html" (values HTML-escaped)
};

// Prints the rendering to `out`; errors (file:line:col for template files) to `err`, exit 1.
[[nodiscard]] int template_render(const TemplateRenderOptions& options, std::ostream& out,
                                  std::ostream& err);

}  // namespace herald::app
