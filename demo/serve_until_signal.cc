// Foreground serving for the demo tools: address parsing, binding, and a signal-waiting thread.
#include "demo/serve_until_signal.h"

#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "model/host_port.h"

namespace herald::demo {
namespace {

// Stops `server` on SIGINT/SIGTERM. The signals must already be blocked in every thread;
// polling with a timeout lets the thread also end when the server stops on its own.
void wait_for_signal(httplib::Server& server, const std::atomic<bool>& done) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const timespec timeout{0, 200'000'000};
  while (!done) {
    if (sigtimedwait(&set, nullptr, &timeout) > 0) {
      server.stop();
      return;
    }
  }
}

}  // namespace

int serve_until_signal(httplib::Server& server, const std::string& listen_address,
                       const std::string& name) {
  auto address = parse_listen_address(listen_address);
  if (!address) {
    std::cerr << name << ": " << address.error().message << "\n";
    return 2;
  }
  // Block the stop signals before the server's threads exist so only wait_for_signal gets them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int port = address->port;
  const bool bound = port == 0 ? (port = server.bind_to_any_port(address->host)) > 0
                               : server.bind_to_port(address->host, port);
  if (!bound) {
    std::cerr << name << ": cannot listen on " << listen_address << "\n";
    return 1;
  }
  std::cout << "listening on http://" << address->host << ":" << port << std::endl;
  std::atomic<bool> done{false};
  std::thread signals([&] { wait_for_signal(server, done); });
  const bool ok = server.listen_after_bind();
  done = true;
  signals.join();
  return ok ? 0 : 1;
}

}  // namespace herald::demo
