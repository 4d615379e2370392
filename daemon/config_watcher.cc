// Watching the configuration's files: inotify on their directories, a content digest, a poll.
#include "daemon/config_watcher.h"

#include <fnmatch.h>
#include <glob.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "daemon/config_loader.h"
#include "daemon/log.h"
#include "notifiers/sha256.h"

namespace herald::daemon {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> expand(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i)
      out.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

// One path's part of the digest: a file's contents, a directory's visible files' (one level, as
// the runbooks and dashboards directories are read), or what kept us from reading it.
void add_path(const std::string& path, std::string& out) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);  // follows symlinks, as every reader does
  out += path;
  out += '\0';
  if (ec || !fs::exists(st)) {
    out += "missing\n";
  } else if (fs::is_directory(st)) {
    std::set<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
      const std::string name = e.path().filename().string();
      if (!name.starts_with(".")) names.insert(e.path().string());
    }
    for (const std::string& name : names) {
      if (fs::is_regular_file(name, ec)) add_path(name, out);
    }
  } else if (std::ifstream in(path, std::ios::binary); in) {
    std::ostringstream text;
    text << in.rdbuf();
    out += notifiers::sha256_hex(text.str()) + "\n";
  } else {
    out += "unreadable\n";
  }
}

int millis(Duration d) {
  return static_cast<int>(d.count());
}

}  // namespace

std::vector<std::string> watched_patterns(const LoadedConfig& loaded) {
  const config::Config& c = loaded.config;
  std::vector<std::string> out{c.path};
  for (const config::RuleFilePattern& p : c.rule_files)
    out.push_back(p.pattern);
  out.insert(out.end(), c.routing.templates.begin(), c.routing.templates.end());
  out.insert(out.end(), c.referenced_paths.begin(), c.referenced_paths.end());
  return out;
}

std::string contents_digest(const std::vector<std::string>& patterns) {
  std::string all;
  for (const std::string& pattern : patterns) {
    std::vector<std::string> paths = expand(pattern);
    if (paths.empty()) paths.push_back(pattern);  // reported as missing
    for (const std::string& p : paths)
      add_path(p, all);
  }
  return notifiers::sha256_hex(all);
}

ConfigWatcher::ConfigWatcher(Hooks hooks, Duration poll, Duration settle)
    : hooks_(std::move(hooks)), poll_(poll), settle_(settle) {}

ConfigWatcher::~ConfigWatcher() {
  stop();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void ConfigWatcher::start() {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    log_event(LogLevel::kWarn, "inotify unavailable; configuration files are checked every poll",
              {{"poll", format_duration(poll_)}});
  }
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  {
    std::lock_guard lock(mu_);
    const std::vector<std::string> patterns = hooks_.patterns();
    watch_directories(patterns);
    baseline_ = contents_digest(patterns);
  }
  thread_ = std::thread([this] { run(); });
}

void ConfigWatcher::stop() {
  if (!thread_.joinable()) return;
  const uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  thread_.join();
}

void ConfigWatcher::watch_directories(const std::vector<std::string>& patterns) {
  if (inotify_fd_ < 0) return;
  constexpr uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
                               IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;
  interest_.clear();
  // Repeating a watch on the same directory returns the same descriptor: nothing accumulates.
  auto watch = [&](const std::string& dir) {
    return ::inotify_add_watch(inotify_fd_, dir.empty() ? "." : dir.c_str(), kEvents);
  };
  for (const std::string& pattern : patterns) {
    // A pattern's glob characters are in its file name (herald's own rule_files and templates
    // use them so); its directory is where matching files appear and go.
    const fs::path p(pattern);
    if (const int wd = watch(p.parent_path().string()); wd >= 0) {
      interest_[wd].names.push_back(p.filename().string());
    }
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      if (const int wd = watch(pattern); wd >= 0) interest_[wd].any = true;
    }
  }
}

bool ConfigWatcher::read_events() {
  alignas(inotify_event) std::array<char, 16384> buf{};
  bool matters = false;
  std::lock_guard lock(mu_);
  for (;;) {
    const ssize_t n = ::read(inotify_fd_, buf.data(), buf.size());
    if (n <= 0) return matters;
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf.data() + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if ((e->mask & IN_Q_OVERFLOW) != 0) {
        matters = true;  // events were lost: look
        continue;
      }
      const auto it = interest_.find(e->wd);
      if (it == interest_.end()) continue;
      const std::string name = e->len > 0 ? e->name : "";
      if (it->second.any || name.empty() || name.starts_with("..")) {
        matters = true;
        continue;
      }
      for (const std::string& pattern : it->second.names) {
        if (::fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0) matters = true;
      }
    }
  }
}

bool ConfigWatcher::check() {
  {
    std::lock_guard lock(mu_);
    std::vector<std::string> patterns = hooks_.patterns();
    watch_directories(patterns);
    if (contents_digest(patterns) == baseline_) return false;
  }
  log_event(LogLevel::kInfo, "configuration files changed; reloading", {});
  hooks_.reload();
  // The reload may have named other files (a new rule file): they are the baseline now.
  std::lock_guard lock(mu_);
  const std::vector<std::string> patterns = hooks_.patterns();
  watch_directories(patterns);
  baseline_ = contents_digest(patterns);
  return true;
}

void ConfigWatcher::run() {
  using Clock = std::chrono::steady_clock;
  std::array<pollfd, 2> fds{pollfd{wake_fd_, POLLIN, 0}, pollfd{inotify_fd_, POLLIN, 0}};
  // The fallback scan runs every `poll_` whatever else happens; events that matter check sooner.
  auto next_scan = Clock::now() + poll_;
  for (;;) {
    const auto left = std::chrono::duration_cast<Duration>(next_scan - Clock::now());
    if (::poll(fds.data(), fds.size(), millis(std::max(left, Duration::zero()))) < 0 &&
        errno != EINTR) {
      return;
    }
    if (fds[0].revents != 0) return;
    bool due = Clock::now() >= next_scan;
    if (fds[1].revents != 0 && read_events()) {
      // Settle: a burst (a ConfigMap swap, an editor's write and rename) becomes one check, made
      // once nothing happened for a fifth of `settle`, and at least `settle` after the first
      // event (at most five times that).
      const auto first = Clock::now();
      for (;;) {
        const auto since = Clock::now() - first;
        if (since > 5 * settle_) break;
        const Duration wait =
            std::max(settle_ / 5, std::chrono::duration_cast<Duration>(settle_ - since));
        if (::poll(fds.data(), fds.size(), millis(wait)) == 0) break;
        if (fds[0].revents != 0) return;
        (void)read_events();
      }
      due = true;
    }
    if (!due) continue;
    (void)check();
    next_scan = Clock::now() + poll_;
  }
}

}  // namespace herald::daemon
