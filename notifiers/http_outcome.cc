// Status → outcome, Retry-After parsing and error text for HTTP integrations.
#include "notifiers/http_outcome.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/go_json.h"
#include "model/time_format.h"
#include "model/trim.h"

namespace herald::notifiers {
namespace {

using std::chrono::seconds;

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<seconds> parse_retry_after(std::string_view value, WallTime now) {
  value = trim(value, kBlank);
  if (is_digits(value)) {
    int64_t delay = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), delay);
    if (ec != std::errc() || p != value.data() + value.size()) return std::nullopt;
    return seconds(delay);
  }
  const Result<WallTime> date = parse_http_date(value);
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
