// Re-walks a scalar's source text, pairing each decoded character with the raw position it came
// from, until the requested decoded position is reached. Follows YAML 1.2 chapter 7-8 folding.
#include "config/scalar_position.h"

#include <optional>

namespace herald::config {
namespace {

class ScalarWalker {
 public:
  ScalarWalker(std::string_view content, const ScalarOrigin& origin, LineColumn target)
      : s_(content), i_(origin.offset), raw_{origin.line, origin.column}, target_(target) {}

  std::optional<LineColumn> walk() {
    skip_properties();
    if (i_ >= s_.size()) return std::nullopt;
    char c = s_[i_];
    if (c == '"' || c == '\'') return walk_quoted(c);
    if (c == '|' || c == '>') return walk_block(c == '>');
    return walk_plain();
  }

 private:
  bool at_end() const { return i_ >= s_.size(); }
  char peek(size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  void advance() {
    if (s_[i_] == '\n') {
      ++raw_.line;
      raw_.column = 1;
    } else {
      ++raw_.column;
    }
    ++i_;
  }

  // Records that the decoded character `c` came from `from`; true once the target is reached.
  bool emit(char c, LineColumn from) {
    if (decoded_ == target_) {
      found_ = from;
      return true;
    }
    if (c == '\n') {
      ++decoded_.line;
      decoded_.column = 1;
    } else {
      ++decoded_.column;
    }
    return false;
  }

  // `&anchor` and `!tag` may precede the scalar's text.
  void skip_properties() {
    while (!at_end() && (peek() == '&' || peek() == '!')) {
      while (!at_end() && peek() != ' ' && peek() != '\n')
        advance();
      while (!at_end() && peek() == ' ')
        advance();
    }
  }

  // True when only spaces/tabs separate the cursor from the next line break.
  bool blank_until_newline() const {
    for (size_t j = i_; j < s_.size(); ++j) {
      if (s_[j] == '\n') return true;
      if (s_[j] != ' ' && s_[j] != '\t') return false;
    }
    return false;
  }

  // At a line break inside a flow (plain or quoted) scalar: one break folds to a space, each
  // further empty line becomes a newline. Leaves the cursor at the next line's first character.
  bool fold_flow_break() {
    int empty_lines = 0;
    advance();  // the '\n'
    for (;;) {
      while (!at_end() && (peek() == ' ' || peek() == '\t'))
        advance();
      if (at_end() || peek() != '\n') break;
      ++empty_lines;
      advance();
    }
    if (empty_lines == 0) return emit(' ', raw_);
    for (int k = 0; k < empty_lines; ++k) {
      if (emit('\n', raw_)) return true;
    }
    return false;
  }

  // Handles the whitespace and line break cases shared by plain and quoted scalars; returns
  // true when it consumed something (and sets found_ if the target was reached).
  bool flow_whitespace(bool& done) {
    char c = peek();
    if ((c == ' ' || c == '\t') && blank_until_newline()) {
      while (peek() != '\n')
        advance();  // trailing whitespace is not part of the value
      return true;
    }
    if (c == '\n') {
      done = fold_flow_break();
      return true;
    }
    return false;
  }

  std::optional<LineColumn> walk_quoted(char quote) {
    advance();  // opening quote
    while (!at_end() && !(peek() == quote && !(quote == '\'' && peek(1) == '\''))) {
      bool done = false;
      if (flow_whitespace(done)) {
        if (done) return found_;
        continue;
      }
      LineColumn from = raw_;
      char decoded = peek();
      if (quote == '\'' && peek() == '\'') {
        advance();  // '' is one quote
      } else if (quote == '"' && peek() == '\\') {
        advance();
        if (peek() == '\n') {  // escaped line break: joins lines without a space
          advance();
          while (!at_end() && (peek() == ' ' || peek() == '\t'))
            advance();
          continue;
        }
        decoded = peek() == 'n' ? '\n' : peek();
        int hex = peek() == 'x' ? 2 : peek() == 'u' ? 4 : peek() == 'U' ? 8 : 0;
        for (int k = 0; k < hex && !at_end(); ++k)
          advance();
      }
      if (emit(decoded, from)) return found_;
      if (!at_end()) advance();
    }
    return std::nullopt;
  }

  std::optional<LineColumn> walk_plain() {
    while (!at_end()) {
      bool done = false;
      if (flow_whitespace(done)) {
        if (done) return found_;
        continue;
      }
      if (emit(peek(), raw_)) return found_;
      advance();
    }
    return std::nullopt;
  }

  int indentation_at(size_t j) const {
    int n = 0;
    while (j + n < s_.size() && s_[j + n] == ' ')
      ++n;
    return n;
  }
  bool line_is_empty(size_t j) const {
    while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t'))
      ++j;
    return j >= s_.size() || s_[j] == '\n';
  }

  // The block scalar's content indentation: that of its first non-empty line.
  int block_indent() const {
    for (size_t j = i_; j < s_.size();) {
      if (!line_is_empty(j)) return indentation_at(j);
      j = s_.find('\n', j);
      if (j == std::string_view::npos) break;
      ++j;
    }
    return 0;
  }

  std::optional<LineColumn> walk_block(bool folded) {
    while (!at_end() && peek() != '\n')
      advance();  // header: indicators and comment
    if (at_end()) return std::nullopt;
    advance();
    int indent = block_indent();
    while (!at_end()) {
      if (line_is_empty(i_)) {
        while (!at_end() && peek() != '\n')
          advance();
        if (at_end()) break;
        if (emit('\n', raw_)) return found_;
        advance();
        continue;
      }
      if (indentation_at(i_) < indent) break;  // the block ended
      for (int k = 0; k < indent; ++k)
        advance();
      bool more_indented = peek() == ' ' || peek() == '\t';
      while (!at_end() && peek() != '\n') {
        if (emit(peek(), raw_)) return found_;
        advance();
      }
      if (at_end()) break;
      // Folding (for lines that are not more indented): a break before a normal line becomes a
      // space; a break before empty lines is dropped, and each empty line gives a newline.
      size_t next = i_ + 1;
      bool fold = folded && !more_indented;
      if (fold && line_is_empty(next)) {
        advance();
        continue;
      }
      bool join = fold && indentation_at(next) == indent;
      if (emit(join ? ' ' : '\n', raw_)) return found_;
      advance();
    }
    return std::nullopt;
  }

  std::string_view s_;
  size_t i_;
  LineColumn raw_;
  LineColumn target_;
  LineColumn decoded_{1, 1};
  LineColumn found_;
};

}  // namespace

LineColumn locate_in_scalar(std::string_view content, const ScalarOrigin& origin, int value_line,
                            int value_column) {
  LineColumn fallback{origin.line, origin.column};
  if (origin.offset >= content.size() || value_line < 1 || value_column < 1) return fallback;
  ScalarWalker walker(content, origin, LineColumn{value_line, value_column});
  return walker.walk().value_or(fallback);
}

}  // namespace herald::config
