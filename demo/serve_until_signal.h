// Serving a small HTTP tool (the demo exporter, the demo receiver) in the foreground until SIGINT
// or SIGTERM.
#pragma once

#include <httplib.h>

#include <string>

namespace herald::demo {

// Binds `listen_address` (host:port; port 0 picks a free one), prints "listening on
// http://HOST:PORT" (flushed) once bound, serves until SIGINT/SIGTERM and returns the exit code:
// 0 after a signal, 1 when it cannot listen, 2 for a bad address. `name` prefixes error messages.
int serve_until_signal(httplib::Server& server, const std::string& listen_address,
                       const std::string& name);

}  // namespace herald::demo
