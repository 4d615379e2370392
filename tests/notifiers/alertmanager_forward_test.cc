// AlertmanagerForwarder: the v2 body, one POST per Alertmanager, the worst answer wins, and the
// resend schedule at given instants (the real Alertmanager is in tests/integration).
#include "notifiers/alertmanager_forward.h"

#include <catch2/catch.hpp>
#include <deque>

using namespace std::chrono_literals;

namespace herald::notifiers {
namespace {

const WallTime kT = WallTime(std::chrono::seconds(1777636800));  // 2026-05-01T12:00:00Z

class ScriptedClient final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return HttpResponse{200, {}, ""};
    HttpResponse r = answers.front();
    answers.pop_front();
    return r;
  }
  std::vector<HttpRequest> requests;
  std::deque<HttpResponse> answers;
};

Alert alert(const char* model, WallTime ends_at = {}) {
  Alert a;
  a.labels = {{"alertname", "ModelNotLoaded"}, {"model", model}};
  a.annotations = {{"summary", "not loaded"}};
  a.starts_at = kT - 1min;
  a.ends_at = ends_at;
  a.generator_url = "http://prom/graph?g0.expr=x";
  return a;
}

config::AlertmanagerForwardConfig config_of(std::vector<std::string> urls) {
  config::AlertmanagerForwardConfig c;
  c.urls = std::move(urls);
  c.resend_interval = 1min;
  return c;
}

}  // namespace

TEST_CASE("alertmanager forwarder: v2 postable alerts, firing valid for 4 resend intervals",
          "[notifiers]") {
  CHECK(render_postable_alerts({alert("llama3-8b")}, {alert("phi3", kT - 10s)}, kT + 4min) ==
        R"([{"labels":{"alertname":"ModelNotLoaded","model":"llama3-8b"},)"
        R"("annotations":{"summary":"not loaded"},"startsAt":"2026-05-01T11:59:00Z",)"
        R"("endsAt":"2026-05-01T12:04:00Z","generatorURL":"http://prom/graph?g0.expr=x"},)"
        R"({"labels":{"alertname":"ModelNotLoaded","model":"phi3"},)"
        R"("annotations":{"summary":"not loaded"},"startsAt":"2026-05-01T11:59:00Z",)"
        R"("endsAt":"2026-05-01T11:59:50Z","generatorURL":"http://prom/graph?g0.expr=x"}])");
  CHECK(render_postable_alerts({}, {}, kT) == "[]");
}

TEST_CASE("alertmanager forwarder: posts to every Alertmanager; the worst answer wins",
          "[notifiers]") {
  ScriptedClient http;
  AlertmanagerForwarder f(config_of({"http://am-0:9093/", "http://am-1:9093/prefix"}), {}, http);
  CHECK(f.integration() == "alertmanager");
  CHECK(f.send_resolved());

  Notification n;
  n.group_key = "{}:{}";
  n.firing = {alert("llama3-8b")};
  CHECK(f.notify(n, kT).outcome == DeliveryOutcome::kDelivered);
  REQUIRE(http.requests.size() == 2);
  CHECK(http.requests[0].method == "POST");
  CHECK(http.requests[0].url == "http://am-0:9093/api/v2/alerts");
  CHECK(http.requests[1].url == "http://am-1:9093/prefix/api/v2/alerts");
  CHECK(http.requests[0].body == http.requests[1].body);
  CHECK(http.requests[0].body.find(R"("endsAt":"2026-05-01T12:04:00Z")") != std::string::npos);

  http.answers = {HttpResponse{503, {}, ""}, HttpResponse{200, {}, ""}};
  CHECK(f.notify(n, kT).outcome == DeliveryOutcome::kRetry);
  http.answers = {HttpResponse{400, {}, "bad"}, HttpResponse{503, {}, ""}};
  const DeliveryResult r = f.notify(n, kT);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error.find("400") != std::string::npos);
}

TEST_CASE("alertmanager forwarder: re-sends the receiver's firing alerts every resend_interval",
          "[notifiers]") {
  ScriptedClient http;
  std::vector<Alert> current = {alert("llama3-8b"), alert("phi3")};
  AlertmanagerForwarder f(
      config_of({"http://am:9093"}), [&](WallTime) { return current; }, http);

  CHECK(f.tick(kT) == kT + 1min);  // the first tick only schedules
  CHECK(http.requests.empty());
  CHECK(f.tick(kT + 59s) == kT + 1min);
  CHECK(http.requests.empty());

  CHECK(f.tick(kT + 1min) == kT + 2min);
  REQUIRE(http.requests.size() == 1);
  CHECK(http.requests[0].body ==
        render_postable_alerts(current, {}, kT + 1min + 4 * std::chrono::minutes(1)));

  current.clear();  // resolved (the resolve itself went out through notify)
  CHECK(f.tick(kT + 2min) == kT + 3min);
  CHECK(http.requests.size() == 1);  // nothing firing: nothing sent

  current = {alert("llama3-8b")};
  http.answers = {HttpResponse{503, {}, ""}};
  CHECK(f.tick(kT + 3min) == kT + 4min);  // a failed resend waits for the next one
  CHECK(f.last_resend().outcome == DeliveryOutcome::kRetry);
  CHECK(f.tick(kT + 4min) == kT + 5min);
  CHECK(http.requests.size() == 3);
  CHECK(f.last_resend().outcome == DeliveryOutcome::kDelivered);
}

}  // namespace herald::notifiers
