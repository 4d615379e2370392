// Subcommand wiring only; each command's work lives in its own file.
#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/check_command.h"
#include "app/demo_exporter.h"
#include "app/demo_receiver.h"
#include "app/routes_command.h"
#include "app/run_command.h"
#include "app/template_command.h"
#include "app/version.h"

namespace herald::app {

int run_cli(int argc, char** argv) {
  CLI::App app{"herald: alert rule evaluator and notification router"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "herald " << kVersion << "\n"; });
  int code = 0;
  auto* check = app.add_subcommand("check", "Validate configuration and rule files");
  check->require_subcommand(1);
  std::vector<std::string> rule_files;
  auto* check_rules_cmd = check->add_subcommand("rules", "Validate Prometheus rule files");
  check_rules_cmd->add_option("files", rule_files, "rule files")->required();
  check_rules_cmd->callback([&] { code = check_rules(rule_files, std::cout, std::cerr); });
  std::string config_file;
  bool dump = false;
  auto* check_config_cmd = check->add_subcommand("config", "Validate herald.yml and its rules");
  check_config_cmd->add_option("file", config_file, "herald.yml")->required();
  check_config_cmd->add_flag("--dump", dump, "print the effective config (secrets redacted)");
  check_config_cmd->callback(
      [&] { code = check_config(config_file, dump, config::process_env(), std::cout, std::cerr); });
  std::string links_config;
  auto* check_links_cmd = check->add_subcommand(
      "links", "Verify drilldown dashboards and variables, runbooks and dashboard links");
  check_links_cmd->add_option("file", links_config, "herald.yml")->required();
  check_links_cmd->callback(
      [&] { code = check_links(links_config, config::process_env(), std::cout, std::cerr); });

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Evaluate rules and serve the API until stopped");
  run_cmd->add_option("--config.file", run.config_file, "herald.yml")->capture_default_str();
  run_cmd->add_option("--web.listen-address", run.listen_address, "host:port for the HTTP API")
      ->capture_default_str();
  run_cmd->add_option("--log.format", run.log_format, "logfmt or json")->capture_default_str();
  run_cmd->add_option("--log.level", run.log_level, "debug, info, warn or error")
      ->capture_default_str();
  run_cmd->add_option("--storage.path", run.storage_path, "SQLite file holding alert state")
      ->capture_default_str();
  run_cmd->add_flag("--storage.move-corrupt-aside", run.move_corrupt_aside,
                    "if the database is corrupt, rename it to <path>.corrupt-<time> and start "
                    "empty (otherwise herald refuses to start)");
  run_cmd
      ->add_option("--storage.history-retention", run.history_retention,
                   "how long alert transitions are kept")
      ->capture_default_str();
  run_cmd->add_option("--evaluation.workers", run.workers, "evaluation threads")
      ->capture_default_str();
  run_cmd->callback([&] { code = run_daemon(run); });

  std::string routes_config;
  auto* routes = app.add_subcommand("routes", "Show the routing tree or test where alerts go");
  routes->require_subcommand(1);
  auto* routes_show_cmd = routes->add_subcommand("show", "Print the routing tree (as amtool)");
  routes_show_cmd->add_option("--config.file", routes_config, "herald.yml")->required();
  routes_show_cmd->callback([&] { code = routes_show(routes_config, std::cout, std::cerr); });
  RoutesTestOptions rt;
  auto* routes_test_cmd = routes->add_subcommand(
      "test", "Print the receivers a label set reaches (as amtool config routes test)");
  routes_test_cmd->add_option("--config.file", rt.config_file, "herald.yml")->required();
  routes_test_cmd->add_flag("--tree", rt.tree, "print the matching routes tree first");
  routes_test_cmd->add_option("--verify.receivers", rt.verify_receivers,
                              "exit 1 unless the label set reaches exactly these (a,b)");
  routes_test_cmd->add_option("labels", rt.labels, "labels as name=value");
  routes_test_cmd->callback([&] { code = routes_test(rt, std::cout, std::cerr); });

  DemoExporterOptions demo;
  auto* exporter = app.add_subcommand("demo-exporter", "Serve synthetic LLM-serving metrics");
  exporter->add_option("--web.listen-address", demo.listen_address, "host:port to listen on")
      ->capture_default_str();
  exporter->add_option("--seed", demo.seed, "seed for the metrics' noise")->capture_default_str();
  exporter->callback([&] { code = run_demo_exporter(demo); });
  DemoReceiverOptions receiver;
  auto* receiver_cmd = app.add_subcommand(
      "demo-receiver", "A local Slack stand-in that prints the messages herald sends it");
  receiver_cmd->add_option("--web.listen-address", receiver.listen_address, "host:port")
      ->capture_default_str();
  receiver_cmd->callback([&] { code = run_demo_receiver(receiver); });
  TemplateRenderOptions render;
  auto* template_cmd = app.add_subcommand("template", "Work with message templates");
  template_cmd->require_subcommand(1);
  auto* render_cmd = template_cmd->add_subcommand(
      "render", "Render a message template against alert data (as amtool template render)");
  render_cmd->add_option("--template.glob", render.globs, "template files to load (repeatable)");
  render_cmd->add_option("--template.text", render.text, "the template to render")->required();
  render_cmd->add_option("--template.data", render.data_file,
                         "JSON template data (the webhook payload's shape); default: an example");
  render_cmd->add_option("--template.type", render.type, "text or html")->capture_default_str();
  render_cmd->callback([&] { code = template_render(render, std::cout, std::cerr); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return code;
}

}  // namespace herald::app
