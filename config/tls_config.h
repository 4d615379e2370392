// TLS client settings (prometheus/common config.TLSConfig's file-based subset), shared by
// datasources and receivers' http_config.
#pragma once

#include <string>

namespace herald::config {

struct TlsConfig {
  std::string ca_file;  // paths: read at use time, so rotated certificates are picked up
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
};

}  // namespace herald::config
