// The email encoders' edge cases: quoted-printable line lengths and what gets encoded, header
// folding and RFC 2047 encoded-words, address lists, dates, and the ids that thread a group.
#include "notifiers/email_mime.h"

#include <catch2/catch.hpp>
#include <cctype>

#include "notifiers/email_thread.h"
#include "notifiers/sha256.h"
#include "tests/notifiers/fixtures.h"

namespace herald::notifiers {
namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t p = s.find("\r\n"); p != std::string::npos; p = s.find("\r\n", start)) {
    out.push_back(s.substr(start, p - start));
    start = p + 2;
  }
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

}  // namespace

TEST_CASE("email mime: quoted-printable", "[notifiers][email]") {
  const auto [in, want] = GENERATE(table<std::string, std::string>({
      {"plain text\n", "plain text\r\n"},
      {"a=b\n", "a=3Db\r\n"},
      {"trailing space \n", "trailing space=20\r\n"},
      {"trailing tab\t\n", "trailing tab=09\r\n"},
      {"crlf\r\nkept\r\n", "crlf\r\nkept\r\n"},
      {"lone\rcr\n", "lone=0Dcr\r\n"},
      {"모델\n", "=EB=AA=A8=EB=8D=B8\r\n"},
      {"no final break", "no final break"},
      {"\n\n", "\r\n\r\n"},
      {".starts with a dot\n", ".starts with a dot\r\n"},  // libcurl dot-stuffs
  }));
  CHECK(quoted_printable(in) == want);
}

TEST_CASE("email mime: quoted-printable lines stay within 76 characters", "[notifiers][email]") {
  const std::string long_line = std::string(200, 'x') + " " + std::string(100, '=') + "모델 \n";
  const std::string qp = quoted_printable(long_line);
  std::string decoded;
  for (const std::string& line : lines_of(qp)) {
    CAPTURE(line);
    CHECK(line.size() <= 76);
    CHECK(line.find_first_of("\r\n") == std::string::npos);
  }
  // An escape is never split by a soft break.
  for (size_t p = qp.find('='); p != std::string::npos; p = qp.find('=', p + 1)) {
    CAPTURE(p);
    CHECK((qp.compare(p, 3, "=\r\n") == 0 || std::isxdigit(static_cast<unsigned char>(qp[p + 1]))));
    if (qp.compare(p, 3, "=\r\n") != 0) p += 2;
  }
}

TEST_CASE("email mime: header fields fold or encode", "[notifiers][email]") {
  CHECK(header_field("Subject", "[FIRING:1] HighErrorRate") ==
        "Subject: [FIRING:1] HighErrorRate\r\n");
  CHECK(header_field("Subject", "") == "Subject: \r\n");
  // Long ASCII folds at spaces.
  std::string words;
  for (int i = 0; i < 30; ++i)
    words += (i ? " " : "") + std::string("word") + std::to_string(i);
  const std::string folded = header_field("Subject", words);
  CHECK(folded.find("=?") == std::string::npos);
  for (const std::string& line : lines_of(folded))
    CHECK(line.size() <= 78);
  std::string unfolded = folded;
  for (size_t p = unfolded.find("\r\n "); p != std::string::npos; p = unfolded.find("\r\n "))
    unfolded.erase(p, 2);
  CHECK(unfolded == "Subject: " + words + "\r\n");
  // Non-ASCII, control characters, "=?" and unfoldable words become encoded-words.
  CHECK(header_field("Subject", "모델") == "Subject: =?UTF-8?B?66qo6424?=\r\n");
  CHECK(header_field("X-A", "a\r\nBcc: x@y") == "X-A: =?UTF-8?B?YQ0KQmNjOiB4QHk=?=\r\n");
  CHECK(header_field("X-A", "=?UTF-8?B?eA==?=") == "X-A: =?UTF-8?B?PT9VVEYtOD9CP2VBPT0/PQ==?=\r\n");
  for (const std::string& value :
       {std::string(5000, 'x'), std::string(300, 'a') + "모델모델모델"}) {
    const std::string field = header_field("Subject", value);
    for (const std::string& line : lines_of(field)) {
      CAPTURE(line);
      CHECK(line.size() <= 76);
      CHECK((line.starts_with("Subject: =?UTF-8?B?") || line.starts_with(" =?UTF-8?B?")));
      CHECK(line.ends_with("?="));
    }
  }
}

