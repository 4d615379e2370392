// The herald command line: `herald run|check|routes|template|demo-exporter|demo-receiver|version`
// (CLI11, Prometheus-style `--flag.name=value` flags). Every command that reads herald.yml takes
// `--config.file`. A usage error prints one line, "herald: error: <what>, try --help", and exits
// 2; otherwise the exit code is the command's.
#pragma once

#include <iosfwd>

namespace herald::app {

// Exit code of a command line that could not be parsed.
inline constexpr int kUsageError = 2;

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace herald::app
