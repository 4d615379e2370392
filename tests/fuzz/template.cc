// Fuzz target: Go text/template (template/template.h) as rule labels, rule annotations and
// Alertmanager message templates use it. Parsing gives a template or a located error; a parsed
// template then runs against an alert's data (message templates on top of Alertmanager's
// default named templates, with html escaping), where the step and output caps bound the work.
#include <chrono>

#include "template/alert_expander.h"
#include "template/am_data.h"
#include "template/am_defaults.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace herald::tmpl;

const herald::LabelSet kLabels{{"alertname", "HighErrorRate"}, {"instance", "h:1"}, {"job", "j"}};

std::string run_message(const Template& t) {
  static const Value dot = [] {
    am::AlertData a;
    a.status = "firing";
    a.labels = kLabels;
    a.annotations = {{"summary", "5xx > 5% <b>"}};
    a.starts_at = herald::WallTime(std::chrono::seconds(1777636800));
    a.ends_at = am::go_zero_time();
    am::Data d;
    d.receiver = "oncall";
    d.status = "firing";
    d.alerts = {a};
    d.group_labels = {{"alertname", "HighErrorRate"}};
    d.common_labels = kLabels;
    return am::data_value(d);
  }();
  ExecEnv env;
  env.html = true;
  auto out = execute(t, dot, env);
  return out ? *out : out.error().message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  static const QueryFunc query = [](std::string_view) -> herald::Result<std::vector<QuerySample>> {
    return std::vector<QuerySample>{{kLabels, 2}};
  };
  const std::string_view text = herald::fuzz::as_text(data, size);
  for (FuncSet set : {FuncSet::kAlertLabels, FuncSet::kAlertAnnotations, FuncSet::kMessage}) {
    const Template* base = set == FuncSet::kMessage ? &alertmanager_defaults() : nullptr;
    const auto t = parse("fuzz", text, set, base);
    if (!t) {
      check(t.error().line >= 1 && t.error().column >= 1, "a parse error is located");
      continue;
    }
    if (set == FuncSet::kMessage) {
      (void)run_message(*t);
    } else {
      AlertTemplateData d{kLabels, {}, "https://herald.example", 0.5, {}, {}};
      (void)expand_alert_template(*t, d, &query);
    }
  }
  return 0;
}
