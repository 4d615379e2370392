// Fuzz target: request framing (frame_request in server/http_framing.h), the bytes a client sends
// before any handler runs. Every input is a Request or an error answer with a 4xx/5xx status;
// an accepted request's body respects the limit and its path has no NUL.
#include "server/http_framing.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  constexpr size_t kHeaderLimit = 8192, kBodyLimit = 4096;
  const auto r =
      herald::server::frame_request(herald::fuzz::as_text(data, size), kHeaderLimit, kBodyLimit);
  if (const auto* res = std::get_if<herald::server::Response>(&r)) {
    check(res->status >= 400 && res->status < 600, "a refusal is a 4xx or 5xx");
  } else {
    const auto& req = std::get<herald::server::Request>(r);
    check(req.body.size() <= kBodyLimit, "the body limit holds");
    check(req.path.find('\0') == std::string::npos, "no NUL in a path");
    check(!req.method.empty(), "a method");
  }
  return 0;
}
