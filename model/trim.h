// Trimming characters from both ends of a string: the one trim of the code base. Pure.
#pragma once

#include <string_view>

namespace herald {

// ASCII white space as Go's strings.TrimSpace sees it.
inline constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";
// Space and tab (C's isblank): HTTP's optional white space (RFC 9110 §5.6.3).
inline constexpr std::string_view kBlank = " \t";

// `s` without the leading and trailing characters that are in `chars`.
[[nodiscard]] constexpr std::string_view trim(std::string_view s,
                                              std::string_view chars = kAsciiSpace) {
  const size_t begin = s.find_first_not_of(chars);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(chars) - begin + 1);
}

}  // namespace herald
