// Fuzz target: the Prometheus HTTP API decoder (evaluator/prometheus_response.h), the body as an
// instant query's and a range query's answer, and as a 422's. Each decodes or fails with a
// non-empty one-line error; nothing throws.
#include "evaluator/prometheus_response.h"

#include "tests/fuzz/fuzz_check.h"

namespace {

template <class T>
void check_error(const herald::Result<T>& r) {
  if (r) return;
  herald::fuzz::check(!r.error().message.empty(), "an error says why");
  herald::fuzz::check(r.error().message.find('\n') == std::string::npos, "an error is one line");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herald::evaluator;
  const std::string body(herald::fuzz::as_text(data, size));
  check_error(decode_query_response(herald::HttpResponse{200, {}, body}));
  check_error(decode_range_response(herald::HttpResponse{200, {}, body}));
  check_error(decode_query_response(herald::HttpResponse{422, {}, body}));
  return 0;
}
