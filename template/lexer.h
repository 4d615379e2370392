// Lexer for Go text/template syntax ({{ }} actions, trim markers, comments), following Go's
// text/template/parse/lex.go token rules. Positions are byte offsets into the template text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace herald::tmpl {

enum class Tok {
  kText,
  kLeftDelim,
  kRightDelim,
  kSpace,
  kIdentifier,
  kField,     // .Name
  kVariable,  // $ or $name
  kString,    // "..." (still quoted)
  kRawString,
  kCharConstant,
  kChar,  // one printable ASCII character with no meaning of its own, e.g. ','
  kNumber,
  kBool,
  kNil,
  kDot,
  kPipe,
  kLeftParen,
  kRightParen,
  kDeclare,  // :=
  kAssign,   // =
  kIf,
  kElse,
  kEnd,
  kRange,
  kWith,
  kDefine,
  kTemplate,
  kBlock,
  kBreak,
  kContinue,
  kEof,
  kError,  // `val` holds the message; lexing stops here
};

struct Token {
  Tok type = Tok::kEof;
  int pos = 0;      // byte offset of the token (of the offending spot for kError)
  std::string val;  // source text, or the text after trimming for kText
};

// Tokenizes all of `text`. The result always ends with kEof or kError.
[[nodiscard]] std::vector<Token> lex(std::string_view text);

// A token as Go's parser quotes it in errors: "EOF", "<end>", "\"}}\"", or the first ten
// characters and "...".
[[nodiscard]] std::string describe_token(const Token& t);

// Go's %#U rendering of the rune at the start of `s`, e.g. "U+00A0" or "U+0023 '#'".
[[nodiscard]] std::string describe_rune(std::string_view s);

}  // namespace herald::tmpl
