// parse() reports every static error with the line:column of the offending token; messages
// follow Go's text/template parser, plus the checks Go defers to run time (arity, variables).
#include <string>

#include "tests/template/template_test_util.h"

using namespace herald::tmpl;

namespace {

struct Case {
  const char* text;
  int line;
  int column;
  const char* message;
};

}  // namespace

TEST_CASE("parse: static errors with positions", "[template]") {
  auto c = GENERATE(values<Case>({
      {"{{ foo }}", 1, 4, "function \"foo\" not defined"},
      {"{{ humanize 1 2 }}", 1, 4, "wrong number of args for humanize: want 1 got 2"},
      {"{{ 1 | humanize 2 }}", 1, 8, "wrong number of args for humanize: want 1 got 2"},
      {"{{ humanize }}", 1, 4, "wrong number of args for humanize: want 1 got 0"},
      {"{{ printf }}", 1, 4, "wrong number of args for printf: want at least 1 got 0"},
      {"{{ printf \"%s\" toUpper }}", 1, 16, "wrong number of args for toUpper: want 1 got 0"},
      {"{{ pathPrefix 1 }}", 1, 4, "wrong number of args for pathPrefix: want 0 got 1"},
      {"a\n{{ if .x }}abc", 2, 4, "unexpected EOF: missing {{end}} for {{if}}"},
      {"{{ range .x }}{{ else }}", 1, 4, "unexpected EOF: missing {{end}} for {{range}}"},
      {"ab{{ end }}", 1, 6, "unexpected {{end}}"},
      {"{{ else }}", 1, 4, "unexpected {{else}}"},
      {"{{ if 1 }}{{ else }}{{ else }}{{ end }}", 1, 24, "expected end; found {{else}}"},
      {"{{ $foo }}", 1, 4, "undefined variable \"$foo\""},
      {"{{ $x = 1 }}", 1, 4, "undefined variable \"$x\""},
      {"{{ if true }}{{ $y := 2 }}{{ end }}{{ $y }}", 1, 39, "undefined variable \"$y\""},
      {"{{ range $i, $v := . }}{{ end }}{{ $v }}", 1, 36, "undefined variable \"$v\""},
      {"{{ \"abc }}", 1, 4, "unterminated quoted string"},
      {"{{ `abc }}", 1, 4, "unterminated raw quoted string"},
      {"x {{ .x", 1, 3, "unclosed action"},
      {"{{", 1, 1, "unclosed action"},
      {"{{ if }}{{ end }}", 1, 7, "missing value for if"},
      {"{{ }}", 1, 4, "missing value for command"},
      {"{{ (1 }}", 1, 4, "unclosed left paren"},
      {"{{ 1) }}", 1, 5, "unexpected right paren"},
      {"{{/* x */ }}", 1, 10, "comment ends before closing delimiter"},
      {"{{/* x }}", 1, 1, "unclosed comment"},
      {"{{ break }}", 1, 4, "{{break}} outside {{range}}"},
      {"{{ 1 2 }}", 1, 4, "can't give argument to non-function 1"},
      {"{{ 1 | 2 }}", 1, 8, "non executable command in pipeline stage 2"},
      {"{{ \"x\".y }}", 1, 4, "unexpected . after term \"\\\"x\\\"\""},
      {"{{ template \"nope\" }}", 1, 13, "no such template \"nope\""},
      {"{{ define \"x\" }}{{ template \"y\" . }}{{ end }}", 1, 29, "no such template \"y\""},
      {"{{ if true }}{{ define \"x\" }}{{ end }}{{ end }}", 1, 17,
       "unexpected <define> in command"},
      {"{{ define \"x\" }}{{ else }}{{ end }}", 1, 20, "unexpected {{else}} in define clause"},
      {"{{ define x }}{{ end }}", 1, 11, "unexpected \"x\" in define clause"},
      {"{{ block \"b\" }}{{ end }}", 1, 14, "missing value for block clause"},
      {"{{ 3x }}", 1, 4, "bad number syntax: \"3x\""},
      {"{{ # }}", 1, 4, "unexpected \"#\" in command"},
      {"{{ \x01 }}", 1, 4, "unrecognized character in action: U+0001"},
      {"{{ \xC2\xA0 }}", 1, 4, "unrecognized character in action: U+00A0"},
      {"{{ 99999999999999999999 }}", 1, 4, "integer overflow: \"99999999999999999999\""},
      {"{{ 10000000000000000000 }}", 1, 4, "10000000000000000000 overflows int"},
      {"{{ \"\\q\" }}", 1, 4, "invalid syntax in string \"\\q\""},
      {"{{ nil }}", 1, 4, "nil is not a command"},
      {"{{ .x := 1 }}", 1, 7, "unexpected \":=\" in operand"},
      {"{{ $a, $b := 1 }}", 1, 6, "too many declarations in command"},
      {"\xC3\xA9t\xC3\xA9 {{ foo }}", 1, 8, "function \"foo\" not defined"},
  }));
  CAPTURE(c.text);
  auto t = parse("test", c.text, FuncSet::kAlertAnnotations);
  REQUIRE_FALSE(t.has_value());
  CHECK(t.error().message == c.message);
  CHECK(t.error().line == c.line);
  CHECK(t.error().column == c.column);
}

TEST_CASE("parse: query is allowed in annotations only", "[template]") {
  const char* text = "{{ query \"up\" | len }}";
  CHECK(parse("a", text, FuncSet::kAlertAnnotations).has_value());
  auto t = parse("l", text, FuncSet::kAlertLabels);
  REQUIRE_FALSE(t.has_value());
  CHECK(t.error().message == "function \"query\" not defined");
  CHECK(t.error().line == 1);
  CHECK(t.error().column == 4);
}

TEST_CASE("parse: alert variables are predefined, others must be declared", "[template]") {
  for (const char* text :
       {"{{ $labels.job }}", "{{ $externalLabels.x }}", "{{ $externalURL }}", "{{ $value }}",
        "{{ $activeAt }}", "{{ $firedAt }}", "{{ $ }}", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
        "{{ range $i, $v := . }}{{ $i }}{{ $v }}{{ end }}",
        "{{ if $x := 1 }}{{ $x }}{{ else }}{{ $x }}{{ end }}"}) {
    CAPTURE(text);
    CHECK(parse("t", text, FuncSet::kAlertLabels).has_value());
  }
}

TEST_CASE("parse: nesting depth is bounded instead of overflowing the stack", "[template]") {
  std::string deep_if;
  for (int i = 0; i < 150; ++i)
    deep_if += "{{ if 1 }}";
  auto t = parse("t", deep_if, FuncSet::kAlertLabels);
  REQUIRE_FALSE(t.has_value());
  CHECK(t.error().message == "template nesting exceeds maximum depth 100");

  std::string deep_paren =
      "{{ " + std::string(100000, '(') + "1" + std::string(100000, ')') + " }}";
  auto p = parse("t", deep_paren, FuncSet::kAlertLabels);
  REQUIRE_FALSE(p.has_value());
  CHECK(p.error().message == "template nesting exceeds maximum depth 100");

  std::string ok_depth;
  for (int i = 0; i < 90; ++i)
    ok_depth += "{{ if 1 }}";
  ok_depth += "x";
  for (int i = 0; i < 90; ++i)
    ok_depth += "{{ end }}";
  CHECK(testing::run(ok_depth) == "x");
}
