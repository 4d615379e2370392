// Alert template expansion as Prometheus's rule evaluation does it: $labels, $value & co.,
// missing labels render empty, and execution errors become "<error expanding template: …>".
#include "template/alert_expander.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <limits>
#include <thread>
#include <vector>

using namespace herald::tmpl;

namespace {

AlertTemplateData data(double value) {
  AlertTemplateData d;
  d.labels = herald::LabelSet{{"alertname", "HighLatency"},
                              {"instance", "host-1.example.com:9090"},
                              {"model", "llama3-8b"}};
  d.external_labels = herald::LabelSet{{"cluster", "eu1"}};
  d.external_url = "http://herald.example.com:9093/herald";
  d.value = value;
  // 2024-05-01T12:30:45.5Z
  d.active_at = herald::WallTime(std::chrono::milliseconds(1714566645500));
  return d;
}

std::string expand(const char* text, double value, FuncSet set = FuncSet::kAlertAnnotations) {
  auto t = parse("__alert_HighLatency", text, set);
  REQUIRE(t.has_value());
  return expand_alert_template(*t, data(value), nullptr);
}

struct Case {
  const char* text;
  double value;
  const char* want;
};

}  // namespace

TEST_CASE("alert expansion: variables and data", "[template]") {
  auto c = GENERATE(values<Case>({
      {"{{ $value }}", 0.0723, "0.0723"},
      {"{{ $value }}", 1e6, "1e+06"},
      {"{{ $value }}", 123456, "123456"},
      {"{{ $value }}", std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {"{{ .Value }}", 100, "100"},
      {"{{ $value | humanizePercentage }}", 0.0723, "7.23%"},
      {"{{ $value | humanize }}", 1234567, "1.235M"},
      {"{{ printf \"%.2f\" $value }}", 0.0723, "0.07"},
      {"{{ $labels.model }} on {{ .Labels.instance }}", 0, "llama3-8b on host-1.example.com:9090"},
      {"[{{ $labels.nope }}]", 0, "[]"},
      {"{{ $labels.instance | stripPort }} {{ $labels.instance | stripDomain }}", 0,
       "host-1.example.com host-1:9090"},
      {"{{ $externalLabels.cluster }} {{ .ExternalLabels.cluster }}", 0, "eu1 eu1"},
      {"{{ $externalURL }}", 0, "http://herald.example.com:9093/herald"},
      {"{{ pathPrefix }}", 0, "/herald"},
      {"{{ $activeAt }}", 0, "2024-05-01 12:30:45.5 +0000 UTC"},
      {"{{ $activeAt.Unix }}", 0, "1714566645"},
      {"{{ $activeAt | humanizeTimestamp }}", 0, "2024-05-01 12:30:45.5 +0000 UTC"},
      {"{{ .ActiveAt.Format \"2006-01-02T15:04:05Z07:00\" }}", 0, "2024-05-01T12:30:45Z"},
      {"{{ $firedAt }}", 0, "<no value>"},
      {"{{ if $firedAt }}fired{{ else }}pending{{ end }}", 0, "pending"},
      {"{{ if gt $value 0.05 }}high{{ else }}ok{{ end }}", 0.0723, "high"},
      {"{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}", 0,
       "alertname=HighLatency instance=host-1.example.com:9090 model=llama3-8b "},
  }));
  CAPTURE(c.text);
  CHECK(expand(c.text, c.value) == c.want);
}

TEST_CASE("alert expansion: execution errors become Prometheus's error text", "[template]") {
  auto t = parse("__alert_HighLatency", "Latency {{ humanize \"x\" }}", FuncSet::kAlertAnnotations);
  REQUIRE(t.has_value());
  std::string err;
  std::string out = expand_alert_template(*t, data(1), nullptr, &err);
  CHECK(err ==
        "error executing template __alert_HighLatency: template: __alert_HighLatency:1:11: "
        "executing \"__alert_HighLatency\" at <humanize \"x\">: error calling humanize: "
        "strconv.ParseFloat: parsing \"x\": invalid syntax");
  CHECK(out == "<error expanding template: " + err + ">");

  std::string ok_err;
  auto good = parse("a", "{{ $value }}", FuncSet::kAlertAnnotations);
  REQUIRE(good.has_value());
  CHECK(expand_alert_template(*good, data(2), nullptr, &ok_err) == "2");
  CHECK(ok_err.empty());
}

TEST_CASE("alert expansion: query runs through the injected function", "[template]") {
  QueryFunc q = [](std::string_view expr) -> herald::Result<std::vector<QuerySample>> {
    if (expr != "up{job=\"node\"}") return herald::unavailable("unexpected query");
    return std::vector<QuerySample>{{herald::LabelSet{{"job", "node"}}, 1}};
  };
  auto t = parse("a", "{{ with query \"up{job=\\\"node\\\"}\" }}{{ . | first | value }}{{ end }}",
                 FuncSet::kAlertAnnotations);
  REQUIRE(t.has_value());
  CHECK(expand_alert_template(*t, data(0), &q) == "1");
  std::string err;
  auto out = expand_alert_template(*t, data(0), nullptr, &err);
  CHECK(out.rfind("<error expanding template: ", 0) == 0);
  CHECK(err.find("error calling query") != std::string::npos);
}

TEST_CASE("alert expansion: one Template executes concurrently", "[template]") {
  auto t = parse("a", "{{ range $k, $v := $labels }}{{ $k }}{{ end }} {{ $value | humanize }}",
                 FuncSet::kAlertAnnotations);
  REQUIRE(t.has_value());
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t n = 0; n < results.size(); ++n) {
    threads.emplace_back([&, n] {
      for (int k = 0; k < 200; ++k)
        results[n] = expand_alert_template(*t, data(1234567), nullptr);
    });
  }
  for (auto& th : threads)
    th.join();
  for (const auto& r : results)
    CHECK(r == "alertnameinstancemodel 1.235M");
}
