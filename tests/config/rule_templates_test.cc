// Template errors in alerting rules' labels and annotations are found at load and located at
// the offending character in the file. Expected positions are derived from the template
// engine's own error (relative to the template text), so these tests pin down the mapping.
#include <catch2/catch.hpp>
#include <string>

#include "config/rule_file.h"
#include "template/template.h"

using herald::Diagnostic;
using herald::Severity;
using herald::config::load_rule_file;
using herald::config::parse_rule_file;
namespace tmpl = herald::tmpl;

namespace {

tmpl::ParseError engine_error(std::string_view text, tmpl::FuncSet funcs) {
  auto parsed = tmpl::parse("__alert_HighErrorRate", text, funcs);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error();
}

std::vector<Diagnostic> errors_in(std::string_view yaml) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : parse_rule_file("r.yml", yaml).diagnostics) {
    if (d.severity == Severity::kError) out.push_back(d);
  }
  return out;
}

std::string rule_with(std::string_view field_lines) {
  return "groups:\n"
         "  - name: llm-serving\n"
         "    rules:\n"
         "      - alert: HighErrorRate\n"
         "        expr: up == 0\n" +
         std::string(field_lines);
}

}  // namespace

TEST_CASE("rule templates: an error in a quoted annotation points inside the quotes",
          "[config][template]") {
  const std::string file = HERALD_SOURCE_DIR "/tests/fixtures/rules/bad/bad_template.yml";
  auto loaded = load_rule_file(file);
  REQUIRE(loaded.diagnostics.size() == 1);
  const Diagnostic& d = loaded.diagnostics[0];
  tmpl::ParseError e = engine_error("{{ $labels.model }} error rate {{ $value | humanizeX }}",
                                    tmpl::FuncSet::kAlertAnnotations);
  // `summary: "` puts the template's first character at column 21 of line 9.
  CHECK(d.pos.line == 9);
  CHECK(d.pos.column == 21 + e.column - 1);
  CHECK_THAT(d.message, Catch::StartsWith("group \"llm-serving\", rule \"HighErrorRate\": "
                                          "annotation \"summary\": "));
  CHECK_THAT(d.message, Catch::Contains(e.message));
}

TEST_CASE("rule templates: an error in a plain label value is offset by its column",
          "[config][template]") {
  auto errors =
      errors_in(rule_with("        labels:\n"
                          "          severity: x {{ humanizeX 1 }}\n"));
  REQUIRE(errors.size() == 1);
  tmpl::ParseError e = engine_error("x {{ humanizeX 1 }}", tmpl::FuncSet::kAlertLabels);
  CHECK(errors[0].pos.line == 7);
  CHECK(errors[0].pos.column == 21 + e.column - 1);
  CHECK_THAT(errors[0].message, Catch::Contains("label \"severity\": "));
}

TEST_CASE("rule templates: an error in a block annotation maps template lines to file lines",
          "[config][template]") {
  const std::string text = "Model {{ $labels.model }}\nrate {{ $value | humanizeX }}\n";
  auto errors =
      errors_in(rule_with("        annotations:\n"
                          "          description: |\n"
                          "            Model {{ $labels.model }}\n"
                          "            rate {{ $value | humanizeX }}\n"));
  REQUIRE(errors.size() == 1);
  tmpl::ParseError e = engine_error(text, tmpl::FuncSet::kAlertAnnotations);
  CHECK(errors[0].pos.line == 7 + e.line);  // line 7 holds the `|`
  CHECK(errors[0].pos.column == 12 + e.column);
}

TEST_CASE("rule templates: `query` is allowed in annotations but not in labels",
          "[config][template]") {
  auto errors =
      errors_in(rule_with("        labels:\n"
                          "          severity: '{{ query \"up\" }}'\n"
                          "        annotations:\n"
                          "          summary: '{{ query \"up\" }}'\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pos.line == 7);
  CHECK_THAT(errors[0].message, Catch::Contains("label \"severity\""));
}

TEST_CASE("rule templates: every broken template in a rule is reported", "[config][template]") {
  auto errors =
      errors_in(rule_with("        labels:\n"
                          "          a: '{{ humanizeX 1 }}'\n"
                          "          b: '{{ humanizeX 2 }}'\n"
                          "        annotations:\n"
                          "          c: '{{ humanizeX 3 }}'\n"));
  CHECK(errors.size() == 3);
}

TEST_CASE("rule templates: recording rules' labels are not templates", "[config][template]") {
  auto loaded = parse_rule_file("r.yml",
                                "groups:\n"
                                "  - name: g\n"
                                "    rules:\n"
                                "      - record: job:up\n"
                                "        expr: up\n"
                                "        labels: {x: '{{ humanizeX }}'}\n");
  CHECK(loaded.ok());
}
