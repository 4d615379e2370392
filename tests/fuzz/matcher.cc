// Fuzz target: Alertmanager's matcher syntax (model/matcher.h). A list or a single matcher parses
// and survives a round trip through its own rendering, or fails at a column inside the text.
#include "model/matcher.h"

#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  const std::string_view text = herald::fuzz::as_text(data, size);
  if (const auto list = herald::parse_matchers(text)) {
    const auto again = herald::parse_matchers(herald::to_string(*list));
    check(again && *again == *list, "a matcher list round-trips");
  } else {
    check(list.error().column >= 1 && list.error().column <= size + 1, "the error is in the text");
    check(!list.error().message.empty(), "the error says why");
  }
  if (const auto one = herald::parse_matcher(text)) {
    const auto again = herald::parse_matcher(one->to_string());
    check(again && *again == *one, "a matcher round-trips");
  } else {
    check(one.error().column >= 1 && one.error().column <= size + 1, "the error is in the text");
  }
  return 0;
}
