// render_email: byte-exact goldens (golden/email_*.eml) for a firing group, a resolved reply and
// hostile label values, a parse-back check that decodes the quoted-printable parts and the RFC 2047
// subject and finds exactly what was rendered, and the encoders' edge cases. Regenerate the goldens
// after an intended change with HERALD_UPDATE_GOLDENS=1 build-dev/tests/test_notifiers "[email]".
#include "notifiers/email_render.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/matcher.h"
#include "notifiers/email_thread.h"
#include "tests/notifiers/fixtures.h"
#include "tests/notifiers/qp_decode.h"

using namespace std::chrono_literals;

namespace herald::notifiers {
namespace {

using test::base64_decode;
using test::kGolden;
using test::read_file;

links::LinkSettings settings() {
  return test::drilldown_links("https://herald.example.com", "https://grafana.example.com");
}

Alert alert(LabelSet labels, std::string summary, WallTime start, WallTime end = {}) {
  return test::alert_with_summary(std::move(labels), std::move(summary), start, end);
}

const WallTime kT = WallTime(std::chrono::seconds(1'777'636'800));  // 2026-05-01 12:00:00 UTC

Notification firing_group() {
  Notification n;
  n.receiver = "ml-oncall";
  n.group_key = R"({}/{severity="critical"}:{alertname="HighErrorRate", model="llama3-8b"})";
  n.group_labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  for (const char* mode : {"chat", "completion"})
    n.firing.push_back(alert({{"alertname", "HighErrorRate"},
                              {"model", "llama3-8b"},
                              {"mode", mode},
                              {"severity", "critical"}},
                             std::string("llama3-8b ") + mode + " 5xx ratio above 5%", kT - 10min));
  return n;
}

Notification hostile_group() {
  Notification n;
  n.receiver = "ml <script>";
  n.group_key = R"({}:{alertname="HighErrorRate", model="모델", zone="…"})";
  std::string zone;  // a long group label value: the subject spans several encoded-words
  for (int i = 0; i < 12; ++i)
    zone += "zone-" + std::to_string(i) + "-모델 ";
  n.group_labels = {{"alertname", "HighErrorRate"}, {"model", "모델"}, {"zone", zone}};
  Alert a = alert({{"alertname", "HighErrorRate"},
                   {"model", "모델"},
                   {"zone", zone},
                   {"payload", "<script>alert('x')</script>"},
                   {"note", "*bold* <!channel> & \"quoted\""},
                   {"long", std::string(5000, 'x')}},
                  "<b>not bold</b> & <!here>\nsecond line", kT - 5min);
  a.annotations["dashboard_url"] = "javascript:alert(1)";
  n.firing.push_back(a);
  return n;
}

EmailParams params(std::string message_id, std::string thread_root = "") {
  EmailParams p;
  p.from = {{"herald", "herald@example.com"}};
  p.to = {{"", "ml-oncall@example.com"}, {"Ops, EU", "ops-eu@example.com"}};
  p.date = kT;
  p.message_id = std::move(message_id);
  p.thread_root = std::move(thread_root);
  p.headers = {{"X-Team", "ml-platform"}, {"Message-Id", "<dropped@x>"}, {"Bad Name", "dropped"}};
  return p;
}

struct GoldenCase {
  std::string name;
  Message message;
  EmailParams params;
};

std::vector<GoldenCase> golden_cases() {
  const links::LinkSettings s = settings();
  const std::string root = thread_root_id(firing_group().group_key);
  Notification resolved = firing_group();
  resolved.resolved = resolved.firing;
  resolved.firing.clear();
  for (Alert& a : resolved.resolved)
    a.ends_at = kT + 20min;
  return {
      {"email_firing", build_message(firing_group(), s, kT), params(root)},
      {"email_resolved", build_message(resolved, s, kT + 30min),
       params(reply_message_id(root, 1'777'638'600'000'000'000, 7), root)},
      {"email_hostile", build_message(hostile_group(), s, kT),
       params(thread_root_id(hostile_group().group_key))},
  };
}

// --- a small, independent reading of the rendered message ---

using herald::test::qp_decode;

// An unstructured field's value: unfolded, adjacent encoded-words decoded and joined.
std::string decode_field(std::string_view value) {
  std::string unfolded;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i, 2) == "\r\n")
      ++i;
    else
      unfolded += value[i];
  }
  std::string out;
  size_t i = 0;
  bool after_word = false;
  while (i < unfolded.size()) {
    if (unfolded.compare(i, 10, "=?UTF-8?B?") == 0) {
      const size_t end = unfolded.find("?=", i + 10);
      REQUIRE(end != std::string::npos);
      CHECK(end + 2 - i <= 75);  // RFC 2047 section 2
      out += base64_decode(std::string_view(unfolded).substr(i + 10, end - i - 10));
      i = end + 2;
      after_word = true;
    } else if (after_word && unfolded[i] == ' ' && unfolded.compare(i + 1, 2, "=?") == 0) {
      ++i;  // white space between encoded-words is not part of the text
    } else {
      out += unfolded[i++];
      after_word = false;
    }
  }
  return out;
}

struct Parsed {
  std::vector<std::pair<std::string, std::string>> fields;  // raw (folded) values
  std::vector<std::pair<std::string, std::string>> parts;   // content type, decoded body
  std::string field(std::string_view name) const {
    for (const auto& [n, v] : fields)
      if (n == name) return v;
    return "<none>";
  }
};

Parsed parse(const std::string& raw) {
  Parsed p;
  const size_t body = raw.find("\r\n\r\n");
  REQUIRE(body != std::string::npos);
  std::istringstream head(raw.substr(0, body + 2));
  for (std::string line; std::getline(head, line);) {
    if (line.starts_with(" ")) {
      p.fields.back().second += "\r\n" + line.substr(0, line.size() - 1);
    } else {
      const size_t colon = line.find(": ");
      REQUIRE(colon != std::string::npos);
      p.fields.emplace_back(line.substr(0, colon), line.substr(colon + 2, line.size() - colon - 3));
    }
  }
  const std::string type = p.field("Content-Type");
  const size_t b = type.find("boundary=\"");
  REQUIRE(b != std::string::npos);
  const std::string delimiter = "\r\n--" + type.substr(b + 10, type.size() - b - 11);
  size_t at = raw.find(delimiter, body);
  while (at != std::string::npos && raw.compare(at + delimiter.size(), 2, "--") != 0) {
    const size_t start = at + delimiter.size() + 2;
    const size_t next = raw.find(delimiter, start);
    REQUIRE(next != std::string::npos);
    const std::string part = raw.substr(start, next - start);
    const size_t blank = part.find("\r\n\r\n");
    const std::string headers = part.substr(0, blank);
    CHECK_THAT(headers, Catch::Contains("Content-Transfer-Encoding: quoted-printable"));
    const size_t ct = headers.find("Content-Type: ") + 14;
    p.parts.emplace_back(headers.substr(ct, headers.find(';', ct) - ct),
                         qp_decode(part.substr(blank + 4)));
    at = next;
  }
  return p;
}

void check_wire_form(const std::string& raw) {
  size_t line_start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    INFO("byte " << i);
    REQUIRE(c < 0x80);  // 7bit: everything else is encoded
    if (c == '\n') REQUIRE((i > 0 && raw[i - 1] == '\r'));
    if (c == '\r') REQUIRE((i + 1 < raw.size() && raw[i + 1] == '\n'));
    if (c == '\n') {
      REQUIRE(i - 1 - line_start <= 78);
      line_start = i + 1;
    }
  }
  CHECK(raw.ends_with("\r\n"));
}

}  // namespace

