// One loop for the table-driven escapers.
#include "model/text_escape.h"

namespace herald {

std::string escape_chars(std::string_view text, std::initializer_list<CharEntity> table) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const CharEntity* hit = nullptr;
    for (const CharEntity& e : table) {
      if (e.c == c) {
        hit = &e;
        break;
      }
    }
    if (hit) {
      out += hit->replacement;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace herald
