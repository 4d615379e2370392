// Lexer state machine: text, then actions token by token, as Go's lex.go does, except that the
// whole input is tokenized up front (templates are small) and errors carry useful positions:
// an unclosed action points at its "{{", an unclosed paren at its "(".
#include "template/lexer.h"

#include <cstdio>
#include <utility>

#include "model/labels.h"

namespace herald::tmpl {
namespace {

constexpr std::string_view kLeft = "{{";
constexpr std::string_view kRight = "}}";
constexpr std::string_view kRightTrim = " -}}";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Decodes one UTF-8 rune; invalid bytes decode as U+FFFD of width 1.
std::pair<char32_t, int> decode(std::string_view s) {
  if (s.empty()) return {0, 0};
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  int n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (n == 0 || static_cast<int>(s.size()) < n) return {0xFFFD, 1};
  char32_t r = b0 & (0x7F >> n);
  for (int i = 1; i < n; ++i) {
    auto b = static_cast<unsigned char>(s[static_cast<size_t>(i)]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
    r = (r << 6) | (b & 0x3F);
  }
  return {r, n};
}

// Go uses unicode.IsLetter/IsDigit; without Unicode tables we accept non-ASCII runes outside
// the common space, punctuation and symbol blocks.
bool is_alnum(char32_t r) {
  if (r < 0x80) {
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
  }
  if (r < 0xC0 || r == 0xD7 || r == 0xF7 || r == 0xFFFD || r == 0xFEFF) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;  // punctuation, symbols, arrows, math
  if (r >= 0x3000 && r <= 0x303F) return false;  // CJK punctuation
  return true;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : in_(text) {}

  std::vector<Token> run() {
    while (!done_)
      lex_text();
    return std::move(out_);
  }

 private:
  bool at(std::string_view p) const { return in_.substr(pos_, p.size()) == p; }
  char peek(size_t off = 0) const { return pos_ + off < in_.size() ? in_[pos_ + off] : '\0'; }
  bool eof() const { return pos_ >= in_.size(); }

  void emit(Tok t, size_t start) {
    out_.push_back(Token{t, static_cast<int>(start), std::string(in_.substr(start, pos_ - start))});
  }
  void fail(size_t at_pos, std::string msg) {
    out_.push_back(Token{Tok::kError, static_cast<int>(at_pos), std::move(msg)});
    done_ = true;
  }

  void lex_text() {
    if (trim_next_) {
      while (!eof() && is_space(in_[pos_]))
        ++pos_;
      trim_next_ = false;
    }
    size_t start = pos_;
    size_t next = in_.find(kLeft, pos_);
    size_t end = next == std::string_view::npos ? in_.size() : next;
    std::string_view text = in_.substr(start, end - start);
    bool trim_left = next != std::string_view::npos && next + 3 < in_.size() &&
                     in_[next + 2] == '-' && is_space(in_[next + 3]);
    if (trim_left) {
      while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    }
    if (!text.empty())
      out_.push_back(Token{Tok::kText, static_cast<int>(start), std::string(text)});
    if (next == std::string_view::npos) {
      pos_ = in_.size();
      out_.push_back(Token{Tok::kEof, static_cast<int>(pos_), ""});
      done_ = true;
      return;
    }
    pos_ = next;
    lex_left_delim(trim_left);
  }

  void lex_left_delim(bool trim) {
    action_start_ = pos_;
    pos_ += kLeft.size();
    size_t after = trim ? 2 : 0;
    if (in_.substr(pos_ + after, 2) == "/*") {
      lex_comment(pos_ + after);
      return;
    }
    out_.push_back(Token{Tok::kLeftDelim, static_cast<int>(action_start_), "{{"});
    pos_ += after;
    parens_.clear();
    while (!done_ && lex_inside_action()) {
    }
  }

  void lex_comment(size_t comment_start) {
    size_t close = in_.find("*/", comment_start + 2);
    if (close == std::string_view::npos) return fail(action_start_, "unclosed comment");
    pos_ = close + 2;
    if (at(kRightTrim)) {
      pos_ += kRightTrim.size();
      trim_next_ = true;
    } else if (at(kRight)) {
      pos_ += kRight.size();
    } else {
      fail(pos_, "comment ends before closing delimiter");
    }
  }

  // Lexes one token inside an action; returns false when the action (or lexing) ended.
  bool lex_inside_action() {
    bool trim = at(kRightTrim);
    if (trim || at(kRight)) {
      if (!parens_.empty()) {
        fail(parens_.back(), "unclosed left paren");
        return false;
      }
      size_t start = pos_;
      pos_ += trim ? kRightTrim.size() : kRight.size();
      emit(Tok::kRightDelim, start);
      trim_next_ = trim;
      return false;
    }
    if (eof()) {
      fail(action_start_, "unclosed action");
      return false;
    }
    size_t start = pos_;
    char c = in_[pos_];
    if (is_space(c)) return lex_space();
    switch (c) {
      case '=':
        ++pos_;
        emit(Tok::kAssign, start);
        return true;
      case ':':
        if (peek(1) != '=') {
          fail(start, "expected :=");
          return false;
        }
        pos_ += 2;
        emit(Tok::kDeclare, start);
        return true;
      case '|':
        ++pos_;
        emit(Tok::kPipe, start);
        return true;
      case '"':
        return lex_quoted('"', Tok::kString, "unterminated quoted string");
      case '\'':
        return lex_quoted('\'', Tok::kCharConstant, "unterminated character constant");
      case '`':
        return lex_raw();
      case '$':
        ++pos_;
        return lex_field_or_variable(Tok::kVariable, start);
      case '(':
        ++pos_;
        parens_.push_back(start);
        emit(Tok::kLeftParen, start);
        return true;
      case ')':
        ++pos_;
        if (parens_.empty()) {
          fail(start, "unexpected right paren");
          return false;
        }
        parens_.pop_back();
        emit(Tok::kRightParen, start);
        return true;
      default:
        break;
    }
    if (c == '.' && !(peek(1) >= '0' && peek(1) <= '9')) {
      ++pos_;
      return lex_field_or_variable(Tok::kField, start);
    }
    if (c == '.' || c == '+' || c == '-' || (c >= '0' && c <= '9')) return lex_number();
    auto [r, width] = decode(in_.substr(pos_));
    if (is_alnum(r)) return lex_identifier();
    if (r < 0x80 && r >= 0x20 && r < 0x7F) {
      ++pos_;
      emit(Tok::kChar, start);
      return true;
    }
    fail(start, "unrecognized character in action: " + describe_rune(in_.substr(pos_)));
    return false;
  }

  bool lex_space() {
    size_t start = pos_;
    size_t n = 0;
    while (!eof() && is_space(in_[pos_])) {
      ++pos_;
      ++n;
    }
    // A trim-marked right delimiter starts with one of these spaces: give it back.
    if (in_.substr(pos_ - 1, kRightTrim.size()) == kRightTrim) {
      --pos_;
      if (n == 1) return true;
    }
    emit(Tok::kSpace, start);
    return true;
  }

  bool at_terminator() const {
    char c = peek();
    if (eof() || is_space(c)) return true;
    switch (c) {
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        return at(kRight);
    }
  }

  void scan_alnum() {
    while (!eof()) {
      auto [r, width] = decode(in_.substr(pos_));
      if (!is_alnum(r)) break;
      pos_ += static_cast<size_t>(width);
    }
  }

  bool lex_field_or_variable(Tok type, size_t start) {
    if (at_terminator()) {
      emit(type == Tok::kVariable ? Tok::kVariable : Tok::kDot, start);
      return true;
    }
    scan_alnum();
    if (!at_terminator()) {
      fail(pos_, "bad character " + describe_rune(in_.substr(pos_)));
      return false;
    }
    emit(type, start);
    return true;
  }

  bool lex_identifier() {
    size_t start = pos_;
    scan_alnum();
    if (!at_terminator()) {
      fail(pos_, "bad character " + describe_rune(in_.substr(pos_)));
      return false;
    }
    static const std::pair<std::string_view, Tok> kKeywords[] = {
        {"if", Tok::kIf},       {"else", Tok::kElse},
        {"end", Tok::kEnd},     {"range", Tok::kRange},
        {"with", Tok::kWith},   {"define", Tok::kDefine},
        {"block", Tok::kBlock}, {"template", Tok::kTemplate},
        {"break", Tok::kBreak}, {"continue", Tok::kContinue},
        {"nil", Tok::kNil},     {"true", Tok::kBool},
        {"false", Tok::kBool}};
    std::string_view word = in_.substr(start, pos_ - start);
    for (const auto& [kw, tok] : kKeywords) {
      if (word == kw) {
        emit(tok, start);
        return true;
      }
    }
    emit(Tok::kIdentifier, start);
    return true;
  }

  bool lex_quoted(char quote, Tok type, const char* unterminated) {
    size_t start = pos_++;
    while (true) {
      if (eof() || in_[pos_] == '\n') {
        fail(start, unterminated);
        return false;
      }
      char c = in_[pos_++];
      if (c == '\\') {
        if (eof() || in_[pos_] == '\n') {
          fail(start, unterminated);
          return false;
        }
        ++pos_;
      } else if (c == quote) {
        break;
      }
    }
    emit(type, start);
    return true;
  }

  bool lex_raw() {
    size_t start = pos_;
    size_t close = in_.find('`', pos_ + 1);
    if (close == std::string_view::npos) {
      fail(start, "unterminated raw quoted string");
      return false;
    }
    pos_ = close + 1;
    emit(Tok::kRawString, start);
    return true;
  }

  void accept_run(std::string_view set) {
    while (!eof() && set.find(in_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  bool accept(std::string_view set) {
    if (!eof() && set.find(in_[pos_]) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool lex_number() {
    size_t start = pos_;
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 11 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 23 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    bool ok = true;
    if (!eof()) {
      auto [r, width] = decode(in_.substr(pos_));
      if (is_alnum(r)) {
        pos_ += static_cast<size_t>(width);
        ok = false;
      }
    }
    if (ok && (peek() == '+' || peek() == '-')) ok = false;  // complex literal: unsupported
    if (!ok) {
      fail(start, "bad number syntax: \"" + std::string(in_.substr(start, pos_ - start)) + "\"");
      return false;
    }
    emit(Tok::kNumber, start);
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  size_t action_start_ = 0;
  std::vector<size_t> parens_;  // positions of open '(' in the current action
  bool trim_next_ = false;
  bool done_ = false;
  std::vector<Token> out_;
};

}  // namespace

std::string describe_rune(std::string_view s) {
  auto [r, width] = decode(s);
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (r >= 0x20 && r < 0x7F) out += std::string(" '") + static_cast<char>(r) + "'";
  return out;
}

std::string describe_token(const Token& t) {
  switch (t.type) {
    case Tok::kEof:
      return "EOF";
    case Tok::kIf:
    case Tok::kElse:
    case Tok::kEnd:
    case Tok::kRange:
    case Tok::kWith:
    case Tok::kDefine:
    case Tok::kTemplate:
    case Tok::kBlock:
    case Tok::kBreak:
    case Tok::kContinue:
    case Tok::kNil:
      return "<" + t.val + ">";
    default:
      break;
  }
  if (t.val.size() > 10) return go_quote(t.val.substr(0, 10)) + "...";
  return go_quote(t.val);
}

std::vector<Token> lex(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace herald::tmpl
