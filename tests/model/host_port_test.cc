// "host:port" as Go's net.SplitHostPort and JoinHostPort see it, and listen addresses.
#include "model/host_port.h"

#include <catch2/catch.hpp>

namespace herald {

TEST_CASE("host:port: Go's net.SplitHostPort", "[model]") {
  CHECK(*split_host_port("smtp.example.com:587") == HostPort{"smtp.example.com", "587"});
  CHECK(*split_host_port("[::1]:25") == HostPort{"::1", "25"});
  CHECK(*split_host_port("host:") == HostPort{"host", ""});
  CHECK(split_host_port("host").error() == HostPortError::kMissingPort);
  CHECK(split_host_port("[::1]").error() == HostPortError::kMissingPort);
  CHECK(split_host_port("::1:25").error() == HostPortError::kTooManyColons);
  CHECK(split_host_port("[::1]:25:1").error() == HostPortError::kTooManyColons);
  CHECK(split_host_port("[::1:25").error() == HostPortError::kMissingBracket);
  CHECK(split_host_port("a[b:25").error() == HostPortError::kUnexpectedOpenBracket);
  CHECK(split_host_port("a]b:25").error() == HostPortError::kUnexpectedCloseBracket);
  CHECK(go_reason(HostPortError::kMissingPort) == "missing port in address");
}

TEST_CASE("host:port: joined as net.JoinHostPort, unset as empty", "[model]") {
  CHECK(HostPort{"::1", "25"}.str() == "[::1]:25");
  CHECK(HostPort{"smtp", "25"}.str() == "smtp:25");
  CHECK(HostPort{}.str().empty());
}

TEST_CASE("listen addresses: host:port, :port and [v6]:port; the port is a number", "[model]") {
  CHECK(*parse_listen_address(":9095") == ListenAddress{"0.0.0.0", 9095});
  CHECK(*parse_listen_address("127.0.0.1:0") == ListenAddress{"127.0.0.1", 0});
  CHECK(*parse_listen_address("[::1]:80") == ListenAddress{"::1", 80});
  CHECK_FALSE(parse_listen_address("9095"));
  CHECK_FALSE(parse_listen_address("host:http"));
  CHECK_FALSE(parse_listen_address("host:70000"));
}

}  // namespace herald
