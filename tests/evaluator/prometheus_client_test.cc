// PrometheusClient over a fake HttpClient: every response shape of the query API and how its
// errors are classified, the shape of the requests sent, and bearer-token file rotation.
#include "evaluator/prometheus_client.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>

#include "evaluator/prometheus_response.h"

namespace ev = herald::evaluator;
using herald::ErrorCode;
using herald::HttpRequest;
using herald::HttpResponse;
using herald::LabelSet;
using herald::Result;
using herald::WallTime;

namespace {

// Records every request and answers each with the same canned result.
class FakeHttpClient final : public herald::HttpClient {
 public:
  explicit FakeHttpClient(Result<HttpResponse> reply) : reply_(std::move(reply)) {}
  Result<HttpResponse> send(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    return reply_;
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  Result<HttpResponse> reply_;
  std::vector<HttpRequest> requests_;
};

HttpResponse reply(int status, std::string body) {
  return HttpResponse{status, {}, std::move(body)};
}

const WallTime kTs = WallTime{} + std::chrono::milliseconds(1716900000123);

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> form;
  while (!body.empty()) {
    const std::string_view pair = body.substr(0, body.find('&'));
    body.remove_prefix(std::min(body.size(), pair.size() + 1));
    const size_t eq = pair.find('=');
    form[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
  }
  return form;
}

std::optional<std::string> header(const HttpRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return std::nullopt;
}

constexpr const char* kSecret = "s3cr3t-token";

struct ResponseCase {
  const char* name;
  int status;
  std::string body;
  std::optional<ErrorCode> code;  // nullopt = success
  std::string message_has;        // error message (or first warning) must contain this
  size_t samples = 0;
};

const std::vector<ResponseCase>& response_cases() {
  static const std::vector<ResponseCase> cases = {
      {"vector", 200,
       R"({"status":"success","data":{"resultType":"vector","result":[
         {"metric":{"__name__":"up","job":"a"},"value":[1716900000.123,"1"]},
         {"metric":{"job":"b"},"value":[1716900000.123,"0.5"]}]}})",
       std::nullopt, "", 2},
      {"empty vector", 200, R"({"status":"success","data":{"resultType":"vector","result":[]}})",
       std::nullopt, "", 0},
      {"scalar", 200, R"({"status":"success","data":{"resultType":"scalar","result":[1,"42"]}})",
       std::nullopt, "", 1},
      {"warnings", 200,
       R"({"status":"success","data":{"resultType":"vector","result":[]},"warnings":["w1","w2"]})",
       std::nullopt, "w1", 0},
      {"matrix", 200,
       R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}})",
       ErrorCode::kInvalidInput, "query returned a range vector, not an instant vector"},
      {"string", 200, R"({"status":"success","data":{"resultType":"string","result":[1,"x"]}})",
       ErrorCode::kInvalidInput, "query returned a string, not an instant vector"},
      {"bad_data", 400,
       R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""})",
       ErrorCode::kInvalidInput, "bad_data: 1:5: parse error"},
      {"execution", 422,
       R"({"status":"error","errorType":"execution","error":"many-to-many matching not allowed"})",
       ErrorCode::kInvalidInput, "execution: many-to-many matching not allowed"},
      {"timeout", 503,
       R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})",
       ErrorCode::kUnavailable, "timeout: query timed out"},
      {"canceled", 503, R"({"status":"error","errorType":"canceled","error":"context canceled"})",
       ErrorCode::kUnavailable, "canceled: context canceled"},
      {"unavailable", 503,
       R"({"status":"error","errorType":"unavailable","error":"shutting down"})",
       ErrorCode::kUnavailable, "unavailable: shutting down (http 503)"},
      {"internal", 500, R"({"status":"error","errorType":"internal","error":"oops"})",
       ErrorCode::kUnavailable, "internal: oops"},
      {"not_found", 404, R"({"status":"error","errorType":"not_found","error":"no such thing"})",
       ErrorCode::kRejected, "not_found: no such thing"},
      {"200 with status error", 200,
       R"({"status":"error","errorType":"execution","error":"expanding series: too many"})",
       ErrorCode::kInvalidInput, "execution: expanding series: too many"},
      {"html 502 from a proxy", 502,
       "<html>\r\n<head><title>502 Bad Gateway</title></head>\n<body>\x01\xff</body></html>",
       ErrorCode::kUnavailable, "http 502: not a JSON body: <html> <head><title>502 Bad Gateway"},
      {"401 from an auth proxy", 401, "Unauthorized\n", ErrorCode::kRejected,
       "http 401: not a JSON body: Unauthorized"},
      {"404 from a wrong path prefix", 404, "404 page not found", ErrorCode::kRejected, "http 404"},
      {"truncated", 200, R"({"status":"success","data":{"resultType":"vector","result":[{"met)",
       ErrorCode::kUnavailable, "http 200: truncated or invalid JSON"},
      {"empty body", 200, "", ErrorCode::kUnavailable, "http 200: empty body"},
      {"empty body 503", 503, "  \n", ErrorCode::kUnavailable, "http 503: empty body"},
      {"JSON without status", 200, R"({"data":{}})", ErrorCode::kRejected, "no \"status\""},
      {"JSON array at 500", 500, "[1,2]", ErrorCode::kUnavailable, "http 500: unexpected body"},
      {"no data", 200, R"({"status":"success"})", ErrorCode::kRejected, "no \"data\" object"},
      {"unknown resultType", 200,
       R"({"status":"success","data":{"resultType":"histo","result":[]}})", ErrorCode::kRejected,
       "unknown resultType"},
      {"value not a number", 200,
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}})",
       ErrorCode::kRejected, "sample value \"abc\" is not a number"},
      {"value not a string", 200,
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}})",
       ErrorCode::kRejected, "is not [<time>, \"<value>\"]"},
      {"label not a string", 200,
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1},"value":[1,"2"]}]}})",
       ErrorCode::kRejected, "label \"a\" is not a string"},
  };
  return cases;
}

}  // namespace

