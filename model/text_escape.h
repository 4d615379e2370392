// Character-entity escaping shared by every escaper with its own table: Slack's mrkdwn (& < >),
// email HTML (& < > " '), Go's HTMLEscapeString and html/template's value escaper.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace herald {

struct CharEntity {
  char c;
  std::string_view replacement;
};

// `text` with each character listed in `table` replaced; every other byte copied.
[[nodiscard]] std::string escape_chars(std::string_view text,
                                       std::initializer_list<CharEntity> table);

}  // namespace herald