TEST_CASE("email mime: encoded-words never split a character", "[notifiers][email]") {
  // 39 bytes per word at most: behind one ASCII byte, 3-byte characters would be cut mid-way.
  std::string value = "x";
  for (int i = 0; i < 40; ++i)
    value += "모";
  std::vector<size_t> sizes;
  std::string joined;
  for (const std::string& line : lines_of(header_field("Subject", value))) {
    const size_t start = line.find("?B?") + 3;
    const std::string bytes = test::base64_decode(line.substr(start, line.rfind("?=") - start));
    CHECK((static_cast<unsigned char>(bytes.front()) & 0xC0) != 0x80);  // starts a character
    sizes.push_back(bytes.size());
    joined += bytes;
  }
  CHECK(sizes == std::vector<size_t>{37, 39, 39, 6});
  CHECK(joined == value);
}

TEST_CASE("email mime: address lists", "[notifiers][email]") {
  auto list = parse_address_list(
      R"(a@example.com, Ops Team <ops@example.com>,"Doe, Jane" <jane@example.com>,, 모델 <m@x.y>)");
  REQUIRE(list);
  CHECK(*list == std::vector<MailAddress>{{"", "a@example.com"},
                                          {"Ops Team", "ops@example.com"},
                                          {"Doe, Jane", "jane@example.com"},
                                          {"모델", "m@x.y"}});
  CHECK(address_field("To", *list) ==
        "To: a@example.com,\r\n Ops Team <ops@example.com>,\r\n \"Doe, Jane\" "
        "<jane@example.com>,\r\n =?UTF-8?B?66qo6424?= <m@x.y>\r\n");
  CHECK(address_field("From", {{"herald", "h@x.y"}}) == "From: herald <h@x.y>\r\n");
  CHECK(address_field("From", {{R"(a "b")", "h@x.y"}}) == "From: \"a \\\"b\\\"\" <h@x.y>\r\n");
  for (const char* bad : {"no-at-sign", "Ops <ops@example.com", "a b@example.com",
                          "\"unclosed <x@y>", "x@y\r\nRCPT TO:<evil@z>"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_address_list(bad));
  }
  CHECK(parse_address_list("")->empty());
}

TEST_CASE("email mime: dates and HTML escaping", "[notifiers][email]") {
  const WallTime t = WallTime(std::chrono::seconds(1'777'636'800)) + std::chrono::milliseconds(999);
  CHECK(rfc5322_date(t) == "Fri, 01 May 2026 12:00:00 +0000");
  CHECK(rfc5322_date(WallTime{}) == "Thu, 01 Jan 1970 00:00:00 +0000");
  CHECK(display_time(t) == "2026-05-01 12:00:00 UTC");
  CHECK(html_escape(R"(<a href="x">'&'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST_CASE("email thread: ids", "[notifiers][email]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const std::string root = thread_root_id(R"({}:{alertname="X"})");
  CHECK(root.size() == 32 + 7);
  CHECK(root.ends_with("@herald"));
  CHECK(root == thread_root_id(R"({}:{alertname="X"})"));
  CHECK(root != thread_root_id(R"({}:{alertname="Y"})"));
  CHECK(reply_message_id(root, 1'777'636'800'000'000'000, 3) ==
        root.substr(0, 32) + ".1777636800000000000.3@herald");
  CHECK(is_message_id(root));
  CHECK(is_message_id(reply_message_id(root, 1, 2)));
  for (const char* bad : {"", "no-at", "a@", "@b", "a b@c", "a@b>", "a@b\r\nX: y", "a..b@c"})
    CHECK_FALSE(is_message_id(bad));
}

}  // namespace herald::notifiers
