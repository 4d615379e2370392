// Go text/template semantics: each case is a template, its data, and what Go renders for it
// (derived from Go's text/template documentation, exec.go and funcs.go).
#include <cmath>
#include <limits>

#include "tests/template/template_test_util.h"

using namespace herald::tmpl;
using namespace herald::tmpl::testing;

namespace {

struct Case {
  const char* name;
  const char* text;
  Value dot;
  const char* want;
};

Value sample_data() {
  return any_map({{"x", s("b")},
                  {"l", list({s("a"), s("b"), s("c")})},
                  {"m", any_map({{"b", i(2)}, {"a", i(1)}, {"c", i(3)}})},
                  {"empty", list({})},
                  {"zero", i(0)},
                  {"labels", Value::string_map({{"job", "node"}, {"instance", "h:9090"}})}});
}

}  // namespace

TEST_CASE("exec: text, trim markers, comments and literals", "[template]") {
  auto c = GENERATE(values<Case>({
      {"plain", "plain text", Value(), "plain text"},
      {"int", "{{ 1 }}", Value(), "1"},
      {"trim both", "a  \n {{- 1 -}} \t\n b", Value(), "a1b"},
      {"trim left only", "a  {{- 1 }}  b", Value(), "a1  b"},
      {"no trim without space", "{{-3}}", Value(), "-3"},
      {"comment", "x{{/* hi */}}y", Value(), "xy"},
      {"trimmed comment", "x  {{- /* hi */ -}}  y", Value(), "xy"},
      {"float", "{{ 1.5 }}", Value(), "1.5"},
      {"integral float", "{{ 1.0 }}", Value(), "1"},
      {"exponent literal", "{{ 1e6 }}", Value(), "1e+06"},
      {"float 123456", "{{ 123456.0 }}", Value(), "123456"},
      {"float 1234567", "{{ 1234567.0 }}", Value(), "1.234567e+06"},
      {"hex", "{{ 0x10 }}", Value(), "16"},
      {"octal", "{{ 010 }}", Value(), "8"},
      {"underscores", "{{ 1_000 }}", Value(), "1000"},
      {"char", "{{ 'a' }}", Value(), "97"},
      {"string escapes", "{{ \"a\\tb\\u00e9\\x41\" }}", Value(),
       "a\tb\xC3\xA9"
       "A"},
      {"raw string", "{{ `a\\nb` }}", Value(), "a\\nb"},
      {"bool", "{{ true }} {{ false }}", Value(), "true false"},
      {"nil dot", "{{ . }}", Value(), "<no value>"},
      {"missing field of nil", "{{ .Foo.Bar }}", Value(), "<no value>"},
      {"newline in action", "{{ printf \"%d\"\n  3 }}", Value(), "3"},
  }));
  CAPTURE(c.name, c.text);
  CHECK(run(c.text, c.dot) == c.want);
}

