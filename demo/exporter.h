// `herald demo-exporter`: serves realistic synthetic metrics for an LLM-serving stack (vLLM-style
// model metrics, DCGM GPU memory, FastAPI HTTP metrics) plus an HTTP control API that injects and
// clears incidents, so the demo and the integration tests can make each shipped alert fire.
#pragma once

#include <cstdint>
#include <string>

namespace herald::demo {

struct DemoExporterOptions {
  std::string listen_address = "127.0.0.1:9101";  // host:port; port 0 picks a free port
  uint64_t seed = 1;                              // noise is deterministic per seed
};

// Serves until SIGINT/SIGTERM. Prints "listening on http://HOST:PORT" to stdout once bound.
// Returns the process exit code.
int run_demo_exporter(const DemoExporterOptions& options);

}  // namespace herald::demo
