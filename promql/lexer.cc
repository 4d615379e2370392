// The PromQL lexer (promql/lexer.h).
#include "promql/lexer.h"

#include <array>
#include <cstdint>
#include <map>

#include "model/go_json.h"
#include "promql/text.h"

namespace herald::promql {
namespace {

constexpr int kEofRune = -1;

bool is_space(int r) {
  return r == ' ' || r == '\t' || r == '\n' || r == '\r';
}
bool is_digit(int r) {
  return r >= '0' && r <= '9';
}
bool is_alpha(int r) {
  return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
}
bool is_alnum(int r) {
  return is_alpha(r) || is_digit(r);
}

const std::map<std::string, Tok, std::less<>>& keywords() {
  static const std::map<std::string, Tok, std::less<>> k{
      {"and", Tok::kLand},
      {"or", Tok::kLor},
      {"unless", Tok::kLunless},
      {"atan2", Tok::kAtan2},
      {"sum", Tok::kSum},
      {"avg", Tok::kAvg},
      {"count", Tok::kCount},
      {"min", Tok::kMin},
      {"max", Tok::kMax},
      {"group", Tok::kGroup},
      {"stddev", Tok::kStddev},
      {"stdvar", Tok::kStdvar},
      {"topk", Tok::kTopk},
      {"bottomk", Tok::kBottomk},
      {"count_values", Tok::kCountValues},
      {"quantile", Tok::kQuantile},
      {"offset", Tok::kOffset},
      {"by", Tok::kBy},
      {"without", Tok::kWithout},
      {"on", Tok::kOn},
      {"ignoring", Tok::kIgnoring},
      {"group_left", Tok::kGroupLeft},
      {"group_right", Tok::kGroupRight},
      {"bool", Tok::kBool},
      {"start", Tok::kStart},
      {"end", Tok::kEnd},
      {"inf", Tok::kNumber},
      {"nan", Tok::kNumber},
  };
  return k;
}

// Go's %q of a rune, for messages: 'x', '\n', '\x00'.
std::string quote_rune(int r) {
  switch (r) {
    case '\n':
      return "'\\n'";
    case '\t':
      return "'\\t'";
    case '\r':
      return "'\\r'";
    case '\'':
      return "'\\''";
    case '\\':
      return "'\\\\'";
    case kEofRune:
      return "'\\x00'";
    default:
      break;
  }
  if (r < 0x20 || r == 0x7f) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("'\\x") + kHex[(r >> 4) & 0xf] + kHex[r & 0xf] + "'";
  }
  std::string out = "'";
  detail::append_utf8(out, static_cast<uint32_t>(r));
  return out + "'";
}

// Go's %#U: U+0041 'A'.
std::string unicode_name(int r) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string hex;
  for (int shift = 20; shift >= 0; shift -= 4) {
    if (!hex.empty() || ((r >> shift) & 0xf) != 0 || shift < 16) hex += kHex[(r >> shift) & 0xf];
  }
  std::string out = "U+" + hex;
  if (r >= 0x20 && r != 0x7f) out += " " + quote_rune(r);
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Token> run() {
    while (!done_)
      step();
    return std::move(out_);
  }

 private:
  // The next rune (a UTF-8 sequence decoded; an invalid byte is -2), advancing; kEofRune at
  // the end.
  int next() {
    if (pos_ >= in_.size()) {
      width_ = 0;
      return kEofRune;
    }
    // UTF-8 as Go decodes it: a byte that does not start a valid sequence is invalid on its own.
    const auto c = static_cast<unsigned char>(in_[pos_]);
    char32_t r = c;
    const size_t n = c < 0x80 ? 1 : utf8_sequence(in_.substr(pos_), r);
    width_ = n == 0 ? 1 : n;
    pos_ += width_;
    return n == 0 ? -2 : static_cast<int>(r);
  }

  void backup() { pos_ -= width_; }
  int peek() {
    const int r = next();
    backup();
    return r;
  }
  bool accept(std::string_view valid) {
    const int r = next();
    if (r > 0 && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      return true;
    }
    backup();
    return false;
  }
  void accept_run(std::string_view valid) {
    while (accept(valid)) {
    }
  }

