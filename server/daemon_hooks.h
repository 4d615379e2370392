// What the HTTP surfaces read from a running Daemon: every family's hooks filled from its
// runtimes, reloader, history and current configuration.
#pragma once

#include "daemon/daemon.h"
#include "server/http_server.h"

namespace herald::server {

// `d` must outlive the server built from these hooks.
[[nodiscard]] ServerHooks daemon_hooks(daemon::Daemon& d);

}  // namespace herald::server
