// ConfigWatcher: reloads herald when a file its configuration came from changes — herald.yml,
// every rule and template file (their glob patterns re-expanded, so a new file counts), and every
// file or directory a `*_file` / `*_dir` field names. inotify watches the directories holding
// them, which is what sees Kubernetes's ConfigMap update: the mount's `..data` symlink is swapped
// to a new directory and no watched file's own inode changes. A scan every `poll` is the fallback
// (inotify is absent on some filesystems, or its watch limit reached).
//
// What decides a reload is a digest of the watched files' contents, not the events: a burst of
// events (an editor's write-rename, a ConfigMap swap touching several files) settles for
// `settle`, and then reloads once if the contents changed. A change that fails to load is not
// retried until the files change again; the running configuration stays, and the reload reports
// the error as every reload does (daemon/reloader.h).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "model/duration.h"

namespace herald::daemon {

struct LoadedConfig;

// The paths a configuration was loaded from, as glob patterns (plain paths are patterns too).
[[nodiscard]] std::vector<std::string> watched_patterns(const LoadedConfig& loaded);

// Every regular file under `patterns` with its contents, hashed in a stable order: a pattern's
// matches, each directory's entries not starting with "." (a ConfigMap mount's `..data` and
// timestamped directories are reached through the entries' symlinks). Unreadable and missing
// paths count as such, so their appearance is a change too.
[[nodiscard]] std::string contents_digest(const std::vector<std::string>& patterns);

class ConfigWatcher {
 public:
  struct Hooks {
    std::function<std::vector<std::string>()> patterns;  // of the running configuration
    std::function<void()> reload;                        // Daemon::reload("file change")
  };
  ConfigWatcher(Hooks hooks, Duration poll, Duration settle);
  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  void start();  // takes the current digest as the baseline, then watches on its own thread
  void stop();
  // Compares the files with the baseline now; reloads and moves the baseline if they changed.
  // Returns whether it reloaded. (The thread calls it; tests call it directly.)
  bool check();

 private:
  // Which events of one watched directory matter: any (a watched directory itself), or those
  // naming a file that matches one of `names` (fnmatch patterns) or a ConfigMap's `..` entries.
  // Others — herald's own database or log beside herald.yml — wake nothing.
  struct Interest {
    bool any = false;
    std::vector<std::string> names;
  };

  void run();
  // Reads the pending inotify events; returns whether any matters.
  bool read_events();
  // Adds an inotify watch on each directory holding or being a watched path and records what
  // matters in each. REQUIRES: mu_ held.
  void watch_directories(const std::vector<std::string>& patterns);

  Hooks hooks_;
  const Duration poll_;
  const Duration settle_;
  int inotify_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd stop() writes to
  std::mutex mu_;
  std::string baseline_;              // GUARDED_BY(mu_)
  std::map<int, Interest> interest_;  // GUARDED_BY(mu_): by watch descriptor
  std::thread thread_;
};

}  // namespace herald::daemon
