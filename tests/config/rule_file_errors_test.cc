// Broken rule files (tests/fixtures/rules/bad/): each mistake is reported at its exact
// file:line:column, names its group and rule, and a file with several mistakes reports all.
#include <catch2/catch.hpp>
#include <string>

#include "config/rule_file.h"

using herald::Diagnostic;
using herald::Severity;
using herald::config::load_rule_file;

namespace {

const std::string kBad = HERALD_SOURCE_DIR "/tests/fixtures/rules/bad/";

std::vector<Diagnostic> errors_of(const std::string& file) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : load_rule_file(kBad + file).diagnostics) {
    if (d.severity == Severity::kError) out.push_back(d);
  }
  return out;
}

}  // namespace

TEST_CASE("rule file: each kind of mistake is reported at its file:line:column", "[config]") {
  struct Case {
    const char* file;
    int line;
    int column;
    const char* message;  // a substring of the message
  };
  auto c = GENERATE(values<Case>({
      {"bad_yaml.yml", 4, 7, "invalid YAML: "},
      {"unknown_field.yml", 6, 9,
       "group \"llm-serving\", rule \"HighErrorRate\": unknown field \"severity\" (allowed: "
       "record, "
       "alert, expr, for, keep_firing_for, labels, annotations)"},
      {"bad_duration.yml", 6, 14,
       "group \"llm-serving\", rule \"HighErrorRate\": for: not a valid duration string: \"5x\""},
      {"missing_expr.yml", 4, 9, "rule \"HighErrorRate\": field 'expr' must be set in rule"},
      {"duplicate_group.yml", 4, 5, "groupname: \"llm-serving\" is repeated in the same file"},
      {"alert_and_record.yml", 5, 9, "only one of 'record' and 'alert' must be set"},
      {"neither_alert_nor_record.yml", 4, 9,
       "group \"llm-serving\", rule #1: one of 'record' or 'alert' must be set"},
      {"bad_label_name.yml", 7, 11, "rule \"HighErrorRate\": invalid label name: \"team-name\""},
      {"bad_annotation_name.yml", 7, 11, "invalid annotation name: \"runbook-url\""},
      {"recording_with_for.yml", 6, 9,
       "rule \"job:llm_requests:rate5m\": invalid field 'for' in recording rule"},
      {"not_a_mapping.yml", 1, 1, "a rule file must be a mapping with a \"groups\" list"},
      {"negative_limit.yml", 3, 12, "group \"llm-serving\": limit: must not be negative, got -1"},
      {"duplicate_key.yml", 6, 9, "mapping key \"expr\" already defined at line 5"},
      {"empty_group_name.yml", 2, 5, "group #1: group name must not be empty"},
      {"unquoted_template.yml", 7, 20, "annotations.summary: expected a string, got a mapping"},
  }));
  CAPTURE(c.file);
  std::vector<Diagnostic> errors = errors_of(c.file);
  REQUIRE(errors.size() == 1);
  CAPTURE(errors[0].to_string());
  CHECK(errors[0].pos.file == kBad + c.file);
  CHECK(errors[0].pos.line == c.line);
  CHECK(errors[0].pos.column == c.column);
  CHECK_THAT(errors[0].message, Catch::Contains(c.message));
}

TEST_CASE("rule file: a wrong type is reported for each field, and reading goes on", "[config]") {
  std::vector<Diagnostic> errors = errors_of("wrong_type.yml");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].to_string() ==
        kBad +
            "wrong_type.yml:3:12: error: group \"llm-serving\": limit: expected an integer, "
            "got \"abc\"");
  CHECK(errors[1].to_string() == kBad +
                                     "wrong_type.yml:7:17: error: group \"llm-serving\", rule "
                                     "\"HighErrorRate\": labels: expected a mapping, got a list");
}

TEST_CASE("rule file: a recording rule reports every field it may not have", "[config]") {
  std::vector<Diagnostic> errors = errors_of("recording_with_annotations.yml");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].pos.line == 6);  // keep_firing_for (diagnostics come in file order)
  CHECK_THAT(errors[0].message, Catch::Contains("invalid field 'keep_firing_for'"));
  CHECK(errors[1].pos.line == 7);
  CHECK_THAT(errors[1].message, Catch::Contains("invalid field 'annotations'"));

  std::vector<Diagnostic> name_errors = errors_of("bad_record_name.yml");
  REQUIRE(name_errors.size() == 2);
  CHECK_THAT(name_errors[0].message,
             Catch::Contains("invalid recording rule name: job-requests{job=\"x\"}"));
  CHECK_THAT(name_errors[1].message, Catch::Contains("braces present in the recording rule name"));
}