TEST_CASE("prometheus client: every response shape decodes or errors with the right code",
          "[evaluator][prometheus]") {
  const ResponseCase& c = GENERATE(from_range(response_cases()));
  INFO(c.name);
  FakeHttpClient http(reply(c.status, c.body));
  ev::PrometheusClient client({.url = "http://prom:9090", .bearer_token = kSecret}, http);
  auto result = client.query("up", kTs);
  if (!c.code) {
    REQUIRE(result.has_value());
    CHECK(result->samples.size() == c.samples);
    if (!c.message_has.empty()) {
      REQUIRE_FALSE(result->warnings.empty());
      CHECK(result->warnings.front() == c.message_has);
    }
    return;
  }
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == *c.code);
  CHECK_THAT(result.error().message, Catch::Contains(c.message_has));
  CHECK_THAT(result.error().message, !Catch::Contains(kSecret));
  CHECK(result.error().message.find('\n') == std::string::npos);
}

TEST_CASE("prometheus client: vector samples keep labels and __name__ as returned",
          "[evaluator][prometheus]") {
  FakeHttpClient http(reply(200, response_cases()[0].body));
  ev::PrometheusClient client({.url = "http://prom:9090"}, http);
  auto result = client.query("up", kTs);
  REQUIRE(result.has_value());
  REQUIRE(result->samples.size() == 2);
  CHECK(result->samples[0].labels == LabelSet{{"__name__", "up"}, {"job", "a"}});
  CHECK(result->samples[0].value == 1.0);
  CHECK(result->samples[1].labels == LabelSet{{"job", "b"}});
  CHECK(result->samples[1].value == 0.5);
  CHECK(result->warnings.empty());
}

TEST_CASE("prometheus client: a scalar is one sample without labels", "[evaluator][prometheus]") {
  FakeHttpClient http(reply(200, R"({"status":"success","data":{"resultType":"scalar",
                                    "result":[1716900000.123,"-1.5e-3"]}})"));
  auto result = ev::PrometheusClient({.url = "http://prom:9090"}, http).query("-0.0015", kTs);
  REQUIRE(result.has_value());
  REQUIRE(result->samples.size() == 1);
  CHECK(result->samples[0].labels.empty());
  CHECK(result->samples[0].value == -1.5e-3);
}

TEST_CASE("prometheus client: NaN and infinities parse", "[evaluator][prometheus]") {
  FakeHttpClient http(reply(200, R"({"status":"success","data":{"resultType":"vector","result":[
    {"metric":{"v":"nan"},"value":[1,"NaN"]},
    {"metric":{"v":"pinf"},"value":[1,"+Inf"]},
    {"metric":{"v":"ninf"},"value":[1,"-Inf"]},
    {"metric":{"v":"big"},"value":[1,"1e+308"]}]}})"));
  auto result = ev::PrometheusClient({.url = "http://prom:9090"}, http).query("x", kTs);
  REQUIRE(result.has_value());
  REQUIRE(result->samples.size() == 4);
  CHECK(std::isnan(result->samples[0].value));
  CHECK(result->samples[1].value == INFINITY);
  CHECK(result->samples[2].value == -INFINITY);
  CHECK(result->samples[3].value == 1e308);
}

