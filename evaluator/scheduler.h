// Scheduler: evaluates each rule group at its aligned slots (evaluator/slots.h) on an Executor.
// Timers are data — one deadline per group — and one loop waits for the earliest
// (docs/architecture.md "Time"). A group never runs twice at once; a slot missed because the group
// overran is skipped and counted. tick() is the whole decision, so tests drive it with a FakeClock
// and an inline executor; run() is the thin real-time loop around it. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "evaluator/executor.h"
#include "model/clock.h"
#include "model/duration.h"

namespace herald::evaluator {

struct GroupRunStats {
  uint64_t evaluations = 0;
  uint64_t missed = 0;
  std::optional<WallTime> last_slot;
  Duration last_duration{0};
  WallTime next_slot{};
  bool running = false;
};

class Scheduler {
 public:
  using EvalFn = std::function<void(WallTime slot)>;

  Scheduler(const Clock& clock, Executor& executor) : clock_(clock), executor_(executor) {}
  ~Scheduler();  // stops and waits for in-flight evaluations

  // Schedules `key` from its next aligned slot. Replaces a group with the same key (an
  // evaluation in flight for the old one completes; its result no longer reschedules).
  void add(const std::string& key, Duration interval, Duration offset, EvalFn fn);
  // Unschedules `key`, first waiting for its evaluation in flight (so the caller may then take
  // the group's state). REQUIRES: not called from an evaluation.
  void remove(const std::string& key);

  // Submits every idle group whose slot is due. Returns the earliest deadline among idle groups.
  std::optional<WallTime> tick();

  // Loops tick() until stop(), sleeping until the next deadline (woken early by add/remove).
  void run();
  // Makes run() return; with drain, also waits for evaluations in flight (graceful stop).
  void stop(bool drain = true);

  [[nodiscard]] std::optional<GroupRunStats> stats(const std::string& key) const;

 private:
  struct Group {
    Duration interval{0};
    EvalFn fn;
    uint64_t generation = 0;  // distinguishes a replaced group from its predecessor
    GroupRunStats stats;
  };
  void finished(const std::string& key, uint64_t generation, WallTime slot, MonoTime started);

  const Clock& clock_;
  Executor& executor_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Group> groups_;  // GUARDED_BY(mu_)
  uint64_t next_generation_ = 1;         // GUARDED_BY(mu_)
  int in_flight_ = 0;                    // GUARDED_BY(mu_)
  bool stopping_ = false;                // GUARDED_BY(mu_)
  bool wake_ = false;                    // GUARDED_BY(mu_)
};

}  // namespace herald::evaluator
