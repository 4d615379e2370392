// matcher_codec: the silences table's text form of a silence's matchers — a JSON array of
// {"name", "type", "value"} objects, "type" spelled as in Alertmanager ("=", "!=", "=~", "!~").
// Decoding recompiles each regex, so a row decodes to the matchers that were stored or to an error.
#pragma once

#include <string>
#include <string_view>

#include "model/error.h"
#include "model/matcher.h"

namespace herald::storage {

[[nodiscard]] std::string encode_matchers(const Matchers& matchers);

// kInvalidInput when the text is not such an array, names an unknown type, or holds a regex RE2
// rejects; messages start "silence matchers: ".
[[nodiscard]] Result<Matchers> decode_matchers(std::string_view text);

}  // namespace herald::storage