  void emit(Tok kind) {
    out_.push_back({kind, start_, std::string(in_.substr(start_, pos_ - start_))});
    start_ = pos_;
  }
  void error(std::string message) {
    out_.push_back({Tok::kError, start_, std::move(message)});
    done_ = true;
  }
  void ignore() { start_ = pos_; }

  void step() {
    if (brace_open_) return inside_braces();
    if (in_.substr(pos_).starts_with("#")) return comment();
    const int r = next();
    switch (r) {
      case kEofRune:
        if (paren_depth_ != 0) return error("unclosed left parenthesis");
        if (bracket_open_) return error("unclosed left bracket");
        emit(Tok::kEof);
        done_ = true;
        return;
      case ',':
        return emit(Tok::kComma);
      case '*':
        return emit(Tok::kMul);
      case '/':
        return emit(Tok::kDiv);
      case '%':
        return emit(Tok::kMod);
      case '+':
        return emit(Tok::kAdd);
      case '-':
        return emit(Tok::kSub);
      case '^':
        return emit(Tok::kPow);
      case '=':
        if (peek() == '=') {
          next();
          return emit(Tok::kEqlc);
        }
        if (peek() == '~') return error("unexpected character after '=': '~'");
        return emit(Tok::kEql);
      case '!': {
        const int t = next();
        if (t != '=') return error("unexpected character after '!': " + quote_rune(t));
        return emit(Tok::kNeq);
      }
      case '<':
        if (peek() == '=') {
          next();
          return emit(Tok::kLte);
        }
        return emit(Tok::kLss);
      case '>':
        if (peek() == '=') {
          next();
          return emit(Tok::kGte);
        }
        return emit(Tok::kGtr);
      case '"':
      case '\'':
        string_open_ = r;
        return quoted_string();
      case '`':
        return raw_string();
      case '(':
        emit(Tok::kLeftParen);
        ++paren_depth_;
        return;
      case ')':
        emit(Tok::kRightParen);
        if (--paren_depth_ < 0) return error("unexpected right parenthesis ')'");
        return;
      case '{':
        emit(Tok::kLeftBrace);
        brace_open_ = true;
        return;
      case '[':
        if (bracket_open_) return error("unexpected left bracket '['");
        got_colon_ = false;
        emit(Tok::kLeftBracket);
        while (is_space(peek()))
          next();
        ignore();
        bracket_open_ = true;
        return duration();
      case ']':
        if (!bracket_open_) return error("unexpected right bracket ']'");
        emit(Tok::kRightBracket);
        bracket_open_ = false;
        return;
      case '@':
        return emit(Tok::kAt);
      default:
        break;
    }
    if (is_space(r)) {
      while (is_space(peek()))
        next();
      return ignore();
    }
    if (is_digit(r) || (r == '.' && is_digit(peek()))) {
      backup();
      return number_or_duration();
    }
    if (is_alpha(r) || r == ':') {
      if (!bracket_open_) {
        backup();
        return keyword_or_identifier();
      }
      // Inside brackets every letter or ':' is the subquery's colon (as in Prometheus 2.42).
      if (got_colon_) return error("unexpected colon " + quote_rune(r));
      emit(Tok::kColon);
      got_colon_ = true;
      return;
    }
    return error("unexpected character: " + quote_rune(r));
  }

  void comment() {
    for (int r = next(); r != '\n' && r != '\r' && r != kEofRune; r = next()) {
    }
    backup();
    ignore();
  }

