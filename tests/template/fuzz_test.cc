// Robustness: random byte strings and random mutations of valid templates must never crash,
// hang or overflow the stack in parse or execute. Deterministic seeds; bounded iterations.
// (Run under -DHERALD_SANITIZE=ON to catch memory errors too.)
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "template/alert_expander.h"

using namespace herald::tmpl;

namespace {

const std::vector<std::string>& seeds() {
  static const std::vector<std::string> kSeeds = {
      "{{ $labels.instance }} is down",
      "{{ $value | humanizePercentage }} of {{ .Labels.job }}",
      "{{- if gt $value 0.5 -}} high {{- else if lt $value 0.1 }} low {{ else }} mid {{ end -}}",
      "{{ range $i, $v := $labels }}{{ $i }}={{ $v }},{{ else }}none{{ end }}",
      "{{ with query \"up\" }}{{ . | first | value | humanize }}{{ end }}",
      "{{/* comment */}}{{ printf \"%.2f %s %d %q\" $value \"x\" 3 `raw` }}",
      "{{ $x := 1 }}{{ $x = (len \"abc\") }}{{ and $x (or 0 \"y\") (not false) }}",
      "{{ reReplaceAll \"(.*):.*\" \"$1\" $labels.instance | toUpper | title }}",
      "{{ index $labels \"job\" }} {{ eq .Value 1.0 2.0 }} {{ 0x1F }} {{ 'a' }} {{ 1e3 }}",
      "{{ range 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}",
      "{{ (1435065584.128 | toTime).Format \"2006-01-02 Mon Jan _2 03:04:05.000 PM\" }}",
      "{{ define \"a\" }}[{{ . }}]{{ template \"b\" . }}{{ end }}{{ define \"b\" }}{{ . }}{{ end }}"
      "{{ template \"a\" $labels.job }}{{ block \"c\" 1 }}{{ template \"a\" . }}{{ end }}",
      "{{ define \"r\" }}{{ if . }}{{ template \"r\" false }}{{ end }}{{ end }}{{ template \"r\" 1 "
      "}}",
  };
  return kSeeds;
}

// Template-ish alphabet so random strings reach deep into the parser.
const std::string kAlphabet =
    "{{}}{{}} -|()$.,:=\"'`\\/*abcdefxyz019_\n\tifelseendrangewithdefinetemplateblock";

void exercise(const std::string& text, const QueryFunc* q) {
  for (FuncSet set : {FuncSet::kAlertLabels, FuncSet::kAlertAnnotations}) {
    auto t = parse("fuzz", text, set);
    if (!t) {
      CHECK(t.error().line >= 1);
      CHECK(t.error().column >= 1);
      continue;
    }
    AlertTemplateData d;
    d.labels = herald::LabelSet{{"instance", "h:1"}, {"job", "j"}};
    d.value = 0.5;
    (void)expand_alert_template(*t, d, q);
  }
}

}  // namespace

TEST_CASE("fuzz: random inputs never crash parse or execute", "[template][fuzz]") {
  QueryFunc q = [](std::string_view) -> herald::Result<std::vector<QuerySample>> {
    return std::vector<QuerySample>{{herald::LabelSet{{"a", "b"}}, 2}};
  };
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text;
    size_t len = rng() % 80;
    bool bytes = iter % 3 == 0;
    for (size_t i = 0; i < len; ++i) {
      text.push_back(bytes ? static_cast<char>(rng() % 256) : kAlphabet[rng() % kAlphabet.size()]);
    }
    exercise(text, &q);
  }
}

TEST_CASE("fuzz: mutations of valid templates never crash", "[template][fuzz]") {
  QueryFunc q = [](std::string_view) -> herald::Result<std::vector<QuerySample>> {
    return std::vector<QuerySample>{};
  };
  std::mt19937 rng(424242);
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text = seeds()[rng() % seeds().size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t pos = rng() % text.size();
      switch (rng() % 4) {
        case 0:
          text.erase(pos, 1 + rng() % 3);
          break;
        case 1:
          text.insert(pos, 1, kAlphabet[rng() % kAlphabet.size()]);
          break;
        case 2:
          text[pos] = static_cast<char>(rng() % 256);
          break;
        default: {
          size_t n = 1 + rng() % 10;
          text.insert(pos, text.substr(pos, n));
        }
      }
    }
    exercise(text, &q);
  }
  for (const auto& s : seeds()) {
    auto t = parse("seed", s, FuncSet::kAlertAnnotations);
    CAPTURE(s);
    CHECK(t.has_value());
  }
}

TEST_CASE("fuzz: pathological nesting and repetition", "[template][fuzz]") {
  for (const std::string& unit :
       {std::string("{{ if 1 }}"), std::string("{{ range . }}"), std::string("{{("),
        std::string("{{ end }}"), std::string("{{ else }}"), std::string("{{"), std::string("}}"),
        std::string("{{/*")}) {
    std::string text;
    for (int i = 0; i < 20000; ++i)
      text += unit;
    exercise(text, nullptr);
  }
}
