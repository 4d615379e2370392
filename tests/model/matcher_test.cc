// Alertmanager matchers: parsing (cases from alertmanager pkg/labels/parse_test.go and checked
// against amtool 0.25), matching, rendering and sort order.
#include "model/matcher.h"

#include <catch2/catch.hpp>

using herald::LabelSet;
using herald::Matcher;
using herald::Matchers;
using herald::MatchType;
using herald::parse_matcher;
using herald::parse_matchers;

namespace {

Matcher make(const char* name, MatchType type, const char* value) {
  return Matcher::create(name, type, value).value();
}

struct ParseCase {
  std::string input;
  std::string want;  // Matchers.String() of the parsed list, in input order; or the error
  bool error = false;
};

}  // namespace

TEST_CASE("matcher: parse_matchers accepts Alertmanager's parse_test.go inputs", "[model]") {
  // Inputs and expectations are alertmanager pkg/labels/parse_test.go's (TestMatchers), rendered
  // with Matchers.String(); `job=` is accepted by 0.25 (later versions reject it).
  const ParseCase c = GENERATE(values<ParseCase>({
      {R"({foo="bar"})", R"({foo="bar"})"},
      {R"({foo=~"bar.*"})", R"({foo=~"bar.*"})"},
      {R"({foo!="bar"})", R"({foo!="bar"})"},
      {R"({foo!~"bar.*"})", R"({foo!~"bar.*"})"},
      {R"({foo="bar", baz!="quux"})", R"({foo="bar",baz!="quux"})"},
      {R"({foo="bar", baz!~"quux.*"})", R"({foo="bar",baz!~"quux.*"})"},
      {R"({foo="bar",baz!~".*quux", derp="wat"})", R"({foo="bar",baz!~".*quux",derp="wat"})"},
      {R"({foo="bar", baz!="quux", derp="wat"})", R"({foo="bar",baz!="quux",derp="wat"})"},
      {R"({foo="bar", baz!~".*quux.*", derp="wat"})", R"({foo="bar",baz!~".*quux.*",derp="wat"})"},
      {R"({foo="bar", instance=~"some-api.*"})", R"({foo="bar",instance=~"some-api.*"})"},
      {R"({foo=""})", R"({foo=""})"},
      {R"({foo="bar,quux", job="job1"})", R"({foo="bar,quux",job="job1"})"},
      {R"({foo = "bar", dings != "bums", })", R"({foo="bar",dings!="bums"})"},
      {R"(foo=bar,dings!=bums)", R"({foo="bar",dings!="bums"})"},
      {R"({quote="She said: \"Hi, ladies! That's gender-neutral…\""})",
       R"({quote="She said: \"Hi, ladies! That's gender-neutral…\""})"},
      {R"(statuscode=~"5..")", R"({statuscode=~"5.."})"},
      {R"(tricky=~~~)", R"({tricky=~"~~"})"},
      {R"(trickier==\\=\=\")", R"({trickier="=\\=\\=\""})"},
      {R"(contains_quote != "\"" , contains_comma !~ "foo,bar" , )",
       R"({contains_quote!="\"",contains_comma!~"foo,bar"})"},
      {R"(job=)", R"({job=""})"},
      {R"(job="value)", R"(matcher value contains unescaped double quote: "value)", true},
      {R"(job=value")", R"(matcher value contains unescaped double quote: value")", true},
      {R"(trickier==\\=\=\"")", R"(matcher value contains unescaped double quote: =\\=\=\"")",
       true},
      {R"(contains_unescaped_quote = foo"bar)",
       R"(matcher value contains unescaped double quote: foo"bar)", true},
      {R"({invalid-name = "valid label"})", R"(bad matcher format: invalid-name = "valid label")",
       true},
      {R"({foo=~"invalid[regexp"})", "error parsing regexp: missing closing ]: `[regexp)$`", true},
      {R"("{foo=\"bar"})", R"(bad matcher format: "{foo=\"bar")", true},
      {R"("foo=\"bar")", R"(bad matcher format: "foo=\"bar")", true},
      {R"("foo=\"bar\"")", R"(bad matcher format: "foo=\"bar\"")", true},
      {R"("foo=\"bar\")", R"(bad matcher format: "foo=\"bar\")", true},
      {R"("{foo=\"bar\"}")", R"(bad matcher format: "{foo=\"bar\"}")", true},
      {R"("foo="bar"")", R"(bad matcher format: "foo="bar"")", true},
  }));
  CAPTURE(c.input);
  auto got = parse_matchers(c.input);
  if (c.error) {
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().message == c.want);
  } else {
    REQUIRE(got.has_value());
    CHECK(herald::to_string(*got) == c.want);
  }
}

