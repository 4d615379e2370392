// The Prometheus response decoder on mutated and truncated bodies (docs/architecture.md "Tests"):
// always a result or a one-line error, never a crash or an exception.
#include <catch2/catch.hpp>
#include <random>

#include "evaluator/prometheus_response.h"

TEST_CASE("prometheus response: mutated bodies decode or fail cleanly", "[evaluator][fuzz]") {
  const std::string seed =
      R"({"status":"success","data":{"resultType":"vector","result":[)"
      R"({"metric":{"__name__":"up","model":"llama3-8b"},"value":[1777636800.123,"NaN"]},)"
      R"({"metric":{},"value":[1777636800,"+Inf"]}]},"warnings":["w"]})";
  std::mt19937 rng(99);
  const std::string kBytes = "{}[]\":,0.eE-+nNaI \\u";
  int errors = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string body = seed;
    if (i % 5 == 0) {
      body.resize(rng() % body.size());  // truncated
    } else {
      for (int e = 0; e < 1 + static_cast<int>(rng() % 3); ++e) {
        body[rng() % body.size()] = kBytes[rng() % kBytes.size()];
      }
    }
    const int status = i % 7 == 0 ? 422 : 200;
    const auto r = herald::evaluator::decode_query_response(herald::HttpResponse{status, {}, body});
    if (!r) {
      ++errors;
      REQUIRE_FALSE(r.error().message.empty());
      REQUIRE(r.error().message.find('\n') == std::string::npos);
    }
  }
  CHECK(errors > 1000);
}
