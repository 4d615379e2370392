// Prometheus's template functions: expected outputs are those of prometheus/template's own
// tests (template_test.go) and prometheus/common helpers/templates tests.
#include <cmath>
#include <limits>

#include "tests/template/template_test_util.h"

using namespace herald::tmpl;
using namespace herald::tmpl::testing;

namespace {

struct Case {
  const char* text;
  Value dot;
  const char* want;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("prometheus functions: humanize family", "[template]") {
  const char* all =
      "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:"
      "{{ humanizeTimestamp . }}:{{ end }}";
  auto c = GENERATE_COPY(values<Case>({
      {"{{ range . }}{{ humanize . }}:{{ end }}", list({f(0), f(1), f(1234567), f(.12)}),
       "0:1:1.235M:120m:"},
      {"{{ range . }}{{ humanize . }}:{{ end }}",
       list({s("0.0"), s("1.0"), s("1234567.0"), s(".12")}), "0:1:1.235M:120m:"},
      {"{{ range . }}{{ humanize . }}:{{ end }}",
       list({i(0), i(-1), i(1), i(1234567), i(std::numeric_limits<int64_t>::max())}),
       "0:-1:1:1.235M:9.223E:"},
      {"{{ humanize 0.001234 }}", Value(), "1.234m"},
      {"{{ humanize 1234567 }}", Value(), "1.235M"},
      {"{{ range . }}{{ humanize1024 . }}:{{ end }}", list({f(0), f(1), f(1048576), f(.12)}),
       "0:1:1Mi:0.12:"},
      {"{{ range . }}{{ humanize1024 . }}:{{ end }}",
       list({i(0), i(-1), i(1), i(1234567), i(std::numeric_limits<int64_t>::max())}),
       "0:-1:1:1.177Mi:8Ei:"},
      {"{{ range . }}{{ humanizeDuration . }}:{{ end }}",
       list({f(0), f(1), f(60), f(3600), f(86400), f(86400 + 3600),
             f(-(86400 * 2 + 3600 * 3 + 60 * 4 + 5)), f(899.99)}),
       "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:"},
      {"{{ range . }}{{ humanizeDuration . }}:{{ end }}",
       list({f(.1), f(.0001), f(.12345), f(60.1), f(60.5), f(1.2345), f(12.345)}),
       "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:"},
      {"{{ range . }}{{ humanizeDuration . }}:{{ end }}",
       list({s(".1"), s(".0001"), s(".12345"), s("60.1"), s("60.5"), s("1.2345"), s("12.345")}),
       "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:"},
      {"{{ range . }}{{ humanizeDuration . }}:{{ end }}", list({i(0), i(-1), i(1), i(1234567)}),
       "0s:-1s:1s:14d 6h 56m 7s:"},
      {"{{ humanizeDuration 3661 }}", Value(), "1h 1m 1s"},
      {all, list({f(kInf), f(-kInf), f(std::nan(""))}),
       "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:"},
      {all, list({s("+Inf"), s("-Inf"), s("NaN")}),
       "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:"},
      {"{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | "
       "humanizePercentage }}:{{ 1.23456 | humanizePercentage }}",
       Value(), "-22.22%:0%:12.35%:123.5%"},
      {"{{ humanizePercentage 0.0723 }}", Value(), "7.23%"},
      {"{{ range . }}{{ humanizePercentage . }}:{{ end }}",
       list({i(0), i(-1), i(1), i(1234567), i(std::numeric_limits<int64_t>::max())}),
       "0%:-100%:100%:1.235e+08%:9.223e+20%:"},
      {"{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
       list({i(0), i(-1), i(1), i(1234567), i(9223372036)}),
       "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 "
       "UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:"},
      {"{{ 1435065584.128 | humanizeTimestamp }}", Value(), "2015-06-23 13:19:44.128 +0000 UTC"},
      {"{{ \"1435065584.128\" | humanizeTimestamp }}", Value(),
       "2015-06-23 13:19:44.128 +0000 UTC"},
      {"{{ (1435065584.128 | toTime).Format \"2006\" }}", Value(), "2015"},
      {"{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", Value(), "2015"},
      {"{{ (1657155181 | toTime) }}", Value(), "2022-07-07 00:53:01 +0000 UTC"},
      {"{{ humanize \"one\" }}", Value(),
       "ERROR template: test:1:3: executing \"test\" at <humanize \"one\">: error calling "
       "humanize: strconv.ParseFloat: parsing \"one\": invalid syntax"},
      {"{{ \"one\" | humanizePercentage }}", Value(),
       "ERROR template: test:1:11: executing \"test\" at <humanizePercentage>: error calling "
       "humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax"},
      {"{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
       list({i(std::numeric_limits<int64_t>::min())}),
       "ERROR template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling "
       "humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds "
       "timestamp since it overflows int64"},
  }));
  CAPTURE(c.text);
  CHECK(run(c.text, c.dot) == c.want);
}

TEST_CASE("prometheus functions: strings, links and hosts", "[template]") {
  auto c = GENERATE(values<Case>({
      {"{{ \"aa bb CC\" | title }}", Value(), "Aa Bb CC"},
      {"{{ \"aa bb CC\" | toUpper }}", Value(), "AA BB CC"},
      {"{{ \"aA bB CC\" | toLower }}", Value(), "aa bb cc"},
      {"{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", Value(), "true false"},
      {"{{ graphLink \"up\" }}", Value(), "/graph?g0.expr=up&g0.tab=0"},
      {"{{ tableLink \"up\" }}", Value(), "/graph?g0.expr=up&g0.tab=1"},
      {"{{ graphLink \"rate(x{a=\\\"b\\\"}[5m]) > 0\" }}", Value(),
       "/graph?g0.expr=rate%28x%7Ba%3D%22b%22%7D%5B5m%5D%29+%3E+0&g0.tab=0"},
      {"{{ pathPrefix }}", Value(), "/path/prefix"},
      {"{{ externalURL }}", Value(), "http://testhost:9090/path/prefix"},
      {"{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", Value(), "3720.01"},
      {"{{ \"<b>\" | safeHtml }}", Value(), "<b>"},
      {"{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", Value(), "xa"},
      {"{{ reReplaceAll \"(.*):.*\" \"$1\" \"host:9090\" }}", Value(), "host"},
      {"{{ reReplaceAll \"a(x*)b\" \"${1}W\" \"-ab-axxb-\" }}", Value(), "-W-xxW-"},
      {"{{ reReplaceAll \"a(x*)b\" \"$1W\" \"-ab-axxb-\" }}", Value(), "---"},
      {"{{ reReplaceAll \"a(?P<x>x*)b\" \"[$x]\" \"-axb-\" }}", Value(), "-[x]-"},
      {"{{ reReplaceAll \"x*\" \"-\" \"abc\" }}", Value(), "-a-b-c-"},
      {"{{ reReplaceAll \"b\" \"$$\" \"abc\" }}", Value(), "a$c"},
      {"{{ \"foo.example.com\" | stripPort }}", Value(), "foo.example.com"},
      {"{{ \"foo.example.com:12345\" | stripPort }}", Value(), "foo.example.com"},
      {"{{ \"192.0.2.1\" | stripPort }}", Value(), "192.0.2.1"},
      {"{{ \"192.0.2.1:12345\" | stripPort }}", Value(), "192.0.2.1"},
      {"{{ \"2001:0DB8::1\" | stripPort }}", Value(), "2001:0DB8::1"},
      {"{{ \"[2001:0DB8::1]:12345\" | stripPort }}", Value(), "2001:0DB8::1"},
      {"{{ \"[2001:0DB8::1]::12345\" | stripPort }}", Value(), "[2001:0DB8::1]::12345"},
      {"{{ \"foo.example.com\" | stripDomain }}", Value(), "foo"},
      {"{{ \"foo.example.com:12345\" | stripDomain }}", Value(), "foo:12345"},
      {"{{ \"192.0.2.1\" | stripDomain }}", Value(), "192.0.2.1"},
      {"{{ \"192.0.2.1:12345\" | stripDomain }}", Value(), "192.0.2.1:12345"},
      {"{{ \"2001:0DB8::1\" | stripDomain }}", Value(), "2001:0DB8::1"},
      {"{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", Value(), "[2001:0DB8::1]:12345"},
      {"{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", Value(), "[2001:0DB8::1]::12345"},
      {"{{ with args 1 \"2\" }}{{ .arg0 }} {{ .arg1 }} {{ .arg2 }}{{ end }}", Value(),
       "1 2 <no value>"},
      {"{{ match \"(\" \"x\" }}", Value(),
       "ERROR template: test:1:3: executing \"test\" at <match \"(\" \"x\">: error calling match: "
       "error parsing regexp: missing closing ): `(`"},
  }));
  CAPTURE(c.text);
  CHECK(run(c.text, c.dot) == c.want);
}

TEST_CASE("prometheus functions: query results", "[template]") {
  std::vector<QuerySample> result = {
      {herald::LabelSet{{"__name__", "metric"}, {"instance", "b"}}, 21},
      {herald::LabelSet{{"__name__", "metric"}, {"instance", "a"}, {"__value__", "v"}}, 11},
  };
  std::string last_expr;
  QueryFunc q = [&](std::string_view expr) -> herald::Result<std::vector<QuerySample>> {
    last_expr = std::string(expr);
    if (expr == "missing") return std::vector<QuerySample>{};
    if (expr == "broken") return herald::unavailable("http 503");
    return result;
  };
  auto c = GENERATE(values<Case>({
      {"{{ query \"metric\" | first | value }}", Value(), "21"},
      {"{{ query \"metric\" | first | label \"instance\" }}", Value(), "b"},
      {"[{{ query \"metric\" | first | label \"foo\" }}]", Value(), "[]"},
      {"{{ $x := query \"metric\" | first }}[{{ $x.Labels.foo }}]", Value(), "[]"},
      {"{{ range query \"metric\" | sortByLabel \"instance\" }}{{ .Labels.instance }}:{{ .Value "
       "}}: "
       "{{ end }}",
       Value(), "a:11: b:21: "},
      {"{{ with query \"metric\" | sortByLabel \"instance\" }}{{ . | first | strvalue }}{{ end }}",
       Value(), "v"},
      {"{{ query \"missing\" | first }}", Value(),
       "ERROR template: test:1:21: executing \"test\" at <first>: error calling first: first() "
       "called on vector with no elements"},
      {"{{ query \"broken\" }}", Value(),
       "ERROR template: test:1:3: executing \"test\" at <query \"broken\">: error calling query: "
       "http 503"},
      {"{{ len (query \"metric\") }}", Value(), "2"},
  }));
  CAPTURE(c.text);
  CHECK(run(c.text, c.dot, &q) == c.want);
}
