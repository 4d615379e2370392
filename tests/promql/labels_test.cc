// Label analysis and threshold split on a table of expressions, every shipped rule among them.
// "{a, b}": the result carries at most a and b; "* - {x}": any label but x.
#include "promql/labels.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "config/rule_file.h"
#include "promql/parser.h"
#include "promql/printer.h"

namespace herald::promql {
namespace {

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& l : s)
    out += (out.empty() ? "" : ", ") + l;
  return "{" + out + "}";
}

std::string labels_of(std::string_view text) {
  const Parsed p = parse(text);
  if (p.error) return "error: " + p.error->message;
  const ResultLabels r = result_labels(*p.expr);
  return r.closed ? join(r.names) : "* - " + join(r.dropped);
}

std::string split_of(std::string_view text) {
  const Parsed p = parse(text);
  if (p.error) return "error: " + p.error->message;
  const std::optional<ThresholdSplit> s = threshold_split(*p.expr);
  if (!s) return "none";
  return print(*s->value) + " " + std::string(op_text(s->op)) + " " + format_number(s->threshold);
}

}  // namespace

TEST_CASE("promql labels: what each construct keeps and drops", "[promql][labels]") {
  struct Case {
    const char* expr;
    const char* labels;
  };
  auto c = GENERATE(values<Case>({
      {"up", "* - {}"},
      {"up{job=\"a\"}", "* - {}"},
      {"rate(x[5m])", "* - {__name__}"},
      {"x[5m]", "* - {}"},
      {"-x", "* - {__name__}"},
      {"+x", "* - {}"},
      {"sum(x)", "{}"},
      {"sum by (model) (x)", "{model}"},
      {"sum(x) by (model, mode)", "{mode, model}"},
      {"sum without (instance) (x)", "* - {__name__, instance}"},
      {"avg by (job) (rate(x[5m]))", "{job}"},
      {"count_values(\"v\", x)", "{v}"},
      {"count_values by (job) (\"v\", x)", "{job, v}"},
      {"topk(3, x)", "* - {}"},
      {"topk by (job) (3, sum by (job, pod) (x))", "{job, pod}"},
      {"bottomk(3, rate(x[5m]))", "* - {__name__}"},
      {"quantile by (le) (0.9, x)", "{le}"},
      {"sum by (a) (sum by (b) (x))", "{}"},
      {"sum by (b) (sum by (a, b) (x))", "{b}"},
      {"histogram_quantile(0.95, sum by (le, model, mode) (rate(x_bucket[5m])))", "{mode, model}"},
      {"histogram_quantile(0.9, rate(x_bucket[5m]))", "* - {__name__, le}"},
      {"absent(x{a=\"b\", c=~\"d\"})", "{a}"},
      {"absent(x)", "{}"},
      {"absent_over_time(x{job=\"j\"}[5m])", "{job}"},
      {"label_replace(sum by (a) (x), \"dst\", \"$1\", \"a\", \"(.*)\")", "{a, dst}"},
      {"label_join(sum by (a, b) (x), \"ab\", \"-\", \"a\", \"b\")", "{a, ab, b}"},
      {"sort(sum by (a) (x))", "{a}"},
      {"last_over_time(x[5m])", "* - {}"},
      {"clamp_max(x, 1)", "* - {__name__}"},
      {"vector(1)", "{}"},
      {"scalar(x)", "{}"},
      {"time()", "{}"},
      {"hour()", "{}"},
      {"hour(x)", "* - {__name__}"},
      {"1 + 1", "{}"},
      {"x > 1", "* - {}"},
      {"x > bool 1", "* - {__name__}"},
      {"1 < x", "* - {}"},
      {"x * 2", "* - {__name__}"},
      {"sum by (a) (x) > 0.5", "{a}"},
      {"sum by (a) (x) / sum by (a) (y)", "{a}"},
      {"x / y", "* - {__name__}"},
      {"x / on (job) y", "{job}"},
      {"sum by (a) (x) / on (b) y", "{}"},
      {"x / ignoring (code) y", "* - {__name__, code}"},
      {"x * on (job) group_left (team) y", "* - {__name__}"},
      {"sum by (job) (x) * on (job) group_left (team) z", "{job, team}"},
      {"sum by (job) (x) * on (job) group_right (team) sum by (job, pod) (y)", "{job, pod, team}"},
      {"x and y", "* - {}"},
      {"sum by (a) (x) and y", "{a}"},
      {"sum by (a) (x) unless sum by (b) (y)", "{a}"},
      {"sum by (a) (x) or sum by (b) (y)", "{a, b}"},
      {"sum by (a) (x) or y", "* - {}"},
      {"sum without (pod) (x) or sum without (pod) (y)", "* - {__name__, pod}"},
      {"(sum by (a) (x))", "{a}"},
      {"max_over_time(sum by (a) (x)[1h:5m])", "{a}"},
      {"rate(x[5m] offset 1h)", "* - {__name__}"},
  }));
  CAPTURE(c.expr);
  CHECK(labels_of(c.expr) == c.labels);
}

TEST_CASE("promql labels: the threshold split of alerting expressions", "[promql][labels]") {
  struct Case {
    const char* expr;
    const char* split;
  };
  auto c = GENERATE(values<Case>({
      {"x > 0.05", "x > 0.05"},
      {"0.05 < x", "x > 0.05"},
      {"0.9 >= x", "x <= 0.9"},
      {"x == 0", "x == 0"},
      {"(x) > (5)", "x > 5"},
      {"rate(x[5m]) > 0.05 and on (job) up == 1", "rate(x[5m]) > 0.05"},
      {"x > 1 unless y", "x > 1"},
      {"x > bool 1", "none"},
      {"x > y", "none"},
      {"x", "none"},
      {"1 > bool 2", "none"},
      {"x > -1", "x > -1"},
      {"sum by (a) (x) / sum by (a) (y) > 0.05", "sum by (a) (x) / sum by (a) (y) > 0.05"},
  }));
  CAPTURE(c.expr);
  CHECK(split_of(c.expr) == c.split);
}

TEST_CASE("promql labels: every shipped rule parses, with its labels and split",
          "[promql][labels]") {
  const auto loaded = config::load_rule_file(HERALD_SOURCE_DIR "/rules/llm-serving.yml");
  REQUIRE(loaded.value);
  // What each shipped alert's result carries and where its threshold is, read off the rules.
  const std::map<std::string, std::string> expected{
      {"HighErrorRate", "{model}; > 0.05"},
      {"HighLatency", "{mode, model}; > 2.5"},
      {"ModelNotLoaded", "* - {}; == 0"},
      {"GpuOomRisk", "* - {__name__}; none"},  // two comparisons under `or`: no one threshold
  };
  size_t checked = 0;
  for (const config::RuleGroup& g : loaded.value->groups) {
    for (const config::Rule& r : g.rules) {
      INFO(r.name);
      const Parsed p = parse(r.expr);
      REQUIRE_FALSE(p.error);
      if (!expected.contains(r.name)) continue;
      const ResultLabels labels = result_labels(*p.expr);
      const std::optional<ThresholdSplit> s = threshold_split(*p.expr);
      CHECK((labels.closed ? join(labels.names) : "* - " + join(labels.dropped)) + "; " +
                (s ? std::string(op_text(s->op)) + " " + format_number(s->threshold) : "none") ==
            expected.at(r.name));
      ++checked;
    }
  }
  CHECK(checked == expected.size());
}

}  // namespace herald::promql
