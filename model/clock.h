// Clock: the one seam to time (docs/architecture.md "Time"). Only run loops hold a Clock; logic
// takes `now` as an argument. FakeClock lets tests drive time explicitly. Both are thread-safe.
#pragma once

#include <chrono>
#include <mutex>

namespace herald {

using WallTime = std::chrono::system_clock::time_point;
using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual WallTime now() const = 0;
  [[nodiscard]] virtual MonoTime monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] WallTime now() const override { return std::chrono::system_clock::now(); }
  [[nodiscard]] MonoTime monotonic() const override { return std::chrono::steady_clock::now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start = WallTime{}) : wall_(start) {}
  [[nodiscard]] WallTime now() const override {
    std::lock_guard lock(mu_);
    return wall_;
  }
  [[nodiscard]] MonoTime monotonic() const override {
    std::lock_guard lock(mu_);
    return mono_;
  }
  // Moves both clocks forward by `d` (d >= 0).
  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
    mono_ += d;
  }

 private:
  mutable std::mutex mu_;
  WallTime wall_;    // GUARDED_BY(mu_)
  MonoTime mono_{};  // GUARDED_BY(mu_)
};

}  // namespace herald
