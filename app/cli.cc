// Subcommand wiring only; each command's work lives in its own *_command file.
#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/check_command.h"
#include "app/routes_command.h"
#include "app/run_command.h"
#include "app/template_command.h"
#include "config/env.h"
#include "demo/exporter.h"
#include "demo/receiver.h"
#include "model/duration.h"
#include "model/version.h"

namespace herald::app {
namespace {

// What a command's callback writes to, and the exit code it leaves.
struct Io {
  std::ostream& out;
  std::ostream& err;
  int code = 0;
};

// A command line that parsed but does not make sense; reported like CLI11's own errors.
struct UsageError : CLI::ParseError {
  explicit UsageError(std::string message)
      : ParseError("UsageError", std::move(message), CLI::ExitCodes::ValidationError) {}
};

// herald.yml as `--config.file=FILE` or, for the commands that always took it so, as the one
// positional argument: exactly one of the two.
struct ConfigFileArg {
  std::string flag, positional;
  // Throws UsageError unless exactly one was given.
  [[nodiscard]] const std::string& path() const {
    if (flag.empty() && positional.empty())
      throw UsageError("herald.yml is required: --config.file=FILE");
    if (!flag.empty() && !positional.empty()) {
      throw UsageError("herald.yml given twice (--config.file and a FILE argument)");
    }
    return flag.empty() ? positional : flag;
  }
};

void add_config_file(CLI::App* cmd, ConfigFileArg& arg) {
  cmd->add_option("--config.file", arg.flag, "herald.yml");
  cmd->add_option("file", arg.positional, "herald.yml, as --config.file does");
}

// amtool's words for a command that does not exist (CLI11 only says one is required).
void check_command_name(const CLI::App& app, int argc, const char* const* argv) {
  if (argc < 2 || argv[1][0] == '-') return;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->check_name(argv[1])) return;
  }
  throw UsageError("expected command but got \"" + std::string(argv[1]) + "\"");
}

// A Prometheus duration ("30d", "1h30m"), as model/duration.h reads it.
const CLI::Validator kDuration(
    [](const std::string& text) {
      auto d = parse_duration(text);
      return d ? std::string() : d.error().message;
    },
    "DURATION");

void add_check(CLI::App& app, Io& io) {
  auto* check = app.add_subcommand("check", "Validate configuration and rule files");
  check->require_subcommand(1);
  auto* rules = check->add_subcommand("rules", "Validate Prometheus rule files");
  auto files = std::make_shared<std::vector<std::string>>();
  rules->add_option("files", *files, "rule files")->required();
  rules->callback([&io, files] { io.code = check_rules(*files, io.out, io.err); });
  auto* config = check->add_subcommand("config", "Validate herald.yml and its rules");
  auto config_file = std::make_shared<ConfigFileArg>();
  auto dump = std::make_shared<bool>(false);
  add_config_file(config, *config_file);
  config->add_flag("--dump", *dump, "print the effective config (secrets redacted)");
  config->callback([&io, config_file, dump] {
    io.code = check_config(config_file->path(), *dump, config::process_env(), io.out, io.err);
  });
  auto* links = check->add_subcommand(
      "links", "Verify drilldown dashboards and variables, runbooks and dashboard links");
  auto links_file = std::make_shared<ConfigFileArg>();
  add_config_file(links, *links_file);
  links->callback([&io, links_file] {
    io.code = check_links(links_file->path(), config::process_env(), io.out, io.err);
  });
}

void add_run(CLI::App& app, Io& io) {
  auto o = std::make_shared<RunOptions>();
  auto* run = app.add_subcommand("run", "Evaluate rules and serve the API until stopped");
  run->add_option("--config.file", o->config_file, "herald.yml")->capture_default_str();
  run->add_option("--web.listen-address", o->listen_address, "host:port for the HTTP API")
      ->capture_default_str();
  run->add_option("--log.format", o->log_format, "logfmt or json")
      ->check(CLI::IsMember(std::vector<std::string>{"logfmt", "json"}))
      ->capture_default_str();
  run->add_option("--log.level", o->log_level, "debug, info, warn or error")
      ->check(CLI::IsMember(std::vector<std::string>{"debug", "info", "warn", "error"}))
      ->capture_default_str();
  run->add_option("--storage.path", o->storage_path, "SQLite file holding alert state")
      ->capture_default_str();
  run->add_flag("--storage.move-corrupt-aside", o->move_corrupt_aside,
                "if the database is corrupt, rename it to <path>.corrupt-<time> and start empty "
                "(otherwise herald refuses to start)");
  run->add_option("--storage.history-retention", o->history_retention,
                  "how long alert transitions are kept")
      ->check(kDuration)
      ->capture_default_str();
  run->add_option("--evaluation.workers", o->workers, "evaluation threads")->capture_default_str();
  run->add_option("--web.max-request-bytes", o->max_request_bytes,
                  "largest request body accepted (larger: 413 before it is read)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  run->add_option("--web.max-connections", o->max_connections,
                  "open connections; beyond, the one waiting longest is closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  run->add_option("--web.max-connections-per-client", o->max_connections_per_client,
                  "open connections from one address; beyond, its longest-waiting one is closed, "
                  "or the new one gets 429")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  run->add_option("--web.workers", o->web_workers, "threads running HTTP handlers")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  run->add_option("--web.read-header-timeout", o->read_header_timeout,
                  "from a request's first byte to the end of its headers (then 408)")
      ->check(kDuration)
      ->capture_default_str();
  run->add_option("--web.read-timeout", o->read_timeout,
                  "from the end of a request's headers to the end of its body (then 408)")
      ->check(kDuration)
      ->capture_default_str();
  run->add_option("--web.idle-timeout", o->idle_timeout,
                  "how long a kept-alive connection may wait for its next request")
      ->check(kDuration)
      ->capture_default_str();
  run->add_option("--web.write-timeout", o->write_timeout, "to write a whole response")
      ->check(kDuration)
      ->capture_default_str();
  run->add_option("--cluster.shard", o->shard,
                  "evaluate only this shard's rule groups: <index>/<count> (0-based), or auto "
                  "(the index from the StatefulSet ordinal ending $HOSTNAME, the count from "
                  "--cluster.shards)");
  run->add_option("--cluster.shards", o->shards, "the shard count for --cluster.shard=auto");
  run->add_option("--config.watch", o->config_watch,
                  "reload when herald.yml, a rule, template or secret file, or a runbooks or "
                  "dashboards directory changes (inotify, and a check every 10s)")
      ->capture_default_str();
  run->add_option("--shutdown.timeout", o->shutdown_timeout,
                  "after SIGTERM, how long to deliver what is due before exiting (a second "
                  "SIGTERM exits at once; what is left is sent after the next start)")
      ->check(kDuration)
      ->capture_default_str();
  run->callback([&io, o] { io.code = run_daemon(*o); });
}