  void inside_braces() {
    if (in_.substr(pos_).starts_with("#")) return comment();
    const int r = next();
    if (r == kEofRune) return error("unexpected end of input inside braces");
    if (is_space(r)) {
      while (is_space(peek()))
        next();
      return ignore();
    }
    if (is_alpha(r)) {
      while (is_alnum(next())) {
      }
      backup();
      return emit(Tok::kIdentifier);
    }
    switch (r) {
      case ',':
        return emit(Tok::kComma);
      case '"':
      case '\'':
        string_open_ = r;
        return quoted_string();
      case '`':
        return raw_string();
      case '=':
        if (next() == '~') return emit(Tok::kEqlRegex);
        backup();
        return emit(Tok::kEql);
      case '!': {
        const int nr = next();
        if (nr == '~') return emit(Tok::kNeqRegex);
        if (nr == '=') return emit(Tok::kNeq);
        return error("unexpected character after '!' inside braces: " + quote_rune(nr));
      }
      case '{':
        return error("unexpected left brace '{'");
      case '}':
        emit(Tok::kRightBrace);
        brace_open_ = false;
        return;
      default:
        return error("unexpected character inside braces: " + quote_rune(r));
    }
  }

  // A quoted string; its escapes are checked here, as Prometheus's lexer does, and decoded by
  // unquote (promql/parser.cc).
  void quoted_string() {
    for (;;) {
      const int r = next();
      if (r == '\\') {
        if (!escape()) return;
        continue;
      }
      if (r == -2) return error("invalid UTF-8 rune");
      if (r == kEofRune || r == '\n') return error("unterminated quoted string");
      if (r == string_open_) break;
    }
    emit(Tok::kString);
  }

  bool escape() {
    int ch = next();
    int n = 0;
    uint32_t base = 0, max = 0;
    switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
        return true;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        n = 3, base = 8, max = 255;
        break;
      case 'x':
        ch = next(), n = 2, base = 16, max = 255;
        break;
      case 'u':
        ch = next(), n = 4, base = 16, max = 0x10ffff;
        break;
      case 'U':
        ch = next(), n = 8, base = 16, max = 0x10ffff;
        break;
      case kEofRune:
        error("escape sequence not terminated");
        return false;
      default:
        if (ch == string_open_) return true;
        error("unknown escape sequence " + unicode_name(ch));
        return false;
    }
    uint32_t x = 0;
    for (; n > 0; --n) {
      uint32_t d = 16;
      if (ch >= '0' && ch <= '9')
        d = static_cast<uint32_t>(ch - '0');
      else if (ch >= 'a' && ch <= 'f')
        d = static_cast<uint32_t>(ch - 'a' + 10);
      else if (ch >= 'A' && ch <= 'F')
        d = static_cast<uint32_t>(ch - 'A' + 10);
      if (d >= base) {
        error(ch == kEofRune ? "escape sequence not terminated"
                             : "illegal character " + unicode_name(ch) + " in escape sequence");
        return false;
      }
      x = x * base + d;
      if (n > 1) ch = next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      error("escape sequence is an invalid Unicode code point");
      return false;
    }
    return true;
  }

  void raw_string() {
    for (;;) {
      const int r = next();
      if (r == -2) return error("invalid UTF-8 rune");
      if (r == kEofRune) return error("unterminated raw string");
      if (r == '`') break;
    }
    emit(Tok::kString);
  }

  // Prometheus's scanNumber: true when a number ends here (not followed by a letter or digit).
  bool scan_number() {
    std::string_view digits = "0123456789";
    if (accept("0") && accept("xX")) digits = "0123456789abcdefABCDEF";
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (accept("eE")) {
      accept("+-");
      accept_run("0123456789");
    }
    return !is_alnum(peek());
  }

  bool accept_remaining_duration() {
    if (!accept("smhdwy")) return false;
    accept("s");  // ms; bad units are caught when the duration is parsed
    while (accept("0123456789")) {
      accept_run("0123456789");
      if (!accept("smhdw")) return false;
      accept("s");
    }
    return !is_alnum(next());
  }

  void number_or_duration() {
    if (scan_number()) return emit(Tok::kNumber);
    if (accept_remaining_duration()) {
      backup();
      return emit(Tok::kDuration);
    }
    return error("bad number or duration syntax: " +
                 detail::quote(in_.substr(start_, pos_ - start_)));
  }

  void duration() {
    if (scan_number()) return error("missing unit character in duration");
    if (!accept_remaining_duration()) {
      return error("bad duration syntax: " + detail::quote(in_.substr(start_, pos_ - start_)));
    }
    backup();
    emit(Tok::kDuration);
  }

  void keyword_or_identifier() {
    for (int r = next(); is_alnum(r) || r == ':'; r = next()) {
    }
    backup();
    const std::string_view word = in_.substr(start_, pos_ - start_);
    std::string lower(word);
    for (char& c : lower)
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (auto it = keywords().find(lower); it != keywords().end()) return emit(it->second);
    emit(word.find(':') == std::string_view::npos ? Tok::kIdentifier : Tok::kMetricIdentifier);
  }

  std::string_view in_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  int string_open_ = 0;
  bool done_ = false;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(std::string_view input) {
  return Lexer(input).run();
}

