// Internal to promql/: the bits of Go's string handling the lexer, parser and printer share.
// Decoding UTF-8 is model/go_json.h's utf8_sequence (Go's rules).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace herald::promql::detail {

// Appends rune `r` (≤ U+10FFFF) as UTF-8.
void append_utf8(std::string& out, uint32_t r);

// Go's %q for the ASCII texts PromQL's error messages quote: "…" with \" and \\ escaped.
[[nodiscard]] std::string quote(std::string_view s);

}  // namespace herald::promql::detail
