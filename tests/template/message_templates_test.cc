// Alertmanager-style message templates: named templates ({{define}}, {{template}}, {{block}}),
// the template.Data types and their methods, html escaping, template files, and where errors
// point. Rendering parity with Alertmanager itself is tested against amtool
// (tests/integration/test_message_templates.py); these cases pin what amtool cannot show.
#include <catch2/catch.hpp>

#include "template/am_data.h"
#include "template/am_defaults.h"
#include "template/execute.h"
#include "template/go_time.h"
#include "template/template.h"

using namespace herald;
using namespace herald::tmpl;

namespace {

Value data() {
  am::Data d;
  d.receiver = "ml-oncall";
  d.status = "firing";
  am::AlertData a;
  a.status = "firing";
  a.labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}, {"a", "first"}};
  a.annotations = {{"summary", "5xx > 5% <b>"}};
  a.starts_at = WallTime(std::chrono::seconds(1777636800));
  a.ends_at = am::go_zero_time();
  a.links = {"https://grafana/d/inference-detail?var-model=llama3-8b", "https://h/runbooks/x",
             "https://h/silences/new"};
  d.alerts.push_back(a);
  a.status = "resolved";
  a.labels.set("model", "mistral-7b");
  d.alerts.push_back(a);
  d.group_labels = {{"alertname", "HighErrorRate"}};
  d.common_labels = {{"alertname", "HighErrorRate"}, {"a", "first"}};
  d.external_url = "https://herald.example";
  d.links.dashboard = "https://grafana/d/inference-detail";
  return am::data_value(d);
}

std::string render(std::string_view text, bool html = false,
                   const Template* base = &alertmanager_defaults()) {
  auto t = parse("field", text, FuncSet::kMessage, base);
  if (!t) {
    return "PARSE " + std::to_string(t.error().line) + ":" + std::to_string(t.error().column) +
           ": " + t.error().message;
  }
  ExecEnv env;
  env.html = html;
  auto out = execute(*t, data(), env);
  return out ? *out : "ERROR " + out.error().message;
}

}  // namespace

TEST_CASE("message templates: Data, KV, Alerts and Pairs behave as Alertmanager's types",
          "[template][messages]") {
  CHECK(render("{{ .Receiver }} {{ .Status }} {{ len .Alerts }} {{ len .Alerts.Firing }} "
               "{{ len .Alerts.Resolved }}") == "ml-oncall firing 2 1 1");
  // alertname first, then by name.
  CHECK(render("{{ (index .Alerts 0).Labels.SortedPairs }}") ==
        "[{alertname HighErrorRate} {a first} {model llama3-8b}]");
  CHECK(render("{{ .CommonLabels.Names }} {{ .CommonLabels.Values }}") ==
        "[alertname a] [HighErrorRate first]");
  CHECK(render("{{ .CommonLabels.Remove .GroupLabels.Names }}") == "map[a:first]");
  CHECK(render("{{ .CommonLabels.SortedPairs.Names | join \",\" }}") == "alertname,a");
  CHECK(render("{{ .CommonLabels.alertname }}|{{ .CommonLabels.nope }}|") == "HighErrorRate||");
  CHECK(render("{{ (index .Alerts 0).EndsAt }}") == "0001-01-01 00:00:00 +0000 UTC");
  CHECK(render("{{ (index .Alerts 0).EndsAt.Unix }}") == "-62135596800");
  CHECK(render("{{ (index .Alerts 0).StartsAt }}") == "2026-05-01 12:00:00 +0000 UTC");
}

TEST_CASE("message templates: herald's link methods, invisible when a value prints",
          "[template][messages]") {
  CHECK(render("{{ range .Alerts }}{{ .DashboardURL }} {{ end }}") ==
        "https://grafana/d/inference-detail?var-model=llama3-8b "
        "https://grafana/d/inference-detail?var-model=llama3-8b ");
  CHECK(render("{{ .DashboardURL }}|{{ .RunbookURL }}") == "https://grafana/d/inference-detail|");
  CHECK(render("{{ (index .Alerts 0).SilenceURL }}") == "https://h/silences/new");
  const std::string printed = render("{{ . }}");
  CHECK(printed.find("grafana") == std::string::npos);
  CHECK(printed.starts_with("{ml-oncall firing [{firing map[a:first alertname:HighErrorRate"));
  CHECK_THAT(render("{{ ._links }}"), Catch::Contains("can't evaluate field _links"));
}

TEST_CASE("message templates: method calls check their arguments", "[template][messages]") {
  CHECK_THAT(render("{{ .CommonLabels.Remove }}"),
             Catch::Contains("wrong number of args for Remove: want 1 got 0"));
  CHECK_THAT(render("{{ .CommonLabels.Remove \"a\" }}"),
             Catch::Contains("wrong type for value; expected []string; got string"));
  CHECK_THAT(render("{{ .Alerts.Firing 1 }}"),
             Catch::Contains("wrong number of args for Firing: want 0 got 1"));
}