std::string_view op_text(Tok t) {
  switch (t) {
    case Tok::kAdd:
      return "+";
    case Tok::kSub:
      return "-";
    case Tok::kMul:
      return "*";
    case Tok::kDiv:
      return "/";
    case Tok::kMod:
      return "%";
    case Tok::kPow:
      return "^";
    case Tok::kEql:
      return "=";
    case Tok::kEqlc:
      return "==";
    case Tok::kNeq:
      return "!=";
    case Tok::kLss:
      return "<";
    case Tok::kLte:
      return "<=";
    case Tok::kGtr:
      return ">";
    case Tok::kGte:
      return ">=";
    case Tok::kEqlRegex:
      return "=~";
    case Tok::kNeqRegex:
      return "!~";
    case Tok::kLand:
      return "and";
    case Tok::kLor:
      return "or";
    case Tok::kLunless:
      return "unless";
    case Tok::kAtan2:
      return "atan2";
    case Tok::kSum:
      return "sum";
    case Tok::kAvg:
      return "avg";
    case Tok::kCount:
      return "count";
    case Tok::kMin:
      return "min";
    case Tok::kMax:
      return "max";
    case Tok::kGroup:
      return "group";
    case Tok::kStddev:
      return "stddev";
    case Tok::kStdvar:
      return "stdvar";
    case Tok::kTopk:
      return "topk";
    case Tok::kBottomk:
      return "bottomk";
    case Tok::kCountValues:
      return "count_values";
    case Tok::kQuantile:
      return "quantile";
    case Tok::kStart:
      return "start";
    case Tok::kEnd:
      return "end";
    default:
      return "";
  }
}

bool is_aggregator(Tok t) {
  return t >= Tok::kSum && t <= Tok::kQuantile;
}
bool is_aggregator_with_param(Tok t) {
  return t == Tok::kTopk || t == Tok::kBottomk || t == Tok::kCountValues || t == Tok::kQuantile;
}
bool is_comparison(Tok t) {
  return t == Tok::kEqlc || t == Tok::kNeq || t == Tok::kLss || t == Tok::kLte || t == Tok::kGtr ||
         t == Tok::kGte;
}
bool is_set_operator(Tok t) {
  return t == Tok::kLand || t == Tok::kLor || t == Tok::kLunless;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEof:
      return "end of input";
    case Tok::kError:
      return t.text;
    case Tok::kNumber:
      return "number \"" + t.text + "\"";
    case Tok::kString:
      return "string " + t.text;
    case Tok::kDuration:
      return "duration \"" + t.text + "\"";
    case Tok::kIdentifier:
      return "identifier \"" + t.text + "\"";
    case Tok::kMetricIdentifier:
      return "metric identifier \"" + t.text + "\"";
    case Tok::kComma:
      return "\",\"";
    case Tok::kLeftParen:
      return "\"(\"";
    case Tok::kRightParen:
      return "\")\"";
    case Tok::kLeftBrace:
      return "\"{\"";
    case Tok::kRightBrace:
      return "\"}\"";
    case Tok::kLeftBracket:
      return "\"[\"";
    case Tok::kRightBracket:
      return "\"]\"";
    case Tok::kColon:
      return "\":\"";
    case Tok::kAt:
      return "\"@\"";
    default:
      break;
  }
  // Prometheus names a keyword or an operator by its lower-case text in angle brackets.
  std::string lower = t.text;
  for (char& c : lower)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return "<" + lower + ">";
}

}  // namespace herald::promql
