// TLS client settings, the file-based subset of prometheus/common's TLSConfig: what herald.yml's
// `tls_config` holds and what the HTTP and SMTP transports are given. Paths are read at use time,
// so rotated certificates are picked up. Plain data.
#pragma once

#include <string>

namespace herald {

struct TlsOptions {
  std::string ca_file{};      // PEM bundle to verify the server with; empty = system store
  std::string cert_file{};    // client certificate (mutual TLS)
  std::string key_file{};     // its private key
  std::string server_name{};  // name to verify (and send as SNI) instead of the URL's host
  bool insecure_skip_verify = false;
  friend auto operator<=>(const TlsOptions&, const TlsOptions&) = default;
};

}  // namespace herald
