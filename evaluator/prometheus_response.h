// Decoding Prometheus HTTP API responses (/api/v1/query, /api/v1/query_range) into QueryResult
// and RangeSeries, with the error classification the evaluator acts on. Pure functions; never
// throw. Thread-safe.
//
// Error codes, by whose fault it is and whether waiting helps:
//   kInvalidInput  the rule's query is at fault; the datasource is fine: errorType bad_data or
//                  execution (e.g. "many-to-many matching not allowed"), or an instant query that
//                  returned a range vector or a string. A rule error; retrying will not help.
//   kUnavailable   the datasource is struggling; retrying may succeed: errorType timeout,
//                  canceled, unavailable, internal; 5xx/408/429 without a Prometheus error body;
//                  a 2xx body that is empty, truncated or not JSON.
//   kRejected      the datasource refuses us until the configuration changes: 4xx without a
//                  recognised errorType (401/403 from an auth proxy, 404 from a wrong path
//                  prefix), or a well-formed JSON reply that is not the Prometheus API's shape.
// Both kUnavailable and kRejected mean "the datasource does not work" (HeraldDatasourceUnreachable
// territory); only kInvalidInput is the rule's own fault.
#pragma once

#include <string>
#include <vector>

#include "evaluator/query_result.h"
#include "model/error.h"
#include "model/http_client.h"

namespace herald::evaluator {

// An /api/v1/query response: `vector` → one sample per series; `scalar` → one unlabelled sample.
[[nodiscard]] Result<QueryResult> decode_query_response(const HttpResponse& response);

// An /api/v1/query_range response: a `matrix`.
[[nodiscard]] Result<std::vector<RangeSeries>> decode_range_response(const HttpResponse& response);

// The first `max_chars` of `body` safe to put in an error: control and non-ASCII bytes become
// '?', whitespace runs collapse to one space; "..." marks a cut.
[[nodiscard]] std::string body_excerpt(std::string_view body, size_t max_chars = 120);

}  // namespace herald::evaluator
