// RouterRuntime's deliveries against a peer that accepts requests and never answers: it holds
// only its own integration's sends, and a healthy receiver routed beside it gets every
// notification at once (before this, the hung peer took all four shared workers).
#include "daemon/router_runtime.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace herald::daemon {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "herald-router-runtime-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

// Requests to http://hung.test/ block until release(); every other one is answered 200.
class HangingHttp final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    std::unique_lock lock(mu_);
    if (request.url.starts_with("http://hung.test/")) {
      ++hung_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return released_; });
      ++hung_answered_;
    } else {
      ++healthy_;
    }
    cv_.notify_all();
    return HttpResponse{200, {}, ""};
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  // Waits up to 10 s for `done`, called with the counts (hung in flight, healthy, hung answered).
  template <typename Pred>
  bool wait(Pred done) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s,
                        [&] { return done(hung_ - hung_answered_, healthy_, hung_answered_); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  int hung_ = 0, healthy_ = 0, hung_answered_ = 0;
};

const char* kConfig = R"(datasources: [{name: prometheus, url: 'http://127.0.0.1:1'}]
rule_files: []
route:
  receiver: healthy
  group_by: [instance]
  group_wait: 0s
  group_interval: 1h
  routes:
    - {matchers: ['alertname="Down"'], receiver: hung, continue: true}
    - {matchers: ['alertname="Down"'], receiver: healthy}
receivers:
  - name: hung
    webhook_configs: [{url: 'http://hung.test/hook'}]
  - name: healthy
    webhook_configs: [{url: 'http://healthy.test/hook'}]
)";

}  // namespace

TEST_CASE("router runtime: a peer that never answers delays no other receiver", "[daemon]") {
  TempDir dir;
  std::ofstream(dir.path / "herald.yml") << kConfig;
  const LoadAttempt load = load_configuration((dir.path / "herald.yml").string());
  INFO(describe_errors(load.diagnostics));
  REQUIRE(load.loaded);
  auto db = storage::Database::open((dir.path / "herald.db").string());
  REQUIRE(db);
  SystemClock clock;
  HangingHttp http;
  MetricsRegistry metrics;
  RouterRuntime runtime(clock, **db, http, metrics);
  REQUIRE(runtime.start(load.loaded));
  std::thread run([&] { runtime.run(); });

  constexpr int kGroups = 8;
  std::vector<Alert> alerts;
  for (int i = 0; i < kGroups; ++i) {
    Alert a;
    a.labels = LabelSet{{"alertname", "Down"}, {"instance", "host-" + std::to_string(i)}};
    a.starts_at = clock.now();
    a.ends_at = clock.now() + 1h;
    alerts.push_back(a);
  }
  REQUIRE(runtime.receive(alerts));

  // Every healthy notification arrives while the hung peer holds its four sends.
  CHECK(http.wait([](int hung, int healthy, int) { return hung == 4 && healthy == kGroups; }));
  // Once it answers, its other groups are sent too.
  http.release();
  CHECK(http.wait([](int, int, int answered) { return answered == kGroups; }));
  runtime.stop();
  run.join();
}

}  // namespace herald::daemon