TEST_CASE("exec: pipelines, variables and control structures", "[template]") {
  Value d = sample_data();
  auto c = GENERATE_COPY(values<Case>({
      {"pipeline final arg", "{{ \"abc\" | printf \"%s-%s\" \"x\" }}", d, "x-abc"},
      {"parens", "{{ printf \"%d\" (len \"abcd\") }}", d, "4"},
      {"declare", "{{ $x := \"a\" }}{{ $x }}", d, "a"},
      {"assign in block", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", d, "2"},
      {"dollar is dot", "{{ with .x }}{{ $.zero }}{{ end }}", d, "0"},
      {"field chain", "{{ .labels.job }}", d, "node"},
      {"missing any-map key", "{{ .nope }}", d, "<no value>"},
      {"missing string-map key", "[{{ .labels.nope }}]", d, "[]"},
      {"if", "{{ if .x }}yes{{ end }}", d, "yes"},
      {"if false", "{{ if .zero }}yes{{ else }}no{{ end }}", d, "no"},
      {"else if", "{{ if eq .x \"a\" }}A{{ else if eq .x \"b\" }}B{{ else }}C{{ end }}", d, "B"},
      {"else if else", "{{ if eq .x \"a\" }}A{{ else if eq .x \"c\" }}B{{ else }}C{{ end }}", d,
       "C"},
      {"with", "{{ with .x }}[{{ . }}]{{ else }}none{{ end }}", d, "[b]"},
      {"else with", "{{ with .nope }}a{{ else with .x }}[{{ . }}]{{ end }}", d, "[b]"},
      {"with declares", "{{ with $v := .x }}{{ $v }}{{ . }}{{ end }}", d, "bb"},
      {"with else", "{{ with .empty }}[{{ . }}]{{ else }}none{{ end }}", d, "none"},
      {"range list", "{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}", d, "0=a;1=b;2=c;"},
      {"range one var", "{{ range $v := .l }}{{ $v }}{{ end }}", d, "abc"},
      {"range map sorted", "{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}", d,
       "a:1 b:2 c:3 "},
      {"range dot", "{{ range .l }}<{{ . }}>{{ end }}", d, "<a><b><c>"},
      {"range else", "{{ range .empty }}x{{ else }}empty{{ end }}", d, "empty"},
      {"range nil", "{{ range .nope }}x{{ else }}nil{{ end }}", d, "nil"},
      {"range int", "{{ range 3 }}{{ . }}{{ end }}", d, "012"},
      {"break", "{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", d, "a"},
      {"continue", "{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", d,
       "ac"},
      {"range labels", "{{ range $k, $v := .labels }}{{ $k }}={{ $v }},{{ end }}", d,
       "instance=h:9090,job=node,"},
      {"and false", "{{ and 1 0 2 }}", d, "0"},
      {"and true", "{{ and 1 2 }}", d, "2"},
      {"or", "{{ or 0 \"\" \"x\" }}", d, "x"},
      {"or all false", "[{{ or 0 \"\" }}]", d, "[]"},
      {"or short-circuits", "{{ or 1 (index .l 99) }}", d, "1"},
      {"and short-circuits", "{{ and 0 (index .l 99) }}", d, "0"},
      {"and with pipeline", "{{ 0 | and 1 }}", d, "0"},
      {"not", "{{ not 0 }} {{ not .x }}", d, "true false"},
      {"eq multiple", "{{ eq .x \"a\" \"b\" }}", d, "true"},
      {"eq none", "{{ eq .x \"a\" \"c\" }}", d, "false"},
      {"ne", "{{ ne 1 2 }}", d, "true"},
      {"lt le gt ge", "{{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{ ge \"b\" \"a\" }}", d,
       "true true false true"},
      {"eq nil", "{{ eq .nope nil }}", d, "true"},
      {"len", "{{ len \"abc\" }} {{ len .l }} {{ len .m }}", d, "3 3 3"},
      {"index list", "{{ index .l 1 }}", d, "b"},
      {"index map", "{{ index .m \"c\" }}", d, "3"},
      {"index missing string-map key", "[{{ index .labels \"nope\" }}]", d, "[]"},
      {"index string", "{{ index \"abc\" 0 }}", d, "97"},
      {"print", "{{ print 1 2 \"a\" 3 \"b\" \"c\" }}", d, "1 2a3bc"},
      {"println", "{{ println 1 \"a\" }}", d, "1 a\n"},
      {"html", "{{ html \"<a href='x'>&</a>\" }}", d, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"},
      {"js", "{{ js \"a'b\\\"<c>\\n\" }}", d, "a\\'b\\\"\\u003Cc\\u003E\\u000A"},
      {"urlquery", "{{ urlquery \"a b&c=d/\\u00e9\" }}", d, "a+b%26c%3Dd%2F%C3%A9"},
      {"print map", "{{ .m }}", d, "map[a:1 b:2 c:3]"},
      {"print list", "{{ .l }}", d, "[a b c]"},
  }));
  CAPTURE(c.name, c.text);
  CHECK(run(c.text, c.dot) == c.want);
}

TEST_CASE("exec: printf verbs match Go's fmt", "[template]") {
  Value d = any_map({{"m", any_map({{"a", i(1)}, {"b", s("x")}})}});
  auto c = GENERATE_COPY(values<Case>({
      {"%s", "{{ printf \"%s\" \"x\" }}", d, "x"},
      {"%d", "{{ printf \"%d\" 42 }}", d, "42"},
      {"%f", "{{ printf \"%f\" 3.14159 }}", d, "3.141590"},
      {"%.2f", "{{ printf \"%.2f\" 3.14159 }}", d, "3.14"},
      {"%0.2f", "{{ printf \"%0.2f\" 3720.01 }}", d, "3720.01"},
      {"%v float", "{{ printf \"%v\" 0.0723 }}", d, "0.0723"},
      {"%v big float", "{{ printf \"%v\" 1e6 }}", d, "1e+06"},
      {"%q", "{{ printf \"%q\" \"a\\\"b\" }}", d, "\"a\\\"b\""},
      {"widths", "{{ printf \"%5d|%-5d|%05d\" 42 42 42 }}", d, "   42|42   |00042"},
      {"bases", "{{ printf \"%x %X %o %b\" 255 255 8 5 }}", d, "ff FF 10 101"},
      {"%c", "{{ printf \"%c\" 65 }}", d, "A"},
      {"%t", "{{ printf \"%t\" true }}", d, "true"},
      {"%e", "{{ printf \"%e\" 1234.5678 }}", d, "1.234568e+03"},
      {"%g", "{{ printf \"%g\" 0.000012345 }}", d, "1.2345e-05"},
      {"%.4g", "{{ printf \"%.4g\" 1234567.0 }}", d, "1.235e+06"},
      {"%T", "{{ printf \"%T %T %T\" 1 1.5 \"s\" }}", d, "int float64 string"},
      {"%%", "{{ printf \"100%%\" }}", d, "100%"},
      {"bad verb", "{{ printf \"%d\" \"x\" }}", d, "%!d(string=x)"},
      {"float as %d", "{{ printf \"%d\" 1.5 }}", d, "%!d(float64=1.5)"},
      {"missing", "{{ printf \"%s %s\" \"a\" }}", d, "a %!s(MISSING)"},
      {"extra", "{{ printf \"%s\" \"a\" 1 }}", d, "a%!(EXTRA int=1)"},
      {"precision string", "{{ printf \"%.3s\" \"abcdef\" }}", d, "abc"},
      {"plus", "{{ printf \"%+d\" 5 }}", d, "+5"},
      {"float width", "{{ printf \"%8.3f|\" -3.14159 }}", d, "  -3.142|"},
      {"zero pad float", "{{ printf \"%08.3f\" -3.14159 }}", d, "-003.142"},
      {"map %v", "{{ printf \"%v\" .m }}", d, "map[a:1 b:x]"},
      {"nil %v", "{{ printf \"%v\" .nope }}", d, "<nil>"},
      {"star width", "{{ printf \"%*d\" 4 7 }}", d, "   7"},
  }));
  CAPTURE(c.name, c.text);
  CHECK(run(c.text, c.dot) == c.want);
}

TEST_CASE("exec: runtime errors read like Go's", "[template]") {
  Value d = sample_data();
  auto c = GENERATE_COPY(values<Case>({
      {"index out of range", "{{ index .l 5 }}", d,
       "ERROR template: test:1:3: executing \"test\" at <index .l 5>: error calling index: "
       "index out of range: 5"},
      {"eq int float", "{{ eq 1 1.0 }}", d,
       "ERROR template: test:1:3: executing \"test\" at <eq 1 1.0>: error calling eq: "
       "incompatible types for comparison"},
      {"lt on maps", "{{ lt .m .m }}", d,
       "ERROR template: test:1:3: executing \"test\" at <lt .m .m>: error calling lt: invalid "
       "type for comparison"},
      {"field of string", "{{ .x.y }}", d,
       "ERROR template: test:1:3: executing \"test\" at <.x.y>: can't evaluate field y in type "
       "string"},
      {"len of int", "{{ len 3 }}", d,
       "ERROR template: test:1:3: executing \"test\" at <len 3>: error calling len: len of type "
       "int"},
      {"wrong arg type", "{{ toUpper 1 }}", d,
       "ERROR template: test:1:3: executing \"test\" at <toUpper 1>: wrong type for value; "
       "expected string; got int"},
      {"second line", "x\n  {{ index .l 9 }}", d,
       "ERROR template: test:2:5: executing \"test\" at <index .l 9>: error calling index: "
       "index out of range: 9"},
      {"range over string", "{{ range .x }}{{ end }}", d,
       "ERROR template: test:1:3: executing \"test\" at <range>: range can't iterate over b"},
  }));
  CAPTURE(c.name, c.text);
  CHECK(run(c.text, c.dot) == c.want);
}

TEST_CASE("exec: runaway templates are stopped, not hung", "[template]") {
  CHECK(run("{{ range 100000000 }}x{{ end }}").rfind("ERROR", 0) == 0);
  CHECK(run("{{ range 100000000 }}{{ end }}").rfind("ERROR", 0) == 0);
  CHECK(run("{{ printf \"%99999999d\" 1 }}") == "%!(BADWIDTH)1");
}
