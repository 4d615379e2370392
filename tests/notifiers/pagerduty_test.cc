// PagerDuty Events v2: golden events (hostile label values included), severity / source / summary
// rules, and the notifier end to end through the real CurlHttpClient against FakePagerduty (trigger
// then resolve with one dedup_key; 400 permanent and reported; 429 and 5xx retried; the routing key
// never in an error). Regenerate the golden files with HERALD_UPDATE_GOLDEN=1
// build-dev/tests/test_notifiers "[pagerduty]".
#include "notifiers/pagerduty.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/matcher.h"
#include "net/curl_http_client.h"
#include "tests/notifiers/fake_pagerduty.h"
#include "tests/notifiers/fixtures.h"

using herald::Alert;
using herald::DeliveryOutcome;
using herald::LabelSet;
using herald::Notification;
using herald::WallTime;
using herald::config::PagerdutyConfig;
using herald::config::Secret;
using herald::notifiers::build_message;
using herald::notifiers::Message;
using herald::notifiers::PagerdutyNotifier;
using herald::notifiers::render_pagerduty_event;
using herald::test::FakePagerduty;
using herald::test::pagerduty_event_errors;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using herald::test::kGolden;
using herald::test::read_file;

std::shared_ptr<const herald::links::LinkSettings> link_settings() {
  auto s = std::make_shared<herald::links::LinkSettings>(
      herald::test::drilldown_links("https://herald.example", "https://grafana.example"));
  s->links.drilldowns.front().also.push_back({"Logs", "inference-logs", {{"model", "model"}}});
  return s;
}

Alert alert(LabelSet labels, std::string summary, WallTime start, WallTime end = {}) {
  return herald::test::alert_with_summary(std::move(labels), std::move(summary), start, end);
}

const WallTime kStart = WallTime(std::chrono::seconds(1777636800));  // 2026-05-01T12:00:00Z
const WallTime kNow = kStart + 10min;
constexpr std::string_view kKey = "e93facc04764012d7bfb002500d5d1a6";

Notification firing_pair() {
  Notification n;
  n.receiver = "pager";
  n.group_key = R"({}:{alertname="HighErrorRate", model="llama3-8b"})";
  n.group_labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  for (const char* mode : {"chat", "completion"}) {
    n.firing.push_back(alert({{"alertname", "HighErrorRate"},
                              {"model", "llama3-8b"},
                              {"mode", mode},
                              {"severity", "critical"}},
                             std::string("5xx error rate 7.2% > 5% on ") + mode,
                             std::string(mode) == "chat" ? kStart : kStart + 1min));
  }
  return n;
}

Notification resolved_pair() {
  Notification n = firing_pair();
  for (Alert& a : n.firing)
    a.ends_at = kStart + 8min;
  n.resolved = std::move(n.firing);
  n.firing.clear();
  return n;
}

std::string korean(size_t pairs) {
  std::string s;
  for (size_t i = 0; i < pairs; ++i)
    s += "모델";
  return s;
}

Notification hostile() {
  Notification n;
  n.receiver = "pager";
  n.group_key = R"({}:{alertname="<script>alert(1)</script>"})";
  const LabelSet labels{{"alertname", "<script>alert(1)</script>"},
                        {"model", "모델"},
                        {"team", "*bold* <!channel> & \"quotes\""},
                        {"zlong", korean(2500)}};  // 5000 characters, 15000 bytes
  n.group_labels = labels;
  n.firing.push_back(alert(labels, "<b>*bold*</b> <!channel> 모델 down", kStart));
  return n;
}

PagerdutyConfig pd_config(std::string url = "https://events.pagerduty.com/v2/enqueue") {
  PagerdutyConfig c;
  c.routing_key = Secret(std::string(kKey));
  c.url = std::move(url);
  return c;
}

// As PagerdutyNotifier does: the config's templates expanded for `n`, then rendered.
std::string render(const PagerdutyConfig& cfg, const Notification& n) {
  const herald::notifiers::Templating templating{nullptr, "https://herald.example"};
  const auto links = link_settings();  // the expander keeps a reference: it must outlive it
  herald::notifiers::FieldExpander fields(templating, n, n.receiver, *links, kNow);
  return render_pagerduty_event(herald::notifiers::expand_pagerduty(cfg, fields),
                                build_message(n, *links, kNow), kKey);
}

json payload_of(const PagerdutyConfig& cfg, const Notification& n) {
  return json::parse(render(cfg, n)).at("payload");
}

