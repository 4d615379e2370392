// Runbook pages: cmark-gfm rendering and the HTML around it.
#include "server/runbook_page.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <tuple>

#include "evaluator/group_evaluator.h"
#include "evaluator/meta_alerts.h"
#include "links/runbook_name.h"
#include "model/time_format.h"
#include "template/go_strings.h"

namespace herald::server {
namespace {

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};

// Readable line length, bordered tables, shaded code; nothing external is loaded.
constexpr std::string_view kStyle =
    "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:52rem;"
    "margin:2rem auto;padding:0 1rem;color:#1f2328}\n"
    "table{border-collapse:collapse;margin:1rem 0}\n"
    "th,td{border:1px solid #d0d7de;padding:.3rem .7rem;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa}\n"
    "pre{background:#f6f8fa;padding:.8rem 1rem;overflow:auto;border-radius:6px}\n"
    "code{font-family:ui-monospace,'SFMono-Regular',Menlo,monospace;font-size:90%}\n"
    "#active-alerts{border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1.2rem;"
    "margin-bottom:2rem}\n"
    "#active-alerts>ul{padding-left:1.2rem}\n"
    "#active-alerts>ul>li{margin:.6rem 0}\n"
    ".state{font-weight:600;text-transform:uppercase;font-size:85%}\n"
    ".firing .state{color:#cf222e}.pending .state{color:#9a6700}\n"
    "ul.labels{list-style:none;padding:0;margin:.2rem 0}\n"
    "ul.labels li{display:inline-block;margin:0 .6rem .2rem 0}\n"
    "nav.links a{margin-right:.9rem}\n";

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

std::string esc(std::string_view s) {
  return tmpl::html_escape(s);
}

// Links come from config and rule annotations (`dashboard_url`); only web URLs become hrefs, so
// an annotation cannot smuggle in a javascript: link.
bool web_url(std::string_view url) {
  std::string lower;
  for (char c : url.substr(0, 8))
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with("/");
}

void append_link(std::string& out, std::string_view title, const std::string& url) {
  if (!web_url(url)) return;
  out += "<a href=\"" + esc(url) + "\">" + esc(title) + "</a>\n";
}

std::string render_links(const links::AlertLinks& l) {
  std::string out = "<nav class=\"links\">\n";
  if (l.dashboard) append_link(out, "Dashboard", l.dashboard->url);
  for (const links::Link& a : l.also)
    append_link(out, a.title, a.url);
  if (l.graph) append_link(out, "Prometheus graph", l.graph->url);
  append_link(out, "Silence", l.silence.url);
  return out + "</nav>\n";
}

// The page is about one alert name, so `alertname` is not repeated per instance.
std::string render_instance(const ActiveInstance& a) {
  const std::string state(to_string(a.state));
  const std::string since = format_rfc3339(a.active_at, Rfc3339Fraction::kNone);
  std::string out = "<li class=\"" + state + "\"><span class=\"state\">" + state +
                    "</span> active since <time datetime=\"" + since + "\">" + since +
                    "</time>\n<ul class=\"labels\">\n";
  for (const Label& l : a.labels) {
    if (l.name == "alertname") continue;
    out += "<li><code>" + esc(l.name + "=" + go_quote(l.value)) + "</code></li>\n";
  }
  return out + "</ul>\n" + render_links(a.links) + "</li>\n";
}

std::string render_active(std::string_view name, const std::vector<ActiveInstance>& active) {
  std::string out = "<section id=\"active-alerts\">\n<h2>Active alerts</h2>\n";
  if (active.empty()) {
    out += "<p>No active " + esc(name) + " alerts.</p>\n";
  } else {
    out += "<ul>\n";
    for (const ActiveInstance& a : active)
      out += render_instance(a);
    out += "</ul>\n";
  }
  return out + "</section>\n";
}

void register_extensions() {
  // cmark-gfm's registration sets an unguarded static flag; pages render on many threads.
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

}  // namespace

Result<std::string> read_runbook(const std::string& dir, std::string_view name) {
  const std::string shown = "runbook \"" + std::string(name) + "\"";
  if (dir.empty()) return make_error(ErrorCode::kNotFound, shown + ": no links.runbooks_dir");
  if (!links::valid_runbook_name(name))
    return make_error(ErrorCode::kNotFound, shown + ": invalid name");
  const std::filesystem::path path = std::filesystem::path(dir) / (std::string(name) + ".md");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {  // follows ConfigMap symlinks
    return make_error(ErrorCode::kNotFound, shown + ": no file " + path.string());
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return unavailable(shown + ": cannot read " + path.string());
  return text.str();
}

std::vector<ActiveRuleAlert> active_rule_alerts(const std::vector<evaluator::GroupStatus>& groups,
                                                std::string_view alertname,
                                                std::string_view datasource_url) {
  std::vector<ActiveRuleAlert> out;
  for (const evaluator::GroupStatus& g : groups) {
    const bool meta = g.file == evaluator::kMetaGroupFile;
    for (const evaluator::RuleStatus& r : g.rules) {
      if (!r.alerting || r.name != alertname) continue;
      const std::string url = meta || datasource_url.empty()
                                  ? ""
                                  : evaluator::generator_url(std::string(datasource_url), r.query);
      for (const RuleAlert& a : r.alerts) {
        if (a.state != AlertState::kInactive) out.push_back({a, url});
      }
    }
  }
  return out;
}

std::vector<ActiveInstance> active_instances(const std::vector<ActiveRuleAlert>& alerts,
                                             const links::LinkSettings& settings, WallTime now) {
  std::vector<ActiveInstance> out;
  out.reserve(alerts.size());
  for (const ActiveRuleAlert& a : alerts) {
    const links::Incident incident = links::incident_of(a.alert, a.generator_url);
    out.push_back({a.alert.state, a.alert.labels, a.alert.active_at,
                   links::build_links(settings, incident, now)});
  }
  std::stable_sort(out.begin(), out.end(), [](const ActiveInstance& x, const ActiveInstance& y) {
    return std::tie(y.state, x.active_at, x.labels) < std::tie(x.state, y.active_at, y.labels);
  });
  return out;
}

Result<std::string> markdown_to_html(std::string_view markdown) {
  register_extensions();
  // Parser options: invalid UTF-8 becomes U+FFFD. Render options stay CMARK_OPT_DEFAULT: safe
  // mode, so raw HTML never passes through (never CMARK_OPT_UNSAFE).
  std::unique_ptr<cmark_parser, ParserFree> parser(
      cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8));
  if (!parser) return make_error(ErrorCode::kInternal, "markdown: cannot create a parser");
  for (const char* name : kExtensions) {
    cmark_syntax_extension* ext = cmark_find_syntax_extension(name);
    if (ext == nullptr || cmark_parser_attach_syntax_extension(parser.get(), ext) == 0) {
      return make_error(ErrorCode::kInternal,
                        std::string("markdown: GFM extension \"") + name + "\" not available");
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  // Declared after the parser, so freed before it (the extension list belongs to the parser).
  std::unique_ptr<cmark_node, NodeFree> root(cmark_parser_finish(parser.get()));
  if (!root) return make_error(ErrorCode::kInternal, "markdown: parsing failed");
  char* html = cmark_render_html(root.get(), CMARK_OPT_DEFAULT,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  if (html == nullptr) return make_error(ErrorCode::kInternal, "markdown: rendering failed");
  std::string out(html);
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

std::string render_runbook_page(std::string_view name, std::string_view markdown,
                                const std::vector<ActiveInstance>& active) {
  std::string article;
  if (auto html = markdown_to_html(markdown)) {
    article = std::move(*html);
  } else {  // still show the runbook: on-call needs its text more than its formatting
    article = "<p>" + esc(html.error().message) + "</p>\n<pre>" + esc(markdown) + "</pre>\n";
  }
  std::string page =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      esc(name) + " runbook — herald</title>\n<style>\n" + std::string(kStyle) +
      "</style>\n</head>\n<body>\n";
  page += render_active(name, active);
  page += "<article>\n" + article + "</article>\n</body>\n</html>\n";
  return page;
}

}  // namespace herald::server