TEST_CASE("matcher: parse_matchers edge cases behave as in Alertmanager 0.25", "[model]") {
  const ParseCase c = GENERATE(values<ParseCase>({
      {"", "{}"},
      {"{}", "{}"},
      {"  ", "{}"},
      {"a=b,", R"({a="b"})"},
      {"a=b,,", "bad matcher format: ", true},  // only the last piece is dropped when empty
      {",a=b", "bad matcher format: ", true},
      {" {a=b}", R"(bad matcher format: {a=b)", true},  // "{" is only stripped at index 0
      {"{a=b} ", R"({a="b}"})"},                        // and "}" only as the last byte
      {"a = \t\"x y\"\t ", R"({a="x y"})"},
      {"a=\"\\n\\\\\\q\"", R"({a="\n\\\\q"})"},  // \n, \\ escapes; a spurious \q stays
      {"a=x\\", R"({a="x\\"})"},                 // a trailing lone backslash is literal
      {"a=~b=c", R"({a=~"b=c"})"},
      {"a!~=", R"({a!~"="})"},
      {"_:a:1=v", R"({_:a:1="v"})"},
      {"1a=v", "bad matcher format: 1a=v", true},
      {"a==", R"({a="="})"},
      {"a~=b", "bad matcher format: a~=b", true},
      {"a\"=b", "bad matcher format: a\"=b", true},
      {"a=\"", "matcher value contains unescaped double quote: \"", true},
      {"a=\"x\\\"", "matcher value contains unescaped double quote: \"x\\\"", true},
      // A comma does not clear a pending escape, so `\,"` keeps the quote escaped.
      {R"(a="x\,",b="y")", R"(matcher value contains unescaped double quote: "x\,",b="y")", true},
      {"a=\"x\",b=\"y, z\"", R"({a="x",b="y, z"})"},
      {"a=\"multi\nline\"", R"({a="multi\nline"})"},
      // strings.TrimSpace (Unicode) on the last piece, the regexp's ASCII \s on the others.
      {"a=x\u00a0", R"({a="x"})"},
      {"a=x\u00a0,b=y", "{a=\"x\u00a0\",b=\"y\"}"},
      {"a=x\v", R"({a="x"})"},
      {"a=\"\xff\"", "{a=\"\xEF\xBF\xBD\"}"},  // each invalid byte becomes U+FFFD
  }));
  CAPTURE(c.input);
  auto got = parse_matchers(c.input);
  if (c.error) {
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().message == c.want);
  } else {
    REQUIRE(got.has_value());
    CHECK(herald::to_string(*got) == c.want);
  }
}

TEST_CASE("matcher: parse_matcher reads exactly one matcher, untrimmed and unsplit", "[model]") {
  CHECK(parse_matcher(R"(a="b,c")")->value() == "b,c");
  CHECK(parse_matcher("a=b,c")->value() == "b,c");  // no splitting on commas
  CHECK(parse_matcher("a=x\u00a0")->value() == "x\u00a0");
  CHECK(parse_matcher("a=x\v")->value() == "x\v");
  CHECK(parse_matcher("{a=b}").error().message == "bad matcher format: {a=b}");
  CHECK(parse_matcher("a=\"\xff\"").error().message == "matcher value not valid UTF-8: \"\xff\"");
  CHECK_FALSE(parse_matcher("").has_value());
}

TEST_CASE("matcher: errors carry the 1-based column of the offending part", "[model]") {
  struct Case {
    std::string input;
    size_t column;
  };
  const Case c = GENERATE(values<Case>({
      {"1a=b", 1},
      {"  a b", 5},              // where an operator was expected
      {"a=b, 1c=d", 6},          // pieces keep their offsets
      {"{a=b,c=\"x\"y\"}", 10},  // the stray quote; "{" was stripped
      {"a=\"open", 3},           // an unterminated quote: the value
      {"a=~\"[\"", 4},           // a bad regex: the value
      {"a=b,,", 5},
      {"a=b, c=\"\xff\"y\"", 6},  // bytes rewritten to U+FFFD: the start of the piece
  }));
  CAPTURE(c.input);
  auto got = parse_matchers(c.input);
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().column == c.column);
}