TEST_CASE("message templates: define, template and block", "[template][messages]") {
  CHECK(render("{{ define \"x\" }}<{{ . }}>{{ end }}{{ template \"x\" .Receiver }}") ==
        "<ml-oncall>");
  CHECK(render("{{ template \"x\" }}{{ define \"x\" }}[{{ . }}]{{ end }}") == "[<no value>]");
  CHECK(render("{{ block \"b\" .Status }}({{ . }}){{ end }}") == "(firing)");
  // A callee sees only its own $.
  CHECK(render("{{ define \"v\" }}{{ $x := 1 }}{{ $x }}{{ end }}{{ $x := 2 }}{{ template \"v\" }}"
               "{{ $x }}") == "12");
  CHECK(render("{{ template \"__subject\" . }}") == "[FIRING:1] HighErrorRate (first)");
  // Unbounded recursion stops with an error instead of exhausting the stack.
  CHECK_THAT(render("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}"),
             Catch::Contains("exceeded maximum template depth (1000)"));
}

TEST_CASE("message templates: html escapes every value but safeHtml", "[template][messages]") {
  CHECK(render("<p>{{ (index .Alerts 0).Annotations.summary }}</p>", true) ==
        "<p>5xx &gt; 5% &lt;b&gt;</p>");
  CHECK(render("{{ \"a+b 'c' \\\"d\\\" &\" }}|{{ safeHtml \"<i>x</i>\" }}", true) ==
        "a&#43;b &#39;c&#39; &#34;d&#34; &amp;|<i>x</i>");
  CHECK(render("{{ safeHtml \"<i>x</i>\" }}", false) == "<i>x</i>");
}

TEST_CASE("message templates: Alertmanager's functions, not Prometheus's", "[template][messages]") {
  CHECK(render("{{ title \"HighErrorRate 5xx\" }}|{{ toUpper \"모델 é\" }}") ==
        "Higherrorrate 5Xx|모델 É");
  CHECK(render("{{ stringSlice \"a\" \"b\" | join \"+\" }}|{{ trimSpace \"  x \\n\" }}") ==
        "a+b|x");
  // Newer Alertmanagers' functions load too.
  CHECK(render("{{ safeUrl \"https://g/d?a=1&b=2\" }}|{{ urlUnescape \"a%2Fb+c\" }}|"
               "{{ humanizeDuration 3725 }}") == "https://g/d?a=1&b=2|a/b c|1h 2m 5s");
  CHECK_THAT(render("{{ urlUnescape \"%zz\" }}"),
             Catch::EndsWith("error calling urlUnescape: invalid URL escape \"%zz\""));
  CHECK(render("{{ humanize 1 }}") == "PARSE 1:4: function \"humanize\" not defined");
  CHECK(render("{{ query \"up\" }}") == "PARSE 1:4: function \"query\" not defined");
  CHECK(render("{{ $labels }}") == "PARSE 1:4: undefined variable \"$labels\"");
}

TEST_CASE("message templates: template files build one set; errors name the file",
          "[template][messages]") {
  const std::vector<TextFile> files = {
      {"a.tmpl", "{{ define \"a\" }}A{{ template \"b\" . }}{{ end }}"},
      {"b.tmpl", "{{ define \"b\" }}B{{ end }}\n{{ define \"__subject\" }}mine{{ end }}"},
      {"c.tmpl", "{{ define \"b\" }}  {{ end }}"},  // empty: does not replace b
  };
  auto set = parse_files(files, FuncSet::kMessage, &alertmanager_defaults());
  REQUIRE(set);
  CHECK(render("{{ template \"a\" . }}|{{ template \"__subject\" . }}", false, &*set) == "AB|mine");

  auto missing = parse_files({{"x.tmpl", "\n{{ define \"x\" }}{{ template \"y\" }}{{ end }}"}},
                             FuncSet::kMessage, &alertmanager_defaults());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().file == "x.tmpl");
  CHECK(missing.error().error.line == 2);
  CHECK(missing.error().error.column == 29);
  CHECK(missing.error().error.message == "no such template \"y\"");

  // A runtime error inside a named template is located in the file that defines it.
  auto failing = parse_files({{"f.tmpl", "{{ define \"f\" }}\n  {{ .Nope }}{{ end }}"}},
                             FuncSet::kMessage, &alertmanager_defaults());
  REQUIRE(failing);
  CHECK_THAT(render("{{ template \"f\" . }}", false, &*failing),
             Catch::StartsWith("ERROR template: f.tmpl:2:5: executing \"f\" at <.Nope>: can't "
                               "evaluate field Nope in type template.Data"));
}
