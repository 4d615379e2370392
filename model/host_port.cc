// net.SplitHostPort's rules, in Go's order of checks.
#include "model/host_port.h"

#include <array>
#include <charconv>

namespace herald {

std::string HostPort::str() const {
  if (host.empty() && port.empty()) return "";
  return join_host_port(host, port);
}

std::string_view go_reason(HostPortError e) {
  // In HostPortError's order.
  static constexpr std::array<std::string_view, 5> kReasons = {
      "missing port in address", "too many colons in address", "missing ']' in address",
      "unexpected '[' in address", "unexpected ']' in address"};
  return kReasons[static_cast<size_t>(e)];
}

tl::expected<HostPort, HostPortError> split_host_port(std::string_view hp) {
  using E = HostPortError;
  const size_t i = hp.rfind(':');
  if (i == std::string_view::npos) return tl::unexpected(E::kMissingPort);
  HostPort out;
  size_t j = 0, k = 0;
  if (!hp.empty() && hp[0] == '[') {
    const size_t end = hp.find(']');
    if (end == std::string_view::npos) return tl::unexpected(E::kMissingBracket);
    if (end + 1 == hp.size()) return tl::unexpected(E::kMissingPort);
    if (end + 1 != i) {
      return tl::unexpected(hp[end + 1] == ':' ? E::kTooManyColons : E::kMissingPort);
    }
    out.host = std::string(hp.substr(1, end - 1));
    j = 1;
    k = end + 1;
  } else {
    out.host = std::string(hp.substr(0, i));
    if (out.host.find(':') != std::string::npos) return tl::unexpected(E::kTooManyColons);
  }
  if (hp.substr(j).find('[') != std::string_view::npos)
    return tl::unexpected(E::kUnexpectedOpenBracket);
  if (hp.substr(k).find(']') != std::string_view::npos)
    return tl::unexpected(E::kUnexpectedCloseBracket);
  out.port = std::string(hp.substr(i + 1));
  return out;
}

std::string join_host_port(std::string_view host, std::string_view port) {
  if (host.find(':') != std::string_view::npos) {
    return "[" + std::string(host) + "]:" + std::string(port);
  }
  return std::string(host) + ":" + std::string(port);
}

Result<ListenAddress> parse_listen_address(std::string_view address) {
  const std::string shown = "listen address \"" + std::string(address) + "\"";
  auto hp = split_host_port(address);
  if (!hp) return invalid_input(shown + ": " + std::string(go_reason(hp.error())));
  ListenAddress out{hp->host.empty() ? "0.0.0.0" : hp->host, 0};
  const std::string& port = hp->port;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || out.port < 0 ||
      out.port > 65535) {
    return invalid_input(shown + ": bad port \"" + port + "\"");
  }
  return out;
}

}  // namespace herald
