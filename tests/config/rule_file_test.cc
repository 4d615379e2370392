// Valid rule files load into the structs the evaluator reads, field by field, and files with
// nothing in them are valid, as in Prometheus.
#include "config/rule_file.h"

#include <catch2/catch.hpp>

using herald::Severity;
using herald::config::load_rule_file;
using herald::config::parse_rule_file;
using herald::config::Rule;
using herald::config::RuleGroup;
using herald::config::RuleKind;
using namespace std::chrono_literals;

namespace {
const std::string kValid = HERALD_SOURCE_DIR "/tests/fixtures/rules/valid/";
}

TEST_CASE("rule file: a realistic file loads with every field", "[config]") {
  auto loaded = load_rule_file(kValid + "llm-serving.yml");
  REQUIRE(loaded.ok());
  const auto& file = *loaded.value;
  CHECK(file.path == kValid + "llm-serving.yml");
  REQUIRE(file.groups.size() == 2);

  const RuleGroup& g = file.groups[0];
  CHECK(g.name == "llm-serving");
  CHECK(g.interval == 30s);
  CHECK(g.limit == 10);
  CHECK(g.query_offset == 15s);
  CHECK(g.labels == std::map<std::string, std::string>{{"team", "ml"}});
  CHECK(g.pos.line == 3);
  CHECK(g.pos.column == 5);
  REQUIRE(g.rules.size() == 3);

  const Rule& high = g.rules[0];
  CHECK(high.kind == RuleKind::kAlerting);
  CHECK(high.name == "HighErrorRate");
  CHECK(high.expr ==
        "sum by (model) (rate(llm_errors_total[5m])) / sum by (model) "
        "(rate(llm_requests_total[5m])) > 0.05");
  CHECK(high.for_ == 5min);
  CHECK(high.keep_firing_for == 10min);
  CHECK(high.labels == std::map<std::string, std::string>{{"severity", "critical"}});
  CHECK(high.annotations.at("summary") ==
        "{{ $labels.model }} error rate {{ $value | humanizePercentage }}");
  CHECK(high.annotations.at("runbook_url") == "https://runbooks.example.com/HighErrorRate");
  CHECK(high.pos.line == 10);
  CHECK(high.pos.column == 9);
  CHECK(high.name_pos.line == 10);
  CHECK(high.name_pos.column == 16);
  CHECK(high.expr_pos.line == 11);
  CHECK(high.expr_pos.column == 15);
  CHECK(high.annotation_pos.at("summary").line == 17);
  CHECK(high.annotation_pos.at("summary").column == 20);
  CHECK(high.label_pos.at("severity").line == 15);

  const Rule& not_loaded = g.rules[1];
  CHECK(not_loaded.expr == "max by (model, instance) (llm_model_loaded) == 0\n");
  CHECK(not_loaded.for_ == 0s);
  CHECK(not_loaded.annotations.at("description") ==
        "Model {{ $labels.model }} is not loaded\non {{ $labels.instance }}.\n");

  const Rule& rec = g.rules[2];
  CHECK(rec.kind == RuleKind::kRecording);
  CHECK(rec.name == "job:llm_requests:rate5m");
  CHECK(rec.labels.at("source") == "recording");

  const RuleGroup& gpu = file.groups[1];
  CHECK(gpu.name == "gpu");
  CHECK_FALSE(gpu.interval.has_value());
  CHECK_FALSE(gpu.query_offset.has_value());
  CHECK(gpu.limit == 0);
  CHECK(gpu.rules.at(0).for_ == 1min);
}

TEST_CASE("rule file: recording rules load with a warning that herald writes no samples",
          "[config]") {
  auto loaded = load_rule_file(kValid + "llm-serving.yml");
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].severity == Severity::kWarning);
  CHECK(loaded.diagnostics[0].pos.line == 27);
  CHECK_THAT(loaded.diagnostics[0].message, Catch::Contains("does not write samples"));
}

TEST_CASE("rule file: empty files and empty group lists are valid", "[config]") {
  auto text =
      GENERATE(as<std::string>{}, "", "# nothing yet\n", "groups: []\n", "groups:\n", "---\n");
  CAPTURE(text);
  auto loaded = parse_rule_file("r.yml", text);
  REQUIRE(loaded.ok());
  CHECK(loaded.diagnostics.empty());
  CHECK(loaded.value->groups.empty());
}

TEST_CASE("rule file: interval 0 means the global default, like an absent one", "[config]") {
  auto loaded = parse_rule_file("r.yml", "groups: [{name: g, interval: 0s, rules: []}]");
  REQUIRE(loaded.ok());
  CHECK_FALSE(loaded.value->groups[0].interval.has_value());
}

TEST_CASE("rule file: group labels with bad names are errors", "[config]") {
  auto loaded = parse_rule_file("r.yml",
                                "groups:\n"
                                "  - name: g\n"
                                "    labels: {__name__: x, ok: y}\n");
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].to_string() ==
        "r.yml:3:14: error: group \"g\": invalid label name: \"__name__\"");
}

TEST_CASE("rule file: a name of the wrong type is one error, not two", "[config]") {
  auto text = GENERATE(as<std::string>{}, "groups: [{name: [x]}]",
                       "groups: [{name: g, rules: [{alert: {x: 1}, expr: up}]}]");
  CAPTURE(text);
  auto loaded = parse_rule_file("r.yml", text);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK_THAT(loaded.diagnostics[0].message, Catch::Contains("expected a string, got a"));
}
