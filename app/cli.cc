// Subcommand wiring only; each command's work lives in its own file.
#include "app/cli.h"

#include "app/demo_exporter.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace herald::app {

int run_cli(int argc, char** argv) {
  CLI::App app{"herald: alert rule evaluator and notification router"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "herald 0.1.0\n"; });
  DemoExporterOptions demo;
  auto* exporter = app.add_subcommand("demo-exporter", "Serve synthetic LLM-serving metrics");
  exporter->add_option("--web.listen-address", demo.listen_address, "host:port to listen on")
      ->capture_default_str();
  exporter->add_option("--seed", demo.seed, "seed for the metrics' noise")->capture_default_str();
  int code = 0;
  exporter->callback([&] { code = run_demo_exporter(demo); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return code;
}

}  // namespace herald::app
