// classify_http: Alertmanager's "HTTP status → retry or not" table (notify/util_test.go's
// TestRetrierCheck) with herald's 429 and Retry-After, and secret-free error text.
#include "notifiers/http_outcome.h"

#include <catch2/catch.hpp>

using herald::DeliveryOutcome;
using herald::HttpResponse;
using herald::Result;
using herald::WallTime;
using herald::notifiers::classify_http;
using herald::notifiers::parse_retry_after;
using std::chrono::seconds;

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
const WallTime kExampleDate = WallTime(seconds(784111777));

Result<HttpResponse> answer(int status, std::string body = "", herald::HttpHeaders headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

}  // namespace

TEST_CASE("classify_http: status decides delivered, retry or permanent", "[notifiers]") {
  auto [status, want] = GENERATE(table<int, DeliveryOutcome>({
      {200, DeliveryOutcome::kDelivered},
      {201, DeliveryOutcome::kDelivered},
      {202, DeliveryOutcome::kDelivered},
      {204, DeliveryOutcome::kDelivered},
      {299, DeliveryOutcome::kDelivered},
      {100, DeliveryOutcome::kPermanent},
      {301, DeliveryOutcome::kPermanent},  // redirects are not followed
      {304, DeliveryOutcome::kPermanent},
      {400, DeliveryOutcome::kPermanent},
      {401, DeliveryOutcome::kPermanent},
      {403, DeliveryOutcome::kPermanent},
      {404, DeliveryOutcome::kPermanent},
      {408, DeliveryOutcome::kPermanent},
      {410, DeliveryOutcome::kPermanent},
      {413, DeliveryOutcome::kPermanent},
      {422, DeliveryOutcome::kPermanent},
      {429, DeliveryOutcome::kRetry},  // herald's addition (docs/compatibility.md "Alertmanager
                                       // notification pipeline")
      {499, DeliveryOutcome::kPermanent},
      {500, DeliveryOutcome::kRetry},
      {502, DeliveryOutcome::kRetry},
      {503, DeliveryOutcome::kRetry},
      {504, DeliveryOutcome::kRetry},
      {599, DeliveryOutcome::kRetry},
      {600, DeliveryOutcome::kPermanent},
  }));
  CAPTURE(status);
  const auto r = classify_http("webhook", answer(status, "body"), kExampleDate);
  CHECK(r.outcome == want);
  CHECK(r.error.empty() == (want == DeliveryOutcome::kDelivered));
  CHECK_FALSE(r.retry_after.has_value());
}

TEST_CASE("classify_http: transport errors retry", "[notifiers]") {
  Result<HttpResponse> refused =
      herald::unavailable("POST http://127.0.0.1:1/hooks/T0/B0/XSECRET: Connection refused");
  const std::vector<std::string> secrets{"/hooks/T0/B0/XSECRET"};
  auto r = classify_http("webhook", refused, kExampleDate, secrets);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.error == "webhook: POST http://127.0.0.1:1<redacted>: Connection refused");

  Result<HttpResponse> bad = herald::invalid_input("unsupported scheme");
  CHECK(classify_http("webhook", bad, kExampleDate).outcome == DeliveryOutcome::kPermanent);
}

TEST_CASE("classify_http: error text names the status and a sanitized body excerpt",
          "[notifiers]") {
  CHECK(classify_http("webhook", answer(503, "overloaded\n"), kExampleDate).error ==
        "webhook: http 503 Service Unavailable: overloaded");
  CHECK(classify_http("webhook", answer(400), kExampleDate).error ==
        "webhook: http 400 Bad Request");
  CHECK(classify_http("webhook", answer(599), kExampleDate).error == "webhook: http 599");
  // 200 bytes at most, cut on a character boundary, control bytes and broken UTF-8 blanked.
  const std::string long_body = std::string(199, 'x') + "모델" + std::string(500, 'y');
  CHECK(classify_http("webhook", answer(500, long_body), kExampleDate).error ==
        "webhook: http 500 Internal Server Error: " + std::string(199, 'x'));
  CHECK(classify_http("pagerduty", answer(400, "a\x01\tb\xff\r\nc"), kExampleDate).error ==
        "pagerduty: http 400 Bad Request: a  b   c");
  // A peer echoing the request's secrets does not put them into the error.
  const std::vector<std::string> secrets{"https://hooks.example/T0/XSECRET?token=abc",
                                         "/T0/XSECRET", "token=abc", "s3cr3t"};
  const auto r = classify_http("webhook",
                               answer(404,
                                      "no route for /T0/XSECRET?token=abc (auth s3cr3t) at "
                                      "https://hooks.example/T0/XSECRET?token=abc"),
                               kExampleDate, secrets);
  CHECK(r.error ==
        "webhook: http 404 Not Found: no route for <redacted>?<redacted> (auth <redacted>) at "
        "<redacted>");
}

TEST_CASE("classify_http: Retry-After on retried answers", "[notifiers]") {
  auto r = classify_http("webhook", answer(429, "", {{"retry-after", "2"}}), kExampleDate);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.retry_after == seconds(2));
  r = classify_http("webhook", answer(503, "", {{"Retry-After", "Sun, 06 Nov 1994 08:50:07 GMT"}}),
                    kExampleDate);
  CHECK(r.retry_after == seconds(30));
  // Only retried answers carry it.
  r = classify_http("webhook", answer(400, "", {{"Retry-After", "5"}}), kExampleDate);
  CHECK_FALSE(r.retry_after.has_value());
}

TEST_CASE("parse_retry_after: delay-seconds and the three HTTP-date forms", "[notifiers]") {
  auto [value, want] = GENERATE(table<std::string, std::optional<seconds>>({
      {"0", seconds(0)},
      {"2", seconds(2)},
      {" 120 ", seconds(120)},
      {"3600", seconds(3600)},
      {"-5", std::nullopt},
      {"+5", std::nullopt},
      {"1.5", std::nullopt},
      {"5s", std::nullopt},
      {"", std::nullopt},
      {"soon", std::nullopt},
      {"99999999999999999999999", std::nullopt},
      {"Sun, 06 Nov 1994 08:50:37 GMT", seconds(60)},    // IMF-fixdate
      {"Sunday, 06-Nov-94 08:51:37 GMT", seconds(120)},  // RFC 850
      {"Sun Nov  6 08:52:37 1994", seconds(180)},        // asctime
      {"Sun, 06 Nov 1994 08:49:37 GMT", std::nullopt},   // now: not in the future
      {"Sun, 06 Nov 1994 08:00:00 GMT", std::nullopt},   // past
      {"Sun, 06 Nov 1994 08:50:37 PST", std::nullopt},   // not GMT
      {"Sun, 31 Feb 1994 08:50:37 GMT", std::nullopt},   // no such day
      {"Sun, 06 Nov 1994 25:50:37 GMT", std::nullopt},
      {"Sun, 06 Foo 1994 08:50:37 GMT", std::nullopt},
  }));
  CAPTURE(value);
  CHECK(parse_retry_after(value, kExampleDate) == want);
}
