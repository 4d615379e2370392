// The scheduler's bookkeeping; evaluation itself is the caller's EvalFn.
#include "evaluator/scheduler.h"

#include <vector>

#include "evaluator/slots.h"

namespace herald::evaluator {

Scheduler::~Scheduler() {
  stop(true);
}

void Scheduler::add(const std::string& key, Duration interval, Duration offset, EvalFn fn) {
  {
    std::lock_guard lock(mu_);
    Group g{interval, std::move(fn), next_generation_++, {}};
    g.stats.next_slot = first_slot(clock_.now(), interval, offset);
    groups_.insert_or_assign(key, std::move(g));
    wake_ = true;
  }
  cv_.notify_all();
}

void Scheduler::remove(const std::string& key) {
  {
    std::unique_lock lock(mu_);
    auto it = groups_.find(key);
    if (it == groups_.end()) return;
    const uint64_t generation = it->second.generation;
    auto replaced_or_idle = [&] {
      auto g = groups_.find(key);
      return g == groups_.end() || g->second.generation != generation || !g->second.stats.running;
    };
    cv_.wait(lock, replaced_or_idle);
    it = groups_.find(key);
    if (it != groups_.end() && it->second.generation == generation) groups_.erase(it);
    wake_ = true;
  }
  cv_.notify_all();
}

std::optional<WallTime> Scheduler::tick() {
  struct Due {
    std::string key;
    uint64_t generation;
    WallTime slot;
    EvalFn fn;
  };
  std::vector<Due> due;
  std::optional<WallTime> earliest;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return std::nullopt;
    const WallTime now = clock_.now();
    for (auto& [key, g] : groups_) {
      if (g.stats.running) continue;
      if (g.stats.next_slot <= now) {
        g.stats.running = true;
        ++in_flight_;
        due.push_back({key, g.generation, g.stats.next_slot, g.fn});
      } else if (!earliest || g.stats.next_slot < *earliest) {
        earliest = g.stats.next_slot;
      }
    }
  }
  // Submitted outside the lock: an inline executor runs the job (and finished()) right here.
  for (Due& d : due) {
    executor_.submit([this, d = std::move(d)] {
      const MonoTime started = clock_.monotonic();
      d.fn(d.slot);
      finished(d.key, d.generation, d.slot, started);
    });
  }
  return earliest;
}

void Scheduler::finished(const std::string& key, uint64_t generation, WallTime slot,
                         MonoTime started) {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
    auto it = groups_.find(key);
    if (it != groups_.end() && it->second.generation == generation) {
      Group& g = it->second;
      const NextSlot next = next_slot(slot, clock_.now(), g.interval);
      g.stats.running = false;
      g.stats.evaluations++;
      g.stats.missed += static_cast<uint64_t>(next.missed);
      g.stats.last_slot = slot;
      g.stats.last_duration = std::chrono::duration_cast<Duration>(clock_.monotonic() - started);
      g.stats.next_slot = next.at;
    }
    wake_ = true;
  }
  cv_.notify_all();
}

void Scheduler::run() {
  for (;;) {
    const std::optional<WallTime> next = tick();
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (wake_) {
      wake_ = false;
      continue;
    }
    // Waits on the steady clock: a wall-clock jump cannot make the loop sleep for hours.
    const auto wait =
        next ? *next - clock_.now() : std::chrono::system_clock::duration(std::chrono::seconds(1));
    cv_.wait_for(lock, wait, [this] { return stopping_ || wake_; });
    wake_ = false;
  }
}

void Scheduler::stop(bool drain) {
  std::unique_lock lock(mu_);
  stopping_ = true;
  cv_.notify_all();
  if (drain) cv_.wait(lock, [this] { return in_flight_ == 0; });
}

std::optional<GroupRunStats> Scheduler::stats(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = groups_.find(key);
  if (it == groups_.end()) return std::nullopt;
  return it->second.stats;
}

}  // namespace herald::evaluator