TEST_CASE("prometheus client: transport failures pass through as unavailable",
          "[evaluator][prometheus]") {
  FakeHttpClient http(
      herald::unavailable("POST http://prom:9090/api/v1/query: Connection refused"));
  auto result = ev::PrometheusClient({.url = "http://prom:9090"}, http).query("up", kTs);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(result.error().message, Catch::Contains("Connection refused"));
}

TEST_CASE("prometheus client: an instant query is a form POST with time and auth",
          "[evaluator][prometheus]") {
  FakeHttpClient http(reply(200, response_cases()[1].body));
  ev::PrometheusClient client({.url = "http://prom:9090/prometheus/",
                               .timeout = std::chrono::milliseconds(2500),
                               .bearer_token = kSecret,
                               .headers = {{"X-Scope-OrgID", "tenant-1"}}},
                              http);
  const std::string expr = R"(sum by (model) (rate(x{a="b c",d=~"e|f"}[5m])) > 0.05 & +1)";
  REQUIRE(client.query(expr, kTs).has_value());
  REQUIRE(http.requests().size() == 1);
  const HttpRequest r = http.requests()[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "http://prom:9090/prometheus/api/v1/query");
  CHECK(header(r, "Content-Type") == "application/x-www-form-urlencoded");
  CHECK(header(r, "Authorization") == std::string("Bearer ") + kSecret);
  CHECK(header(r, "X-Scope-OrgID") == "tenant-1");
  CHECK(r.timeout > std::chrono::milliseconds(2500));  // room for Prometheus's own timeout reply
  const auto form = parse_form(r.body);
  CHECK(form.at("query") == expr);
  CHECK(form.at("time") == "1716900000.123");
  CHECK(form.at("timeout") == "2s500ms");
  CHECK(r.body.find(' ') == std::string::npos);
  CHECK_THAT(r.body, Catch::StartsWith("query=sum%20by%20%28model%29"));
}

