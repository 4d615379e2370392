// Maps a position inside a YAML scalar's value (e.g. a template or PromQL error at value line 1,
// column 14) back to the file's line:column, by re-walking the scalar's source text. This is what
// lets a template error point at the offending character rather than at the start of the value.
#pragma once

#include <cstddef>
#include <string_view>

namespace herald::config {

// Where a scalar starts in its file: the quote, the block indicator (| or >) or the first
// character of a plain scalar (anchors and tags before it are skipped).
struct ScalarOrigin {
  size_t offset = 0;  // byte offset into the file
  int line = 1;       // 1-based
  int column = 1;     // 1-based
};

struct LineColumn {
  int line = 0;
  int column = 0;
  friend bool operator==(const LineColumn&, const LineColumn&) = default;
};

// `value_line`/`value_column` are 1-based and count bytes of the decoded value. Exact for plain,
// single- and double-quoted single-line scalars and for literal (|) block scalars; folded (>) and
// multi-line flow scalars follow YAML's folding rules closely but ignore rare corner cases. A
// position the walk cannot reach maps to the scalar's own origin.
[[nodiscard]] LineColumn locate_in_scalar(std::string_view content, const ScalarOrigin& origin,
                                          int value_line, int value_column);

}  // namespace herald::config
