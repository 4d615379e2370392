// The scheduler on a FakeClock with an inline executor: alignment, order, overruns, replacement.
#include "evaluator/scheduler.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "evaluator/slots.h"

namespace ev = herald::evaluator;
using herald::FakeClock;
using herald::WallTime;
using namespace std::chrono_literals;

namespace {

class InlineExecutor final : public ev::Executor {
 public:
  void submit(std::function<void()> job) override { job(); }
};

const WallTime kT0 = WallTime{} + 1'699'999'980s;  // an exact multiple of 10s, 30s and 60s

}  // namespace

TEST_CASE("slots: first slot is the next aligned time, offset included", "[evaluator]") {
  CHECK(ev::first_slot(kT0, 30s, 0s) == kT0);
  CHECK(ev::first_slot(kT0 + 1ms, 30s, 0s) == kT0 + 30s);
  CHECK(ev::first_slot(kT0 + 1s, 30s, 7s) == kT0 + 7s);
  CHECK(ev::first_slot(kT0 + 8s, 30s, 7s) == kT0 + 37s);
  CHECK(ev::first_slot(kT0 + 7s + 500us, 30s, 7s) == kT0 + 37s);
}

TEST_CASE("slots: group offsets are stable, bounded and spread", "[evaluator]") {
  const auto a = ev::group_offset("rules/a.yml", "llm-serving", 30s);
  CHECK(a == ev::group_offset("rules/a.yml", "llm-serving", 30s));
  CHECK(a < 30s);
  CHECK(a >= 0s);
  CHECK(ev::group_offset("rules/a.yml", "other", 30s) != a);
  CHECK(ev::group_offset("x", "y", 0s) == 0s);
}

TEST_CASE("slots: an overrun skips to the latest passed slot and counts the missed ones",
          "[evaluator]") {
  CHECK(ev::next_slot(kT0, kT0 + 3s, 10s).at == kT0 + 10s);
  CHECK(ev::next_slot(kT0, kT0 + 3s, 10s).missed == 0);
  CHECK(ev::next_slot(kT0, kT0 + 10s, 10s).at == kT0 + 10s);  // finished exactly on the slot
  CHECK(ev::next_slot(kT0, kT0 + 10s, 10s).missed == 0);
  CHECK(ev::next_slot(kT0, kT0 + 35s, 10s).at == kT0 + 30s);
  CHECK(ev::next_slot(kT0, kT0 + 35s, 10s).missed == 2);
}

TEST_CASE("scheduler: groups run at their aligned slots with the slot as timestamp",
          "[evaluator]") {
  FakeClock clock(kT0 + 1s);
  InlineExecutor inline_exec;
  ev::Scheduler s(clock, inline_exec);
  std::vector<WallTime> a_runs, b_runs;
  s.add("a", 10s, 0s, [&](WallTime ts) { a_runs.push_back(ts); });
  s.add("b", 30s, 5s, [&](WallTime ts) { b_runs.push_back(ts); });

  auto next = s.tick();
  CHECK(a_runs.empty());
  REQUIRE(next == kT0 + 5s);  // b's first slot comes before a's
  for (int i = 0; i < 60; ++i) {
    clock.advance(1s);
    s.tick();
  }
  CHECK(a_runs ==
        std::vector<WallTime>{kT0 + 10s, kT0 + 20s, kT0 + 30s, kT0 + 40s, kT0 + 50s, kT0 + 60s});
  CHECK(b_runs == std::vector<WallTime>{kT0 + 5s, kT0 + 35s});
  CHECK(s.stats("a")->evaluations == 6);
  CHECK(s.stats("a")->missed == 0);
}

TEST_CASE("scheduler: a slow group skips missed slots and counts them", "[evaluator]") {
  FakeClock clock(kT0);
  InlineExecutor inline_exec;
  ev::Scheduler s(clock, inline_exec);
  std::vector<WallTime> runs;
  s.add("slow", 10s, 0s, [&](WallTime ts) {
    runs.push_back(ts);
    if (runs.size() == 1) clock.advance(25s);  // the first evaluation overruns two slots
  });
  s.tick();  // runs kT0, finishes at kT0+25s
  REQUIRE(runs.size() == 1);
  CHECK(s.stats("slow")->missed == 1);
  CHECK(s.stats("slow")->next_slot == kT0 + 20s);
  s.tick();  // the latest passed slot runs at once
  REQUIRE(runs.size() == 2);
  CHECK(runs[1] == kT0 + 20s);
  CHECK(s.stats("slow")->last_duration == 0s);
}

TEST_CASE("scheduler: a replaced group's in-flight result does not reschedule the new one",
          "[evaluator]") {
  FakeClock clock(kT0);
  InlineExecutor inline_exec;
  ev::Scheduler s(clock, inline_exec);
  int old_runs = 0, new_runs = 0;
  s.add("g", 10s, 0s, [&](WallTime) {
    ++old_runs;
    // A reload replaces the group while its evaluation is in flight.
    s.add("g", 60s, 0s, [&](WallTime) { ++new_runs; });
  });
  s.tick();
  CHECK(old_runs == 1);
  CHECK(s.stats("g")->next_slot == kT0);  // the new group's own first slot, untouched
  CHECK(s.stats("g")->evaluations == 0);
  s.tick();
  CHECK(new_runs == 1);
  CHECK(s.stats("g")->next_slot == kT0 + 60s);
  s.remove("g");
  CHECK_FALSE(s.stats("g").has_value());
}

TEST_CASE("scheduler: remove() waits for the group's evaluation in flight", "[evaluator]") {
  herald::FakeClock clock(kT0);
  ev::ThreadPool pool(1);
  ev::Scheduler s(clock, pool);
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, release = false;
  std::vector<std::string> events;
  s.add("g", 10s, 0s, [&](WallTime) {
    std::unique_lock lock(mu);
    started = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    events.push_back("evaluation finished");
  });
  s.tick();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return started; });
  }
  std::thread remover([&] {
    s.remove("g");
    std::lock_guard lock(mu);
    events.push_back("removed");
  });
  // Not synchronisation: gives a remove() that does not wait the chance to return first.
  std::this_thread::sleep_for(20ms);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  remover.join();
  CHECK(events == std::vector<std::string>{"evaluation finished", "removed"});
  CHECK_FALSE(s.stats("g").has_value());
}

TEST_CASE("scheduler: run() evaluates on real time and stop() drains", "[evaluator]") {
  herald::SystemClock clock;
  ev::ThreadPool pool(2);
  ev::Scheduler s(clock, pool);
  std::mutex mu;
  std::condition_variable cv;
  int runs = 0;
  s.add("fast", 50ms, 0ms, [&](WallTime) {
    std::lock_guard lock(mu);
    ++runs;
    cv.notify_all();
  });
  std::thread loop([&] { s.run(); });
  {
    std::unique_lock lock(mu);
    // A deadline, not a sleep: three evaluations at 50ms take ~150ms; allow a noisy machine 10s.
    REQUIRE(cv.wait_for(lock, 10s, [&] { return runs >= 3; }));
  }
  s.stop(true);
  loop.join();
  CHECK(s.stats("fast")->evaluations >= 3);
}
