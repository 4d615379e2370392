// The configuration watcher's decision, without its thread: what counts as a change of the files
// (a ConfigMap's `..data` symlink swap, a new file matching a rule glob, a runbook edited, a
// secret appearing) and what does not (events on untouched files, a ConfigMap's hidden dirs).
#include "daemon/config_watcher.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace herald::daemon {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "herald-watch-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// What kubelet does to a ConfigMap volume: the files are symlinks through `..data`, which points
// at a timestamped directory; an update writes a new directory and renames a new `..data` link
// over the old one.
void configmap_version(const fs::path& mount, const std::string& version,
                       const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path dir = mount / ("..2026_12_08_" + version);
  for (const auto& [name, text] : files)
    write(dir / name, text);
  fs::create_directory_symlink(dir.filename(), mount / "..data_tmp");
  fs::rename(mount / "..data_tmp", mount / "..data");
  for (const auto& [name, text] : files) {
    if (!fs::is_symlink(mount / name)) fs::create_symlink(fs::path("..data") / name, mount / name);
  }
}

}  // namespace

TEST_CASE("config watcher: a ConfigMap's ..data swap is a change, the same contents are not",
          "[daemon][config_watcher]") {
  TempDir tmp;
  const fs::path mount = tmp.path / "rules";
  configmap_version(mount, "1", {{"llm.yml", "groups: []\n"}});
  const std::vector<std::string> patterns{(mount / "*.yml").string()};
  const std::string v1 = contents_digest(patterns);
  CHECK(contents_digest(patterns) == v1);

  configmap_version(mount, "2", {{"llm.yml", "groups: []\n"}});
  CHECK(contents_digest(patterns) == v1);  // a new version with the same bytes
  configmap_version(mount, "3", {{"llm.yml", "groups: [{name: g, rules: []}]\n"}});
  CHECK(contents_digest(patterns) != v1);
}

TEST_CASE("config watcher: files matching a glob, directories and missing secrets count",
          "[daemon][config_watcher]") {
  TempDir tmp;
  write(tmp.path / "rules" / "a.yml", "a");
  write(tmp.path / "runbooks" / "HighErrorRate.md", "# one");
  const std::vector<std::string> patterns{(tmp.path / "rules" / "*.yml").string(),
                                          (tmp.path / "runbooks").string(),
                                          (tmp.path / "secrets" / "slack_token").string()};
  std::string seen = contents_digest(patterns);
  auto changed = [&] {
    const std::string now = contents_digest(patterns);
    const bool out = now != seen;
    seen = now;
    return out;
  };
  write(tmp.path / "rules" / "b.yml", "b");
  CHECK(changed());  // a new rule file
  write(tmp.path / "rules" / "notes.txt", "x");
  CHECK_FALSE(changed());  // not matched
  write(tmp.path / "runbooks" / "HighErrorRate.md", "# two");
  CHECK(changed());
  write(tmp.path / "runbooks" / "..2026_12_08" / "x.md", "hidden");
  CHECK_FALSE(changed());  // a ConfigMap's own directories are reached through the symlinks
  write(tmp.path / "secrets" / "slack_token", "xoxb-1");
  CHECK(changed());  // a secret that was missing
  fs::remove(tmp.path / "rules" / "a.yml");
  CHECK(changed());
}

TEST_CASE("config watcher: check() reloads once per change and takes the reload's files",
          "[daemon][config_watcher]") {
  TempDir tmp;
  const fs::path config = tmp.path / "herald.yml";
  write(config, "rule_files: [a.yml]\n");
  write(tmp.path / "a.yml", "a");
  write(tmp.path / "b.yml", "b");
  std::vector<std::string> running{config.string(), (tmp.path / "a.yml").string()};
  int reloads = 0;
  ConfigWatcher watcher({.patterns = [&] { return running; },
                         .reload =
                             [&] {
                               ++reloads;
                               running = {config.string(), (tmp.path / "a.yml").string(),
                                          (tmp.path / "b.yml").string()};
                             }},
                        std::chrono::hours(1), std::chrono::seconds(1));
  watcher.start();
  CHECK_FALSE(watcher.check());
  write(tmp.path / "b.yml", "b2");  // not watched yet
  CHECK_FALSE(watcher.check());
  write(config, "rule_files: [a.yml, b.yml]\n");
  CHECK(watcher.check());
  CHECK(reloads == 1);
  CHECK_FALSE(watcher.check());  // b.yml is now part of the baseline, not a second change
  write(tmp.path / "b.yml", "b3");
  CHECK(watcher.check());
  CHECK(reloads == 2);
  watcher.stop();
}

}  // namespace herald::daemon
