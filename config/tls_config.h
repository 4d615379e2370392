// `tls_config` (prometheus/common config.TLSConfig's file-based subset), shared by datasources and
// receivers' http_config: the transports' own settings type.
#pragma once

#include "model/tls_options.h"

namespace herald::config {

using TlsConfig = herald::TlsOptions;

}  // namespace herald::config
