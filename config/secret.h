// Secret: a credential held in memory. Every way of printing it gives "<secret>", so a secret
// cannot leak into an error, a log line or a config dump by accident (docs/architecture.md
// "Secrets").
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace herald::config {

class Secret {
 public:
  static constexpr std::string_view kRedacted = "<secret>";

  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  // The only way to the secret text; named so that every use is easy to find in review.
  [[nodiscard]] const std::string& reveal() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }
  [[nodiscard]] std::string to_string() const { return std::string(kRedacted); }

  friend bool operator==(const Secret&, const Secret&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Secret&) { return os << kRedacted; }

 private:
  std::string value_;
};

}  // namespace herald::config
