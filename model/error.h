// Error, Result<T> and Status: how every herald module reports failure (docs/architecture.md
// "Errors"). An Error is a code plus a human message; context is prepended as it travels up.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace herald {

enum class ErrorCode {
  kInvalidInput,  // the caller's input is wrong; fix the input
  kNotFound,
  kUnavailable,  // transient: retrying may succeed
  kRejected,     // permanent refusal by a peer
  kInternal,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // Returns this error with "context: " prepended, e.g. `rule "X": query: http 503`.
  [[nodiscard]] Error with_context(std::string_view context) const {
    return Error{code, std::string(context) + ": " + message};
  }
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

[[nodiscard]] inline tl::unexpected<Error> make_error(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}
[[nodiscard]] inline tl::unexpected<Error> invalid_input(std::string message) {
  return make_error(ErrorCode::kInvalidInput, std::move(message));
}
[[nodiscard]] inline tl::unexpected<Error> unavailable(std::string message) {
  return make_error(ErrorCode::kUnavailable, std::move(message));
}

}  // namespace herald