void check_golden(const std::string& name, const std::string& got) {
  const auto path = kGolden / ("pagerduty_" + name + ".json");
  if (std::getenv("HERALD_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << got << '\n';
  INFO("golden " << path);
  CHECK(got + '\n' == read_file(path));
}

}  // namespace

TEST_CASE("pagerduty: dedup_key is the lowercase hex sha256 of the group key",
          "[notifiers][pagerduty]") {
  using herald::notifiers::pagerduty_dedup_key;
  CHECK(pagerduty_dedup_key("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(pagerduty_dedup_key("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("pagerduty: rendered events match the golden files and PagerDuty's rules",
          "[notifiers][pagerduty]") {
  PagerdutyConfig cfg = pd_config();
  cfg.component = "inference";
  cfg.group = "llm-serving";
  cfg.details = {{"team", "ml-platform"}, {"labels", "{{ .CommonLabels }}"}};
  const auto [name, notification] = GENERATE(table<std::string, Notification>({
      {"firing", firing_pair()},
      {"resolved", resolved_pair()},
      {"hostile", hostile()},
  }));
  const std::string got = render(cfg, notification);
  check_golden(name, got);
  CHECK(pagerduty_event_errors("application/json", got).empty());
  const json event = json::parse(got);  // throws on invalid UTF-8
  CHECK(event.at("dedup_key") == herald::notifiers::pagerduty_dedup_key(notification.group_key));
  if (name == "hostile") {
    for (const char* raw : {"<script>", "<!channel>", "<b>"}) {
      CAPTURE(raw);
      CHECK(got.find(raw) == std::string::npos);  // Go-escaped: \u003cscript\u003e
    }
    const std::string summary = event.at("payload").at("summary");
    CHECK(herald::test::utf8_chars(summary) == 1024);
    // Cut between characters, never inside one (the JSON parsed, so it is valid UTF-8).
    CHECK((summary.ends_with("모…") || summary.ends_with("델…")));
    CHECK(summary.starts_with("[FIRING:1] <script>alert(1)</script> (모델 *bold* <!channel>"));
    CHECK(event.at("payload")
              .at("custom_details")
              .at("firing")
              .get<std::string>()
              .find(korean(2500)) != std::string::npos);
  }
}

TEST_CASE("pagerduty: severity comes from the severity label through the map",
          "[notifiers][pagerduty]") {
  const auto [label, cfg_severity, want] = GENERATE(table<std::string, std::string, std::string>({
      {"critical", "", "critical"},
      {"warning", "", "warning"},
      {"info", "", "info"},
      {"page", "", "error"},  // not in the map
      {"", "", "error"},      // no common severity
      {"P1", "", "critical"},
      {"info", "warning", "warning"},                          // the config's severity wins
      {"warning", "{{ .CommonLabels.severity }}", "warning"},  // a template, expanded
      {"info", "{{ .Nope.severity }}", "info"},                // a failing template: herald's own
  }));
  PagerdutyConfig cfg = pd_config();
  cfg.severity_map["P1"] = "critical";
  cfg.severity = cfg_severity;
  Notification n = firing_pair();
  for (Alert& a : n.firing)
    a.labels.set("severity", label);
  CAPTURE(label, cfg_severity);
  CHECK(payload_of(cfg, n).at("severity") == want);
}

TEST_CASE("pagerduty: source is the config's, else a common instance, model or job label",
          "[notifiers][pagerduty]") {
  const auto [cfg_source, labels, want] = GENERATE(table<std::string, LabelSet, std::string>({
      {"gpu-pool", {{"instance", "10.0.0.1:9090"}}, "gpu-pool"},
      {"", {{"instance", "10.0.0.1:9090"}, {"model", "m"}}, "10.0.0.1:9090"},
      {"", {{"model", "m"}, {"job", "vllm"}}, "m"},
      {"", {{"job", "vllm"}}, "vllm"},
      {"", {}, "herald"},
      {"{{ .CommonLabels.instance }}", {}, "herald"},  // expands to "": herald's own
      {"{{ .CommonLabels.job }}-pool", {{"job", "vllm"}}, "vllm-pool"},
  }));
  PagerdutyConfig cfg = pd_config();
  cfg.source = cfg_source;
  Notification n;
  n.group_key = "{}:{}";
  LabelSet l = labels;
  l.set("alertname", "X");
  n.firing.push_back(alert(l, "", kStart));
  const json payload = payload_of(cfg, n);
  CHECK(payload.at("source") == want);
  CHECK(payload.at("class") == "X");
  CHECK(payload.at("timestamp") == "2026-05-01T12:00:00.000Z");
}

TEST_CASE("pagerduty: the summary is cut to 1024 characters on a character boundary",
          "[notifiers][pagerduty]") {
  const auto [description, want_chars, cut] = GENERATE(table<std::string, size_t, bool>({
      {std::string(1024, 'a'), 1024, false},
      {std::string(1025, 'a'), 1024, true},
      {korean(512), 1024, false},
      {korean(600), 1024, true},
      {"bad \xff\xfe utf-8", 12, false},  // each invalid byte becomes one U+FFFD
  }));
  PagerdutyConfig cfg = pd_config();
  cfg.description = description;
  const std::string body = render(cfg, firing_pair());
  const std::string summary = json::parse(body).at("payload").at("summary");
  CHECK(herald::test::utf8_chars(summary) == want_chars);
  CHECK(summary.ends_with("…") == cut);
  CHECK(pagerduty_event_errors("application/json", body).empty());
}

TEST_CASE("pagerduty: custom_details is dropped from an event over 512 KB",
          "[notifiers][pagerduty]") {
  Notification n = firing_pair();
  const Alert base = n.firing[0];
  for (int i = 0; i < 60; ++i) {
    Alert a = base;
    a.labels.set("mode", "m" + std::to_string(i));
    a.annotations["summary"] = std::string(10000, 'x');
    n.firing.push_back(a);
  }
  const std::string body = render(pd_config(), n);
  CHECK(body.size() <= herald::notifiers::kPagerdutyEventMax);
  CHECK_FALSE(json::parse(body).at("payload").contains("custom_details"));
  CHECK(pagerduty_event_errors("application/json", body).empty());
  CHECK(json::parse(render(pd_config(), firing_pair())).at("payload").contains("custom_details"));
}

TEST_CASE("pagerduty notifier: trigger then resolve the same incident",
          "[notifiers][pagerduty][integration]") {
  FakePagerduty fake;
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  PagerdutyNotifier notifier(pd_config(fake.url()), "pager", link_settings(), http);
  CHECK(notifier.integration() == "pagerduty");
  CHECK(notifier.send_resolved());

  const auto trigger = notifier.notify(firing_pair(), kNow);
  REQUIRE(trigger.outcome == DeliveryOutcome::kDelivered);
  const auto resolve = notifier.notify(resolved_pair(), kNow);
  REQUIRE(resolve.outcome == DeliveryOutcome::kDelivered);
  const auto ack = notifier.acknowledge(firing_pair().group_key, kNow);
  REQUIRE(ack.outcome == DeliveryOutcome::kDelivered);

  const std::string dedup_key = herald::notifiers::pagerduty_dedup_key(firing_pair().group_key);
  CHECK(trigger.data == dedup_key);
  CHECK(resolve.data == dedup_key);
  const auto events = fake.events();
  REQUIRE(events.size() == 3);
  CHECK(events[0].at("event_action") == "trigger");
  CHECK(events[1].at("event_action") == "resolve");
  CHECK(events[2].at("event_action") == "acknowledge");
  for (const json& e : events)
    CHECK(e.at("dedup_key") == dedup_key);
  CHECK(events[0].at("links")[0].at("text") == "Dashboard");
  CHECK(events[0].at("client_url").get<std::string>().starts_with("https://herald.example/alerts"));
  for (const auto& r : fake.requests()) {
    CHECK(r.content_type == "application/json");
    CHECK(r.user_agent.starts_with("herald/"));
  }
}

TEST_CASE("pagerduty notifier: PagerDuty's answers classify as the outbox needs",
          "[notifiers][pagerduty][integration]") {
  FakePagerduty fake;
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  PagerdutyNotifier notifier(pd_config(fake.url()), "pager", link_settings(), http);
  const auto [status, retry_after, body, outcome, want_retry_after, want_error] = GENERATE(
      table<int, std::string, std::string, DeliveryOutcome, std::optional<int>, std::string>({
          {400, "",
           R"({"status":"invalid event","message":"Event object is invalid",)"
           R"("errors":["'payload.summary' is missing or blank","bad source"]})",
           DeliveryOutcome::kPermanent, std::nullopt,
           "pagerduty: http 400: 'payload.summary' is missing or blank; bad source"},
          {429, "2", "", DeliveryOutcome::kRetry, 2,
           "pagerduty: http 429 Too Many Requests: {\"status\":\"throttle event\","
           "\"message\":\"Requests for this service are arriving too quickly. Please retry "
           "later.\"}"},
          {500, "", "", DeliveryOutcome::kRetry, std::nullopt,
           R"(pagerduty: http 500 Internal Server Error: {"status":"error",)"
           R"("message":"Internal server error"})"},
          {503, "", "", DeliveryOutcome::kRetry, std::nullopt, ""},
          {403, "", "forbidden", DeliveryOutcome::kPermanent, std::nullopt,
           "pagerduty: http 403 Forbidden: forbidden"},
      }));
  fake.force(status, retry_after, body);
  const auto r = notifier.notify(firing_pair(), kNow);
  CAPTURE(status, r.error);
  CHECK(r.outcome == outcome);
  CHECK(r.retry_after ==
        (want_retry_after ? std::optional(std::chrono::seconds(*want_retry_after)) : std::nullopt));
  if (!want_error.empty()) CHECK(r.error == want_error);
  CHECK(r.error.find(kKey) == std::string::npos);
  CHECK(fake.requests().size() == 1);  // the notifier never retries by itself
  CHECK(fake.events().empty());
}

TEST_CASE("pagerduty notifier: a malformed routing key is rejected for good, and not shown",
          "[notifiers][pagerduty][integration]") {
  FakePagerduty fake;
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  PagerdutyConfig cfg = pd_config(fake.url());
  cfg.routing_key = Secret("SECRETKEY-not-32");
  PagerdutyNotifier notifier(cfg, "pager", link_settings(), http);
  const auto r = notifier.notify(firing_pair(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error ==
        "pagerduty: http 400: Length of 'routing_key' is incorrect (should be 32 characters)");
  CHECK(fake.requests().size() == 1);
}

TEST_CASE("pagerduty notifier: the routing key never appears in an error or a result",
          "[notifiers][pagerduty][integration]") {
  FakePagerduty fake;
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  const auto key_file = std::filesystem::temp_directory_path() /
                        ("herald-pagerduty-" + std::to_string(::getpid()) + "-key");
  std::ofstream(key_file) << "  " << kKey << "\n";
  PagerdutyConfig cfg = pd_config(fake.url() + "?token=QSECRETQ");
  cfg.routing_key = Secret();
  cfg.routing_key_file = key_file.string();
  PagerdutyNotifier notifier(cfg, "pager", link_settings(), http);

  auto check_clean = [](const herald::DeliveryResult& r) {
    CAPTURE(r.error, r.data);
    CHECK(r.error.find(kKey) == std::string::npos);
    CHECK(r.data.find(kKey) == std::string::npos);
    CHECK(r.error.find("QSECRETQ") == std::string::npos);
  };
  // The key file is read (and trimmed) at send time.
  const auto ok = notifier.notify(firing_pair(), kNow);
  CHECK(ok.outcome == DeliveryOutcome::kDelivered);
  REQUIRE(fake.events().size() == 1);
  CHECK(fake.events()[0].at("routing_key") == kKey);
  check_clean(ok);

  // A peer that echoes the key (in errors or a 5xx body) is redacted.
  const std::string echo = R"({"errors":["routing key )" + std::string(kKey) + R"( unknown"]})";
  fake.force(400, "", echo);
  auto r = notifier.notify(firing_pair(), kNow);
  CHECK(r.error == "pagerduty: http 400: routing key <redacted> unknown");
  check_clean(r);
  fake.force(502, "", "upstream saw " + std::string(kKey));
  r = notifier.notify(firing_pair(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  check_clean(r);

  // An unreadable key file is permanent, naming the file only.
  std::filesystem::remove(key_file);
  r = notifier.notify(firing_pair(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error.starts_with("pagerduty: unable to read routing_key_file"));
  check_clean(r);
  CHECK(fake.requests().size() == 3);
}

TEST_CASE("pagerduty notifier: a refused connection retries without the key or query",
          "[notifiers][pagerduty][integration]") {
  std::string url;
  {
    FakePagerduty closed;  // a port that was just free and is closed again
    url = closed.url();
  }
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  PagerdutyNotifier notifier(pd_config(url + "?token=QSECRETQ"), "pager", link_settings(), http);
  const auto r = notifier.notify(firing_pair(), kNow);
  CAPTURE(r.error);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.error.starts_with("pagerduty: "));
  CHECK(r.error.find("QSECRETQ") == std::string::npos);
  CHECK(r.error.find(kKey) == std::string::npos);
}

TEST_CASE("pagerduty notifier: without a routing key nothing is sent", "[notifiers][pagerduty]") {
  FakePagerduty fake;
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  PagerdutyConfig cfg = pd_config(fake.url());
  cfg.routing_key = Secret();
  cfg.service_key = Secret("v1-service-key");
  PagerdutyNotifier notifier(cfg, "pager", link_settings(), http);
  const auto r = notifier.notify(firing_pair(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error == "pagerduty: service_key (Events API v1) is not supported, use routing_key");
  CHECK(r.error.find("v1-service-key") == std::string::npos);
  CHECK(fake.requests().empty());
}