TEST_CASE("matcher: matches with missing labels as empty and anchored RE2 regexes", "[model]") {
  const LabelSet ls{{"env", "prod"}, {"model", "llama3-8b"}};
  CHECK(make("env", MatchType::kEqual, "prod").matches(ls));
  CHECK_FALSE(make("env", MatchType::kNotEqual, "prod").matches(ls));
  CHECK(make("team", MatchType::kEqual, "").matches(ls));
  CHECK_FALSE(make("team", MatchType::kNotEqual, "").matches(ls));
  CHECK(make("team", MatchType::kNotRegex, ".+").matches(ls));
  CHECK(make("model", MatchType::kRegex, "llama.*").matches(ls));
  CHECK_FALSE(make("model", MatchType::kRegex, "llama").matches(ls));  // fully anchored
  CHECK_FALSE(make("model", MatchType::kRegex, "3-8b").matches(ls));
  CHECK(make("model", MatchType::kRegex, "a|llama3-8b").matches(ls));  // ^(?:a|b)$, not ^a|b$
  CHECK(make("model", MatchType::kNotRegex, "gpt.*").matches(ls));
  CHECK(make("env", MatchType::kRegex, "(?i)PROD").matches(ls));
  CHECK(make("env", MatchType::kRegex, "\\Qprod\\E").matches(ls));
  CHECK(make("env", MatchType::kRegex, "p[[:alpha:]]{3}").matches(ls));
  CHECK_FALSE(make("x", MatchType::kRegex, ".").matches(LabelSet{{"x", "\n"}}));
  CHECK(make("x", MatchType::kRegex, "(?s).").matches(LabelSet{{"x", "\n"}}));
  CHECK(herald::matches_all({}, ls));
  CHECK_FALSE(herald::matches_all(
      {make("env", MatchType::kEqual, "prod"), make("model", MatchType::kEqual, "x")}, ls));
}

TEST_CASE("matcher: create rejects what Go's regexp rejects, with Go's wording", "[model]") {
  struct Case {
    std::string re;
    std::string message;
  };
  const Case c = GENERATE(values<Case>({
      {"(", "error parsing regexp: missing closing ): `^(?:()$`"},
      {"a)", "error parsing regexp: unexpected ): `^(?:a))$`"},
      {"*", "error parsing regexp: missing argument to repetition operator: `*`"},
      {"a**", "error parsing regexp: invalid nested repetition operator: `**`"},
      {"\\8", "error parsing regexp: invalid escape sequence: `\\8`"},
      {"(?<n>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"},
      {"[z-a]", "error parsing regexp: invalid character class range: `z-a`"},
  }));
  auto m = Matcher::create("x", MatchType::kRegex, c.re);
  REQUIRE_FALSE(m.has_value());
  CHECK(m.error().code == herald::ErrorCode::kInvalidInput);
  CHECK(m.error().message == c.message);
  CHECK(Matcher::create("x", MatchType::kEqual, c.re).has_value());  // only regexes compile
}

TEST_CASE("matcher: rendered like Alertmanager's Matcher.String and Matchers.String", "[model]") {
  CHECK(make("env", MatchType::kEqual, "prod").to_string() == R"(env="prod")");
  CHECK(make("m", MatchType::kRegex, "llama.*").to_string() == R"(m=~"llama.*")");
  CHECK(make("q", MatchType::kNotEqual, "a\"b\\c\nd\te").to_string() ==
        "q!=\"a\\\"b\\\\c\\nd\te\"");  // only \ " and newline are escaped
  CHECK(make("r", MatchType::kNotRegex, "").to_string() == R"(r!~"")");
  CHECK(herald::to_string(Matchers{}) == "{}");
  CHECK(herald::to_string(Matchers{make("a", MatchType::kEqual, "1"),
                                   make("b", MatchType::kRegex, "2")}) == R"({a="1",b=~"2"})");
  CHECK(herald::to_string(MatchType::kNotRegex) == "!~");
}

TEST_CASE("matcher: sorted by name, then value, then type (labels.Matchers.Less)", "[model]") {
  Matchers ms{make("b", MatchType::kEqual, "1"), make("a", MatchType::kNotRegex, "2"),
              make("a", MatchType::kRegex, "2"), make("a", MatchType::kEqual, "3"),
              make("A", MatchType::kEqual, "9")};
  herald::sort_matchers(ms);
  CHECK(herald::to_string(ms) == R"({A="9",a=~"2",a!~"2",a="3",b="1"})");
}