TEST_CASE("prometheus client: a range query sends start, end and step", "[evaluator][prometheus]") {
  FakeHttpClient http(reply(200, R"({"status":"success","data":{"resultType":"matrix","result":[
    {"metric":{"job":"a"},"values":[[1716900000,"1"],[1716900015.5,"NaN"]]}]}})"));
  ev::PrometheusClient client({.url = "http://prom:9090"}, http);
  auto series = client.query_range("up", kTs, kTs + std::chrono::minutes(1),
                                   std::chrono::milliseconds(15000));
  REQUIRE(series.has_value());
  REQUIRE(series->size() == 1);
  CHECK((*series)[0].labels == LabelSet{{"job", "a"}});
  REQUIRE((*series)[0].points.size() == 2);
  CHECK((*series)[0].points[0].first == WallTime{} + std::chrono::milliseconds(1716900000000));
  CHECK((*series)[0].points[1].first == WallTime{} + std::chrono::milliseconds(1716900015500));
  CHECK(std::isnan((*series)[0].points[1].second));
  const HttpRequest r = http.requests().at(0);
  CHECK(r.url == "http://prom:9090/api/v1/query_range");
  const auto form = parse_form(r.body);
  CHECK(form.at("start") == "1716900000.123");
  CHECK(form.at("end") == "1716900060.123");
  CHECK(form.at("step") == "15.000");

  auto zero_step = client.query_range("up", kTs, kTs, std::chrono::milliseconds(0));
  REQUIRE_FALSE(zero_step.has_value());
  CHECK(zero_step.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("prometheus client: a sample time past what the clock holds is an error",
          "[evaluator][prometheus]") {
  // WallTime's nanoseconds end in 2262; year 4000 overflowed them (found by
  // fuzz_prometheus_response).
  for (const char* t : {"63887763683", "-63887763683", "1e300"}) {
    INFO(t);
    const std::string body =
        std::string(R"({"status":"success","data":{"resultType":"matrix","result":[{"values":[[)") +
        t + R"(,"1"]]}]}})";
    auto series = ev::decode_range_response(HttpResponse{200, {}, body});
    REQUIRE_FALSE(series.has_value());
    CHECK(series.error().code == ErrorCode::kRejected);
    CHECK_THAT(series.error().message, Catch::Contains("is out of range"));
  }
  auto latest = ev::decode_range_response(HttpResponse{
      200,
      {},
      R"({"status":"success","data":{"resultType":"matrix","result":[{"values":[[9223372035,"1"]]}]}})"});
  REQUIRE(latest.has_value());
  CHECK(latest->at(0).points.at(0).first == WallTime{} + std::chrono::seconds(9223372035));
}

TEST_CASE("prometheus client: a range query that is not a matrix is an error",
          "[evaluator][prometheus]") {
  FakeHttpClient http(reply(200, response_cases()[1].body));
  auto series = ev::PrometheusClient({.url = "http://prom:9090"}, http)
                    .query_range("up", kTs, kTs, std::chrono::seconds(1));
  REQUIRE_FALSE(series.has_value());
  CHECK(series.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("prometheus client: URL join, time format and form escaping", "[evaluator][prometheus]") {
  using ev::join_url;
  CHECK(join_url("http://h:9090", "/api/v1/query") == "http://h:9090/api/v1/query");
  CHECK(join_url("http://h:9090/", "/api/v1/query") == "http://h:9090/api/v1/query");
  CHECK(join_url("http://h/prometheus", "/api/v1/query") == "http://h/prometheus/api/v1/query");
  CHECK(join_url("http://h/prometheus//", "api/v1/query") == "http://h/prometheus/api/v1/query");

  using std::chrono::milliseconds;
  CHECK(ev::format_unix_seconds(WallTime{} + milliseconds(1716900000123)) == "1716900000.123");
  CHECK(ev::format_unix_seconds(WallTime{} + milliseconds(1716900000000)) == "1716900000.000");
  CHECK(ev::format_unix_seconds(WallTime{} + milliseconds(5)) == "0.005");
  CHECK(ev::format_unix_seconds(WallTime{} - milliseconds(1500)) == "-2.500");
  CHECK(ev::format_unix_seconds(WallTime{} + std::chrono::microseconds(1999)) == "0.001");

  CHECK(ev::form_escape("a-z_0.9~") == "a-z_0.9~");
  CHECK(ev::form_escape("a b+c&d=e%") == "a%20b%2Bc%26d%3De%25");
  CHECK(ev::form_escape("\xc3\xa9") == "%C3%A9");
}

TEST_CASE("prometheus client: body excerpts are short and printable", "[evaluator][prometheus]") {
  CHECK(ev::body_excerpt("  a\r\n\tb  ") == "a b");
  CHECK(ev::body_excerpt("x\x01y\x7f") == "x?y?");
  CHECK(ev::body_excerpt(std::string(500, 'z'), 10) == "zzzzzzzzzz...");
}

namespace {

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "herald-prom-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

void write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream(p, std::ios::trunc) << content;
}

}  // namespace

TEST_CASE("prometheus client: the bearer token file is re-read after it changes",
          "[evaluator][prometheus]") {
  TempDir dir;
  const auto token_path = dir.path / "token";
  write_file(token_path, "first-token\n");
  FakeHttpClient http(reply(200, response_cases()[1].body));
  ev::PrometheusClient client({.url = "http://prom:9090", .bearer_token_file = token_path.string()},
                              http);
  REQUIRE(client.query("up", kTs).has_value());
  REQUIRE(client.query("up", kTs).has_value());
  write_file(token_path, "second-token-rotated\n");
  REQUIRE(client.query("up", kTs).has_value());
  // Same size, new content: the mtime alone must trigger the re-read.
  write_file(token_path, "third--token-rotated\n");
  std::filesystem::last_write_time(
      token_path, std::filesystem::last_write_time(token_path) + std::chrono::seconds(2));
  REQUIRE(client.query("up", kTs).has_value());

  const auto requests = http.requests();
  REQUIRE(requests.size() == 4);
  CHECK(header(requests[0], "Authorization") == "Bearer first-token");
  CHECK(header(requests[1], "Authorization") == "Bearer first-token");
  CHECK(header(requests[2], "Authorization") == "Bearer second-token-rotated");
  CHECK(header(requests[3], "Authorization") == "Bearer third--token-rotated");
}

TEST_CASE("prometheus client: a missing token file fails without sending",
          "[evaluator][prometheus]") {
  TempDir dir;
  FakeHttpClient http(reply(200, response_cases()[1].body));
  const auto missing = (dir.path / "absent").string();
  ev::PrometheusClient client({.url = "http://prom:9090", .bearer_token_file = missing}, http);
  auto result = client.query("up", kTs);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(result.error().message, Catch::Contains(missing));
  CHECK(http.requests().empty());

  write_file(dir.path / "empty", "\n");
  ev::PrometheusClient empty(
      {.url = "http://prom:9090", .bearer_token_file = (dir.path / "empty").string()}, http);
  auto empty_result = empty.query("up", kTs);
  REQUIRE_FALSE(empty_result.has_value());
  CHECK_THAT(empty_result.error().message, Catch::Contains("file is empty"));
}
