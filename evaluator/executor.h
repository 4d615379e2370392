// Executor: where evaluations run. ThreadPool is the production one (a small fixed pool, so a
// slow group occupies one worker and never delays the others); tests run jobs inline.
// Thread-safe: submit() may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace herald::evaluator {

class Executor {
 public:
  virtual ~Executor() = default;
  virtual void submit(std::function<void()> job) = 0;
};

class ThreadPool final : public Executor {
 public:
  explicit ThreadPool(size_t threads);
  ~ThreadPool() override;  // finishes queued jobs, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> job) override;

 private:
  void work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace herald::evaluator
