// Go's encoding/json output for the few value shapes Alertmanager payloads carry: strings (with
// json.Encoder's default HTML escaping), RFC3339Nano times and string maps. nlohmann_json cannot
// reproduce these bytes (it neither escapes <, >, &, U+2028/9 nor replaces invalid UTF-8 as Go
// does), and receivers compare payloads with Alertmanager's, so herald has this small emitter.
#pragma once

#include <string>
#include <string_view>

#include "model/alert.h"
#include "model/clock.h"
#include "model/labels.h"

namespace herald {

// Length of the valid UTF-8 sequence of a non-ASCII character at the start of `s`, as Go's
// utf8.DecodeRuneInString accepts it (no overlongs, surrogates or code points past U+10FFFF), or
// 0 when the bytes there are not one. Sets `rune` to the code point.
[[nodiscard]] size_t utf8_sequence(std::string_view s, char32_t& rune);

// Appends `s` as a Go JSON string: quotes, \" \\ \n \r \t, other control bytes as \u00xx,
// <, >, & as \u003c \u003e \u0026, U+2028/U+2029 escaped, each invalid UTF-8 byte as \ufffd.
void append_go_json_string(std::string& out, std::string_view s);

// Go's time.Time JSON form in UTC: RFC3339Nano, "2026-05-01T12:00:01.5Z" (trailing zeros of the
// fraction trimmed). WallTime{} is Go's zero time, "0001-01-01T00:00:00Z", as herald's Alert uses
// it for "no end".
[[nodiscard]] std::string go_json_time(WallTime t);

// A map[string]string as Go marshals it: keys in byte order.
void append_go_json_object(std::string& out, const LabelSet& labels);
void append_go_json_object(std::string& out, const Annotations& map);

}  // namespace herald