TEST_CASE("email: rendered messages match their goldens byte for byte", "[notifiers][email]") {
  const bool update = std::getenv("HERALD_UPDATE_GOLDENS") != nullptr;
  for (const GoldenCase& c : golden_cases()) {
    INFO("golden " << c.name);
    const std::string got = render_email(c.message, c.params);
    const auto path = kGolden / (c.name + ".eml");
    if (update) std::ofstream(path, std::ios::binary) << got;
    const std::string want = read_file(path);
    if (got != want) {
      size_t i = 0;
      while (i < got.size() && i < want.size() && got[i] == want[i])
        ++i;
      INFO("first difference at byte " << i << "\n got: " << got.substr(i > 60 ? i - 60 : 0, 160)
                                       << "\nwant: " << want.substr(i > 60 ? i - 60 : 0, 160));
      CHECK(got == want);
    }
  }
}

TEST_CASE("email: parsing a rendered message back gives what was rendered", "[notifiers][email]") {
  for (const GoldenCase& c : golden_cases()) {
    INFO("case " << c.name);
    const std::string raw = render_email(c.message, c.params);
    check_wire_form(raw);
    const Parsed p = parse(raw);
    CHECK(decode_field(p.field("Subject")) == c.message.subject);
    CHECK(p.field("Message-ID") == "<" + c.params.message_id + ">");
    CHECK(p.field("Date") == "Fri, 01 May 2026 12:00:00 +0000");
    CHECK(p.field("To") == "ml-oncall@example.com, \"Ops, EU\" <ops-eu@example.com>");
    CHECK(p.field("X-Team") == "ml-platform");
    CHECK(p.field("Message-Id") == "<none>");  // a configured header cannot replace threading
    CHECK(p.field("Bad Name") == "<none>");
    if (c.params.thread_root.empty()) {
      CHECK(p.field("In-Reply-To") == "<none>");
    } else {
      CHECK(p.field("In-Reply-To") == "<" + c.params.thread_root + ">");
      CHECK(p.field("References") == "<" + c.params.thread_root + ">");
    }
    REQUIRE(p.parts.size() == 2);
    CHECK(p.parts[0].first == "text/plain");
    CHECK(p.parts[0].second == render_email_text(c.message));
    CHECK(p.parts[1].first == "text/html");
    CHECK(p.parts[1].second == render_email_html(c.message));
  }
}

