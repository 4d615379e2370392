// locate_in_scalar: every character of a scalar's decoded value maps back to the file position
// it was written at, for each YAML scalar style.
#include "config/scalar_position.h"

#include <catch2/catch.hpp>
#include <string>

using herald::config::LineColumn;
using herald::config::locate_in_scalar;
using herald::config::ScalarOrigin;

namespace {

// Origin of the scalar that starts right after the first "k: " in `yaml`.
ScalarOrigin origin_of(const std::string& yaml) {
  size_t offset = yaml.find("k: ") + 3;
  ScalarOrigin o{offset, 1, 1};
  for (size_t i = 0; i < offset; ++i) {
    if (yaml[i] == '\n') {
      ++o.line;
      o.column = 1;
    } else {
      ++o.column;
    }
  }
  return o;
}

char char_at(const std::string& yaml, LineColumn at) {
  size_t i = 0;
  for (int line = 1; line < at.line; ++line)
    i = yaml.find('\n', i) + 1;
  return yaml.at(i + at.column - 1);
}

}  // namespace

TEST_CASE("scalar position: each decoded character maps to where it is written", "[config]") {
  struct Case {
    const char* style;
    std::string yaml;
    std::string value;  // what a YAML parser decodes
  };
  auto c = GENERATE(values<Case>({
      {"plain", "a:\n  k: a {{ x }} b\n", "a {{ x }} b"},
      {"double-quoted", "k: \"a \\\"q\\\" {{ x }}\\tz\"\n", "a \"q\" {{ x }}\tz"},
      {"single-quoted", "k: 'it''s {{ x }}'\n", "it's {{ x }}"},
      {"literal block", "k: |\n  line one\n  line {{ two }}\n\n  four\nnext: 1\n",
       "line one\nline {{ two }}\n\nfour\n"},
      {"literal block with indicator", "  k: |-\n      x {{ y }}\n      z\n", "x {{ y }}\nz"},
      {"folded block", "k: >\n  a b\n  c {{ d }}\n\n  e\n", "a b c {{ d }}\ne\n"},
      {"plain, two lines", "k: a b\n  c {{ d }}\n", "a b c {{ d }}"},
      {"double-quoted, two lines", "k: \"a b  \n   c {{ d }}\"\n", "a b c {{ d }}"},
  }));
  CAPTURE(c.style, c.yaml);
  ScalarOrigin origin = origin_of(c.yaml);
  int line = 1, column = 1;
  for (char want : c.value) {
    CAPTURE(line, column, want);
    LineColumn at = locate_in_scalar(c.yaml, origin, line, column);
    // Folded breaks and escapes have no single source character to compare with.
    if (want != ' ' && want != '\n' && want != '\t' && want != '"') {
      CHECK(char_at(c.yaml, at) == want);
    }
    if (want == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

TEST_CASE("scalar position: quoted scalars count the opening quote", "[config]") {
  std::string yaml = "      summary: \"{{ $value | humanizeX }}\"\n";
  ScalarOrigin origin{15, 1, 16};  // the quote
  CHECK(locate_in_scalar(yaml, origin, 1, 1) == LineColumn{1, 17});
  CHECK(locate_in_scalar(yaml, origin, 1, 14) == LineColumn{1, 30});
}

TEST_CASE("scalar position: a position beyond the value maps to the scalar itself", "[config]") {
  std::string yaml = "k: 'abc'\n";
  ScalarOrigin origin{3, 1, 4};
  CHECK(locate_in_scalar(yaml, origin, 1, 40) == LineColumn{1, 4});
  CHECK(locate_in_scalar(yaml, origin, 3, 1) == LineColumn{1, 4});
  CHECK(locate_in_scalar(yaml, origin, 0, 0) == LineColumn{1, 4});
}
