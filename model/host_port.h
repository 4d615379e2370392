// "host:port" addresses as Go's net.SplitHostPort and net.JoinHostPort read and write them
// ("[::1]:9095" for IPv6). Shared by listen addresses, smarthosts and the template functions.
// Pure.
#pragma once

#include <string>
#include <string_view>

#include "model/error.h"

namespace herald {

struct HostPort {
  std::string host;  // without brackets
  std::string port;  // as written: a number or a service name; may be empty ("host:")
  // net.JoinHostPort, or "" when both parts are empty (an unset address).
  [[nodiscard]] std::string str() const;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// Why net.SplitHostPort refused an address.
enum class HostPortError {
  kMissingPort,
  kTooManyColons,
  kMissingBracket,
  kUnexpectedOpenBracket,
  kUnexpectedCloseBracket,
};

// Go's reason text: "missing port in address", "too many colons in address", …
[[nodiscard]] std::string_view go_reason(HostPortError e);

// net.SplitHostPort. An empty port ("host:") is accepted, as Go does.
[[nodiscard]] tl::expected<HostPort, HostPortError> split_host_port(std::string_view hostport);

// net.JoinHostPort: brackets a host that contains ':'.
[[nodiscard]] std::string join_host_port(std::string_view host, std::string_view port);

// A listen address, "host:port", ":port" or "[::1]:port": the host ("0.0.0.0" when empty, for
// every interface) and a port number 0–65535 (0 picks a free one). Errors name the address.
struct ListenAddress {
  std::string host;
  int port = 0;
  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};
[[nodiscard]] Result<ListenAddress> parse_listen_address(std::string_view address);

}  // namespace herald
