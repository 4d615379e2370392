// Status → outcome, Retry-After parsing and error text for HTTP integrations.
#include "notifiers/http_outcome.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/go_json.h"

namespace herald::notifiers {
namespace {

using std::chrono::seconds;

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  if (!is_digits(s)) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<unsigned> month_number(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (kMonths[i] == m) return i + 1;
  return std::nullopt;
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ')
      ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ')
      ++i;
    if (i > start) parts.push_back(s.substr(start, i - start));
  }
  return parts;
}

// "HH:MM:SS" → seconds of the day.
std::optional<seconds> parse_clock(std::string_view s) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  auto h = to_int(s.substr(0, 2)), m = to_int(s.substr(3, 2)), sec = to_int(s.substr(6, 2));
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
  return seconds(*h * 3600 + *m * 60 + *sec);
}

std::optional<WallTime> make_time(int year, std::optional<unsigned> month, std::optional<int> day,
                                  std::optional<seconds> clock) {
  using namespace std::chrono;
  if (!month || !day || !clock) return std::nullopt;
  const year_month_day ymd{std::chrono::year(year), std::chrono::month(*month),
                           std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok()) return std::nullopt;
  return WallTime(sys_days(ymd).time_since_epoch() + *clock);
}

// The three HTTP-date forms of RFC 7231 §7.1.1.1, GMT only.
std::optional<WallTime> parse_http_date(std::string_view s) {
  const auto parts = split_spaces(s);
  if (parts.size() == 6 && parts[0].size() == 4 && parts[0][3] == ',' && parts[5] == "GMT") {
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    auto year = to_int(parts[3]);
    if (!year || parts[3].size() != 4) return std::nullopt;
    return make_time(*year, month_number(parts[2]), to_int(parts[1]), parse_clock(parts[4]));
  }
  if (parts.size() == 4 && parts[0].ends_with(',') && parts[3] == "GMT" && parts[1].size() == 9 &&
      parts[1][2] == '-' && parts[1][6] == '-') {
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT. Two-digit years: RFC 7231 says to pick the one
    // not more than 50 years ahead; herald takes 70–99 as 19xx and 00–69 as 20xx.
    auto yy = to_int(parts[1].substr(7, 2));
    if (!yy) return std::nullopt;
    return make_time(*yy >= 70 ? 1900 + *yy : 2000 + *yy, month_number(parts[1].substr(3, 3)),
                     to_int(parts[1].substr(0, 2)), parse_clock(parts[2]));
  }
  if (parts.size() == 5 && parts[0].size() == 3) {
    // asctime: Sun Nov  6 08:49:37 1994
    auto year = to_int(parts[4]);
    if (!year || parts[4].size() != 4 || parts[2].size() > 2) return std::nullopt;
    return make_time(*year, month_number(parts[1]), to_int(parts[2]), parse_clock(parts[3]));
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<seconds> parse_retry_after(std::string_view value, WallTime now) {
  value = trim(value);
  if (is_digits(value)) {
    int64_t delay = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), delay);
    if (ec != std::errc() || p != value.data() + value.size()) return std::nullopt;
    return seconds(delay);
  }
  const auto date = parse_http_date(value);
  if (!date || *date <= now) return std::nullopt;
  return std::chrono::ceil<seconds>(*date - now);
}

std::string_view http_status_text(int status) {
  static constexpr std::pair<int, std::string_view> kTexts[] = {
      {100, "Continue"},
      {101, "Switching Protocols"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {413, "Request Entity Too Large"},
      {414, "Request URI Too Long"},
      {415, "Unsupported Media Type"},
      {422, "Unprocessable Entity"},
      {425, "Too Early"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {505, "HTTP Version Not Supported"},
      {507, "Insufficient Storage"},
      {508, "Loop Detected"},
      {511, "Network Authentication Required"},
  };
  for (const auto& [code, text] : kTexts)
    if (code == status) return text;
  return "";
}

std::string error_excerpt(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    size_t cut = max_bytes;
    // Back up over continuation bytes so a multi-byte character is not split.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    text = text.substr(0, cut);
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      char32_t rune = 0;
      const size_t n = utf8_sequence(text.substr(i), rune);
      if (n == 0) {
        out += ' ';
        continue;
      }
      out.append(text.substr(i, n));
      i += n - 1;
    }
  }
  return std::string(trim(out));
}

std::string redact(std::string text, std::span<const std::string> secrets) {
  std::vector<std::string_view> sorted(secrets.begin(), secrets.end());
  std::sort(sorted.begin(), sorted.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  static constexpr std::string_view kRedacted = "<redacted>";
  for (std::string_view secret : sorted) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + kRedacted.size()))
      text.replace(pos, secret.size(), kRedacted);
  }
  return text;
}

DeliveryResult classify_http(std::string_view integration, const Result<HttpResponse>& response,
                             WallTime now, std::span<const std::string> secrets) {
  DeliveryResult result;
  if (!response) {
    result.outcome = response.error().code == ErrorCode::kUnavailable ? DeliveryOutcome::kRetry
                                                                      : DeliveryOutcome::kPermanent;
    result.error = std::string(integration) + ": " +
                   error_excerpt(redact(response.error().message, secrets), 400);
    return result;
  }
  const int status = response->status;
  if (status / 100 == 2) return result;
  const bool retry = status == 429 || status / 100 == 5;
  result.outcome = retry ? DeliveryOutcome::kRetry : DeliveryOutcome::kPermanent;
  if (retry) {
    if (auto header = response->header("Retry-After"))
      result.retry_after = parse_retry_after(*header, now);
  }
  result.error = std::string(integration) + ": http " + std::to_string(status);
  if (auto text = http_status_text(status); !text.empty()) (result.error += ' ') += text;
  if (auto excerpt = error_excerpt(redact(response->body, secrets)); !excerpt.empty())
    result.error += ": " + excerpt;
  return result;
}

}  // namespace herald::notifiers
