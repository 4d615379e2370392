// herald template render: load the set, read the data, parse the text against the set, execute.
#include "app/template_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "config/read_file.h"
#include "config/routing.h"
#include "server/api_datetime.h"
#include "template/am_data.h"
#include "template/execute.h"
#include "template/template.h"

namespace herald::app {
namespace {

using json = nlohmann::json;

// A firing HighErrorRate alert of the demo, when no data file is given.
constexpr std::string_view kExample = R"({
  "receiver": "ml-oncall", "status": "firing",
  "alerts": [{"status": "firing",
    "labels": {"alertname": "HighErrorRate", "model": "llama3-8b", "severity": "critical"},
    "annotations": {"summary": "5xx error rate 7.2% > 5% on llama3-8b"},
    "startsAt": "2026-05-01T12:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
    "generatorURL": "http://127.0.0.1:9090/graph?g0.expr=...", "fingerprint": "0c3b1c5d3e2f1a4b"}],
  "groupLabels": {"alertname": "HighErrorRate"},
  "commonLabels": {"alertname": "HighErrorRate", "model": "llama3-8b", "severity": "critical"},
  "commonAnnotations": {"summary": "5xx error rate 7.2% > 5% on llama3-8b"},
  "externalURL": "http://127.0.0.1:9095"})";

Result<LabelSet> string_map(const json& j, std::string_view field) {
  LabelSet out;
  if (j.is_null()) return out;
  if (!j.is_object()) return invalid_input(std::string(field) + ": expected an object of strings");
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) return invalid_input(std::string(field) + "." + k + ": expected a string");
    out.set(k, v.get<std::string>());
  }
  return out;
}

std::string string_at(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<WallTime> time_at(const json& j, const char* name) {
  const std::string text = string_at(j, name);
  auto t = server::parse_api_datetime(text);
  if (!t) return invalid_input(std::string(name) + ": " + t.error().message);
  return *t == WallTime{} ? tmpl::am::go_zero_time() : *t;
}

Result<tmpl::am::Data> read_data(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return invalid_input("template data: not a JSON object");
  tmpl::am::Data d;
  d.receiver = string_at(j, "receiver");
  d.status = string_at(j, "status");
  d.external_url = string_at(j, "externalURL");
  for (auto [field, out] : {std::pair{"groupLabels", &d.group_labels},
                            {"commonLabels", &d.common_labels},
                            {"commonAnnotations", &d.common_annotations}}) {
    auto m = string_map(j.value(field, json()), field);
    if (!m) return tl::unexpected(m.error().with_context("template data"));
    *out = std::move(*m);
  }
  const json alerts = j.value("alerts", json::array());
  if (!alerts.is_array()) return invalid_input("template data: alerts: expected a list");
  for (const json& a : alerts) {
    tmpl::am::AlertData out;
    out.status = string_at(a, "status");
    auto labels = string_map(a.value("labels", json()), "labels");
    auto annotations = string_map(a.value("annotations", json()), "annotations");
    auto starts = time_at(a, "startsAt");
    auto ends = time_at(a, "endsAt");
    if (!labels) return tl::unexpected(labels.error().with_context("template data: alerts"));
    if (!annotations)
      return tl::unexpected(annotations.error().with_context("template data: alerts"));
    if (!starts) return tl::unexpected(starts.error().with_context("template data: alerts"));
    if (!ends) return tl::unexpected(ends.error().with_context("template data: alerts"));
    out.labels = std::move(*labels);
    out.annotations = std::move(*annotations);
    out.starts_at = *starts;
    out.ends_at = *ends;
    out.generator_url = string_at(a, "generatorURL");
    out.fingerprint = string_at(a, "fingerprint");
    d.alerts.push_back(std::move(out));
  }
  return d;
}

}  // namespace

int template_render(const TemplateRenderOptions& o, std::ostream& out, std::ostream& err) {
  if (o.type != "text" && o.type != "html") {
    err << "herald: error: --template.type must be text or html, got \"" << o.type << "\"\n";
    return 1;
  }
  std::vector<config::TemplatePattern> patterns;
  for (const std::string& g : o.globs)
    patterns.push_back({g, {}});
  config::MessageTemplateFiles set = config::load_message_templates(patterns);
  if (!set.set) {
    for (const Diagnostic& d : set.diagnostics)
      err << d.to_string() << "\n";
    return 1;
  }
  std::string data_text(kExample);
  if (!o.data_file.empty()) {
    auto read = config::detail::read_file(o.data_file);
    if (!read) {
      err << "herald: error: " << o.data_file << ": " << read.error().message << "\n";
      return 1;
    }
    data_text = std::move(*read);
  }
  auto data = read_data(data_text);
  if (!data) {
    err << "herald: error: " << data.error().message << "\n";
    return 1;
  }
  auto t = tmpl::parse("", o.text, tmpl::FuncSet::kMessage, set.set.get());
  if (!t) {
    err << "herald: error: --template.text:" << t.error().line << ":" << t.error().column << ": "
        << t.error().message << "\n";
    return 1;
  }
  tmpl::ExecEnv env;
  env.external_url = data->external_url;
  env.html = o.type == "html";
  auto rendered = tmpl::execute(*t, tmpl::am::data_value(*data), env);
  if (!rendered) {
    err << "herald: error: " << rendered.error().message << "\n";
    return 1;
  }
  out << *rendered;
  return 0;
}

}  // namespace herald::app
