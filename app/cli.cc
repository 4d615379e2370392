// Subcommand wiring only; each command's work lives in its own file.
#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace herald::app {

int run_cli(int argc, char** argv) {
  CLI::App app{"herald: alert rule evaluator and notification router"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "herald 0.1.0\n"; });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

}  // namespace herald::app