TEST_CASE("email: hostile label values are escaped in HTML and intact in text",
          "[notifiers][email]") {
  const Message m = build_message(hostile_group(), settings(), kT);
  const std::string html = render_email_html(m);
  const std::string text = render_email_text(m);
  CHECK(m.subject.starts_with("[FIRING:1] HighErrorRate (모델 zone-0-모델 zone-1-모델 "));
  // HTML: no markup from a value survives; every value is there, escaped.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<!channel") == std::string::npos);
  CHECK(html.find("<!here") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  CHECK_THAT(html, Catch::Contains("*bold* &lt;!channel&gt; &amp; &quot;quoted&quot;"));
  CHECK_THAT(html, Catch::Contains("&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;!here&gt;"));
  CHECK_THAT(html, Catch::Contains("ml &lt;script&gt;"));  // the receiver name too
  CHECK_THAT(html, Catch::Contains("모델"));
  CHECK_THAT(html, Catch::Contains(std::string(5000, 'x')));
  // A javascript: dashboard_url never becomes a link, in either part.
  CHECK(html.find("javascript:") == std::string::npos);
  CHECK(text.find("javascript:") == std::string::npos);
  // Text: values as they are; a multi-line summary stays inside its alert's item.
  CHECK_THAT(text, Catch::Contains("payload=\"<script>alert('x')</script>\""));
  CHECK_THAT(text, Catch::Contains("* <b>not bold</b> & <!here>\n  second line\n"));
  CHECK_THAT(text, Catch::Contains("long=\"" + std::string(5000, 'x') + "\""));
}

TEST_CASE("email: a resolved group shows no Silence link", "[notifiers][email]") {
  Notification n = firing_group();
  n.resolved = n.firing;
  n.firing.clear();
  for (Alert& a : n.resolved)
    a.ends_at = kT;
  const Message m = build_message(n, settings(), kT + 1min);
  CHECK(render_email_text(m).find("Silence:") == std::string::npos);
  CHECK_THAT(render_email_text(m), Catch::Contains("Dashboard: https://grafana.example.com/"));
  CHECK_THAT(render_email_html(m), Catch::Contains(">Runbook</a>"));
  CHECK(render_email_html(m).find(">Silence</a>") == std::string::npos);
}

TEST_CASE("email: links without an external URL are left out", "[notifiers][email]") {
  links::LinkSettings s = settings();
  s.external_url = "";  // herald's own links become root-relative: useless in a mailbox
  const Message m = build_message(firing_group(), s, kT);
  CHECK(render_email_text(m).find("Silence:") == std::string::npos);
  CHECK(render_email_text(m).find("Runbook:") == std::string::npos);
  CHECK_THAT(render_email_text(m), Catch::Contains("Dashboard: https://grafana.example.com/"));
}

}  // namespace herald::notifiers