void add_routes(CLI::App& app, Io& io) {
  auto* routes = app.add_subcommand("routes", "Show the routing tree or test where alerts go");
  routes->require_subcommand(1);
  auto show_file = std::make_shared<std::string>();
  auto* show = routes->add_subcommand("show", "Print the routing tree (as amtool)");
  show->add_option("--config.file", *show_file, "herald.yml")->required();
  show->callback([&io, show_file] { io.code = routes_show(*show_file, io.out, io.err); });
  auto o = std::make_shared<RoutesTestOptions>();
  auto* test = routes->add_subcommand(
      "test", "Print the receivers a label set reaches (as amtool config routes test)");
  test->add_option("--config.file", o->config_file, "herald.yml")->required();
  test->add_flag("--tree", o->tree, "print the matching routes tree first");
  test->add_option("--verify.receivers", o->verify_receivers,
                   "exit 1 unless the label set reaches exactly these (a,b)");
  test->add_option("labels", o->labels, "labels as name=value");
  test->callback([&io, o] { io.code = routes_test(*o, io.out, io.err); });
}

void add_template(CLI::App& app, Io& io) {
  auto o = std::make_shared<TemplateRenderOptions>();
  auto* tmpl = app.add_subcommand("template", "Work with message templates");
  tmpl->require_subcommand(1);
  auto* render = tmpl->add_subcommand(
      "render", "Render a message template against alert data (as amtool template render)");
  render->add_option("--template.glob", o->globs, "template files to load (repeatable)");
  render->add_option("--template.text", o->text, "the template to render")->required();
  render->add_option("--template.data", o->data_file,
                     "JSON template data (the webhook payload's shape); default: an example");
  render->add_option("--template.type", o->type, "text or html")->capture_default_str();
  render->callback([&io, o] { io.code = template_render(*o, io.out, io.err); });
}

void add_demo(CLI::App& app, Io& io) {
  auto exporter_options = std::make_shared<demo::DemoExporterOptions>();
  auto* exporter = app.add_subcommand("demo-exporter", "Serve synthetic LLM-serving metrics");
  exporter
      ->add_option("--web.listen-address", exporter_options->listen_address,
                   "host:port to listen on")
      ->capture_default_str();
  exporter->add_option("--seed", exporter_options->seed, "seed for the metrics' noise")
      ->capture_default_str();
  exporter->callback(
      [&io, exporter_options] { io.code = demo::run_demo_exporter(*exporter_options); });
  auto receiver_options = std::make_shared<demo::DemoReceiverOptions>();
  auto* receiver = app.add_subcommand(
      "demo-receiver", "A local Slack stand-in that prints the messages herald sends it");
  receiver->add_option("--web.listen-address", receiver_options->listen_address, "host:port")
      ->capture_default_str();
  receiver->callback(
      [&io, receiver_options] { io.code = demo::run_demo_receiver(*receiver_options); });
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Io io{out, err};
  CLI::App app{"herald: alert rule evaluator and notification router", "herald"};
  app.require_subcommand(1);
  app.add_subcommand("version", "Print the version")->callback([&io] {
    io.out << "herald " << version() << "\n";
  });
  add_check(app, io);
  add_run(app, io);
  add_routes(app, io);
  add_template(app, io);
  add_demo(app, io);
  try {
    check_command_name(app, argc, argv);
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    // As promtool and amtool: one line naming the mistake, and where to look. Exit 2 keeps a
    // mistyped command apart from a check that found errors (1).
    err << "herald: error: " << e.what() << ", try --help\n";
    return kUsageError;
  }
  return io.code;
}

}  // namespace herald::app
