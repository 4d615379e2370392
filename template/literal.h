// Go literal syntax inside actions: numbers (int, float, hex, octal, binary, '_' separators,
// character constants) and strings ("..." with Go escapes, `raw`), as text/template reads them.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "template/value.h"

namespace herald::tmpl {

// A number token's value as text/template uses it untyped: an int when the text is an integer,
// a float64 when it has a '.', exponent or hex mantissa. Errors read like Go's parser.
[[nodiscard]] tl::expected<Value, std::string> parse_number_literal(std::string_view text);

// A character constant such as 'a' or '\n': its code point as an int.
[[nodiscard]] tl::expected<Value, std::string> parse_char_literal(std::string_view text);

// strconv.Unquote for "..." and `...` strings.
[[nodiscard]] tl::expected<std::string, std::string> unquote_string(std::string_view quoted);

// Appends the UTF-8 encoding of `r`.
void append_utf8(std::string& out, char32_t r);

}  // namespace herald::tmpl
