// The command line's contract: herald.yml as --config.file everywhere (or the positional FILE
// where there always was one), and every usage error one line on stderr with exit code 2.
#include "app/cli.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace herald::app {
namespace {

const std::string kRoot = HERALD_SOURCE_DIR;

struct Run {
  int code = 0;
  std::string out, err;
};

Run cli(std::vector<std::string> args) {
  args.insert(args.begin(), "herald");
  std::vector<const char*> argv;
  for (const std::string& a : args)
    argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("cli: usage errors are one line pointing at --help, exit 2", "[app]") {
  const auto args =
      GENERATE(as<std::vector<std::string>>{},  //
               std::vector<std::string>{}, std::vector<std::string>{"frob"},
               std::vector<std::string>{"check"}, std::vector<std::string>{"check", "links"},
               std::vector<std::string>{"check", "links", "a.yml", "b.yml"},
               std::vector<std::string>{"check", "config", "--config.file=a.yml", "b.yml"},
               std::vector<std::string>{"check", "rules", "--bogus", "r.yml"},
               std::vector<std::string>{"routes", "show"},
               std::vector<std::string>{"run", "--log.level=loud"},
               std::vector<std::string>{"run", "--storage.history-retention=5x"},
               std::vector<std::string>{"template", "render"});
  CAPTURE(args);
  const Run r = cli(args);
  CHECK(r.code == kUsageError);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("herald: error: "));
  CHECK(r.err.ends_with(", try --help\n"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("cli: an unknown command is named", "[app]") {
  CHECK(cli({"frob"}).err == "herald: error: expected command but got \"frob\", try --help\n");
}

TEST_CASE("cli: check config and check links take herald.yml as --config.file or FILE", "[app]") {
  const std::string good = kRoot + "/tests/fixtures/links/good.yml";
  for (const char* command : {"config", "links"}) {
    CAPTURE(command);
    const Run positional = cli({"check", command, good});
    const Run flag = cli({"check", command, "--config.file=" + good});
    CHECK(positional.code == 0);
    CHECK(flag.code == positional.code);
    CHECK(flag.out == positional.out);
    CHECK(flag.err == positional.err);
  }
  const Run missing = cli({"check", "links", "--config.file=/nonexistent/herald.yml"});
  CHECK(missing.code == 1);  // a file that cannot be read is a failed check, not a usage error
}

TEST_CASE("cli: help and version exit 0 on stdout", "[app]") {
  const Run help = cli({"check", "links", "--help"});
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("--config.file"));
  CHECK(help.err.empty());
  const Run version = cli({"version"});
  CHECK(version.code == 0);
  CHECK(version.out.starts_with("herald "));
}

}  // namespace herald::app
