// Classifying an integration's HTTP answer (docs/architecture.md "Notifier anatomy"):
// Alertmanager's retry rule (notify/util.go Retrier.Check) with herald's additions
// (docs/compatibility.md "Alertmanager notification pipeline") — 429 is retried for every
// integration and Retry-After is honoured. Pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/clock.h"
#include "model/error.h"
#include "model/error_text.h"
#include "model/http_client.h"
#include "model/notifier.h"

namespace herald::notifiers {

// 2xx → kDelivered; 429 and 5xx → kRetry with the Retry-After header when it parses; any other
// status → kPermanent; a transport error (kUnavailable) → kRetry, any other error → kPermanent.
// The error text is "<integration>: http 503 Service Unavailable: <body excerpt>" or
// "<integration>: <transport error>". Every occurrence of each of `secrets` (the URL, its path and
// query, credentials) in the body or the transport error is replaced with "<redacted>" first, so
// a peer that echoes the request cannot leak them into the error. `now` dates an HTTP-date
// Retry-After.
[[nodiscard]] DeliveryResult classify_http(std::string_view integration,
                                           const Result<HttpResponse>& response, WallTime now,
                                           std::span<const std::string> secrets = {});

// RFC 9110 §10.2.3 Retry-After: delay-seconds, or an HTTP-date (IMF-fixdate, RFC 850 or asctime)
// taken relative to `now`. nullopt for garbage, a negative or overflowing delay, or a date that is
// not in the future (the outbox's own backoff applies then).
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                    WallTime now);

// Go's http.StatusText: "Service Unavailable" for 503, "" for an unknown code.
[[nodiscard]] std::string_view http_status_text(int status);

}  // namespace herald::notifiers
