// The herald command line: `herald run|check|demo-exporter|version …` (CLI11, Prometheus-style
// `--flag.name=value` flags). Returns the process exit code.
#pragma once

namespace herald::app {

int run_cli(int argc, char** argv);

}  // namespace herald::app
