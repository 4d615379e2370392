// Text from peers made fit for errors and logs: secrets cut out, length bounded, control
// characters and broken UTF-8 removed. Used by the notifiers and the SMTP transport. Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace herald {

// At most `max_bytes` of `text` for an error message: cut on a UTF-8 boundary, control characters
// and invalid UTF-8 replaced by spaces, surrounding whitespace trimmed.
[[nodiscard]] std::string error_excerpt(std::string_view text, size_t max_bytes = 200);

// `text` with every occurrence of each non-empty secret replaced by "<redacted>", longest first.
[[nodiscard]] std::string redact(std::string text, std::span<const std::string> secrets);

}  // namespace herald