TEST_CASE("rule file: a file with several mistakes reports all of them, in file order",
          "[config]") {
  std::vector<Diagnostic> errors = errors_of("several_mistakes.yml");
  std::vector<std::string> got;
  for (const Diagnostic& d : errors)
    got.push_back(d.to_string());
  const std::string f = kBad + "several_mistakes.yml:";
  CHECK(got == std::vector<std::string>{
                   f + "4:15: error: group \"llm-serving\": interval: not a valid duration "
                       "string: \"1 minute\"",
                   f + "8:14: error: group \"llm-serving\", rule \"HighErrorRate\": for: not a "
                       "valid duration string: \"5x\"",
                   f + "9:9: error: group \"llm-serving\", rule \"HighErrorRate\": unknown field "
                       "\"lables\" (allowed: record, alert, expr, for, keep_firing_for, labels, "
                       "annotations)",
                   f + "10:9: error: group \"llm-serving\", rule \"NoExpr\": field 'expr' must be "
                       "set in rule",
                   f + "13:9: error: group \"llm-serving\", rule \"job:x\": invalid field 'for' in "
                       "recording rule",
                   f + "14:5: error: groupname: \"llm-serving\" is repeated in the same file",
               });
}

TEST_CASE("rule file: a broken file yields no value", "[config]") {
  auto loaded = load_rule_file(kBad + "bad_duration.yml");
  CHECK_FALSE(loaded.ok());
  CHECK_FALSE(loaded.value.has_value());
}

TEST_CASE("rule file: an unreadable file is one diagnostic naming the file", "[config]") {
  auto loaded = load_rule_file(kBad + "does-not-exist.yml");
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].to_string() ==
        kBad + "does-not-exist.yml: error: cannot read rule file: No such file or directory");
  CHECK_FALSE(loaded.ok());
}

TEST_CASE("rule file: a PromQL error points into the expression, in any kind of scalar",
          "[config][promql]") {
  // bad_promql.yml: a | block, a double-quoted string and a > folded block, each holding one
  // mistake; the last rule is valid.
  std::vector<Diagnostic> errors = errors_of("bad_promql.yml");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].to_string() ==
        kBad +
            "bad_promql.yml:8:18: error: group \"g\", rule \"A\": could not parse expression: "
            "expected type range vector in call to function \"rate\", got instant vector");
  CHECK(errors[1].to_string() ==
        kBad +
            "bad_promql.yml:11:30: error: group \"g\", rule \"B\": could not parse "
            "expression: unexpected \"(\" in grouping opts, expected \",\" or \")\"");
  CHECK(errors[2].to_string() ==
        kBad +
            "bad_promql.yml:14:11: error: group \"g\", rule \"C\": could not parse "
            "expression: unknown function with name \"foo\"");
}

TEST_CASE("rule file: templates on labels the expression never has, and PromQL lint",
          "[config][promql]") {
  const auto loaded = load_rule_file(kBad + "promql_mistakes.yml");
  std::vector<std::string> lines;
  for (const Diagnostic& d : loaded.diagnostics)
    lines.push_back(d.to_string());
  const std::string f = kBad + "promql_mistakes.yml:";
  CHECK(lines ==
        std::vector<std::string>{
            f + "9:47: error: group \"g\", rule \"A\": annotation \"summary\": $labels.endpoint "
                "is never set: the expression's result carries only {model}",
            f + "10:42: error: group \"g\", rule \"A\": annotation \"description\": $labels.pod "
                "is never set: the expression's result carries only {model}",
            f + "12:39: error: group \"g\", rule \"B\": histogram_quantile over buckets without "
                "their \"le\" label: the result is always empty (aggregate by or without keeping "
                "le)",
            f + "14:20: warning: group \"g\", rule \"C\": rate() of \"temperature\", which is not "
                "named like a counter (_total, _count, _sum, _bucket): use deriv() or delta() "
                "for a gauge",
            f + "14:20: warning: group \"g\", rule \"C\": rate() over [1m], less than 4 scrape "
                "intervals (30s): one missed scrape leaves it without the two samples it needs",
        });
}
