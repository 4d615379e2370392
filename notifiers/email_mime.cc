// Header folding, RFC 2047 encoded-words, address lists, quoted-printable and dates for email.
// Hand-written rather than libcurl's curl_mime: its encoders choose boundaries and line breaks
// themselves, and the integration needs byte-exact goldens and its own Message-ID threading.
#include "notifiers/email_mime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "model/base64.h"
#include "model/text_escape.h"
#include "model/trim.h"
#include "notifiers/http_auth.h"

namespace herald::notifiers {
namespace {

constexpr size_t kMaxLine = 78;    // RFC 5322 2.1.1's SHOULD
constexpr size_t kWordBytes = 39;  // raw bytes per encoded-word: 52 base64 chars, 64 in all
constexpr std::string_view kFold = "\r\n ";

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// `text` as UTF-8 B encoded-words of at most 64 characters, joined by `separator`. Words end on
// UTF-8 character boundaries (RFC 2047 section 5: a character is never split between words).
std::string encoded_words(std::string_view text, std::string_view separator) {
  std::string out;
  while (!text.empty()) {
    size_t n = std::min(kWordBytes, text.size());
    if (n < text.size()) {
      size_t cut = n;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
      if (cut > 0) n = cut;  // else: not UTF-8; any cut will do
    }
    if (!out.empty()) out += separator;
    out += "=?UTF-8?B?" + base64_encode(text.substr(0, n)) + "?=";
    text.remove_prefix(n);
  }
  return out;
}

// `first` and the words of `value` folded at spaces so that no line exceeds kMaxLine; nullopt when
// a single word does not fit.
std::optional<std::string> fold_at_spaces(std::string_view first, std::string_view value) {
  std::string out(first);
  size_t line = out.size();
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(' ', start + 1);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view piece = value.substr(start, end - start);  // " word", or the first
    if (line + piece.size() > kMaxLine && start != 0 && piece.size() > 1) {
      out += "\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
    if (line > kMaxLine) return std::nullopt;
    if (end == value.size()) break;
    start = end;
  }
  return out;
}

bool needs_quoting(std::string_view name) {
  return name.find_first_of("()<>[]:;@\\,.\"") != std::string_view::npos;
}

std::string display_name(std::string_view name) {
  if (!printable_ascii(name) || name.find("=?") != std::string_view::npos)
    return encoded_words(name, kFold);
  if (!needs_quoting(name)) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

Result<MailAddress> parse_address(std::string_view item) {
  MailAddress a;
  const size_t open = item.rfind('<');  // the last: a quoted display name may hold one
  if (open == std::string_view::npos) {
    a.addr = std::string(item);
  } else {
    const size_t close = item.find('>', open);
    if (close == std::string_view::npos || !trim(item.substr(close + 1), kBlank).empty())
      return invalid_input("invalid address \"" + std::string(item) + "\": unbalanced <>");
    a.name = unquote(trim(item.substr(0, open), kBlank));
    a.addr = std::string(trim(item.substr(open + 1, close - open - 1), kBlank));
  }
  const bool bad_byte = std::any_of(a.addr.begin(), a.addr.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>';
  });
  // local@domain with neither part empty (a template that expanded a missing label leaves one
  // empty: "@example.com").
  const size_t at = a.addr.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == a.addr.size() || bad_byte ||
      a.name.find_first_of("\r\n") != std::string::npos)
    return invalid_input("invalid address \"" + std::string(item) + "\"");
  return a;
}

}  // namespace

Result<std::vector<MailAddress>> parse_address_list(std::string_view text) {
  std::vector<MailAddress> out;
  bool quoted = false, angle = false;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '<') angle = true;
    if (c == '>') angle = false;
    if (c != ',' || (angle && i < text.size())) continue;  // the end closes the last item
    const std::string_view item = trim(text.substr(start, i - start), kBlank);
    start = i + 1;
    if (item.empty()) continue;
    auto a = parse_address(item);
    if (!a) return tl::unexpected(a.error());
    out.push_back(std::move(*a));
  }
  if (quoted) return invalid_input("invalid address list: unbalanced quotes");
  return out;
}

std::string header_field(std::string_view name, std::string_view value) {
  const std::string first = std::string(name) + ": ";
  if (printable_ascii(value) && value.find("=?") == std::string_view::npos) {
    if (auto folded = fold_at_spaces(first, value)) return *folded + "\r\n";
  }
  return first + encoded_words(value, kFold) + "\r\n";
}

std::string address_field(std::string_view name, const std::vector<MailAddress>& addresses) {
  std::vector<std::string> items;
  for (const MailAddress& a : addresses)
    items.push_back(a.name.empty() ? a.addr : display_name(a.name) + " <" + a.addr + ">");
  std::string one_line = std::string(name) + ": ";
  for (size_t i = 0; i < items.size(); ++i)
    one_line += (i == 0 ? "" : ", ") + items[i];
  if (one_line.size() <= kMaxLine && one_line.find('\r') == std::string::npos)
    return one_line + "\r\n";
  std::string out = std::string(name) + ": ";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : ",\r\n ") + items[i];
  return out + "\r\n";
}

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 11 / 10);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const bool has_break = end != std::string_view::npos;
    if (!has_break) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (has_break && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    size_t width = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      const bool literal =
          (c >= 0x21 && c <= 0x7e && c != '=') || ((c == ' ' || c == '\t') && !last);
      const size_t size = literal ? 1 : 3;
      // A soft break costs one '=' on the line it ends; the line's last token needs no room for it.
      if (width + size > (last ? 76 : 75)) {
        out += "=\r\n";
        width = 0;
      }
      if (literal) {
        out += static_cast<char>(c);
      } else {
        out += '=';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      width += size;
    }
    if (has_break) out += "\r\n";
  }
  return out;
}

std::string html_escape(std::string_view text) {
  return escape_chars(
      text, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}});
}

std::string rfc5322_date(WallTime t) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(floor<seconds>(t - day));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02ld +0000",
                kDays[weekday(day).c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

std::string display_time(WallTime t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(floor<seconds>(t - day));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02ld:%02ld:%02ld UTC",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace herald::notifiers
