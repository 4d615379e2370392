// OutboxDelivery when the write that retires a delivered item fails (issue 13: a full disk made
// one group reach its receiver 514 times in 15 s): the item is never sent again by the process,
// the failure is reported once, and the record is retried with backoff until storage is back.
#include <catch2/catch.hpp>

#include "outbox_rig.h"

using namespace herald::router::testing;

namespace {

const DeliveryResult kDeliveredTs1{DeliveryOutcome::kDelivered, std::nullopt, "", "ts=1"};

// A backoff without jitter, so the record delays are exact.
rt::BackoffPolicy exact_backoff() {
  rt::BackoffPolicy p;
  p.jitter = 0;
  return p;
}

}  // namespace

TEST_CASE("unrecorded delivery: sent once, however many rounds pass, and recorded later",
          "[router]") {
  OneIntegration rig;
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;
  WriteLock lock(t);
  notifier->script.push_back(kDeliveredTs1);  // a second notify() fails the test

  lock.take();
  auto claimed = delivery.claim(clock.now(), 4);
  REQUIRE(claimed.size() == 1);
  const rt::DeliveryEvent e = delivery.deliver(claimed[0], clock);
  CHECK(e.outcome == DeliveryOutcome::kDelivered);
  CHECK(e.record == rt::RecordState::kUnrecorded);
  CHECK_THAT(e.error, Catch::StartsWith("recording delivery: storage ") &&
                          Catch::Contains("database is locked"));
  CHECK(outbox.pending()->size() == 1);  // still there: a restart would send it once more
  REQUIRE(delivery.unrecorded().size() == 1);
  CHECK(delivery.unrecorded()[0].group_key == "g1");
  CHECK(delivery.unrecorded()[0].delivered_at == kT0);
  CHECK(delivery.health()[0].consecutive_failures == 0);  // the receiver did its part

  // An hour of worker rounds, a reload among them: nothing to claim, no record written, and no
  // event (the failure was reported once, above).
  for (int round = 0; round < 360; ++round) {
    clock.advance(10s);
    if (round == 100) delivery.set_notifiers({{{"team", "webhook", 0}, notifier}});
    CHECK(delivery.retry_records(clock.now()).empty());
    CHECK(delivery.claim(clock.now(), 4).empty());
  }
  CHECK(notifier->seen.size() == 1);
  CHECK(delivery.unrecorded().size() == 1);
  CHECK_FALSE(nflog.get(claimed[0].key).value());

  lock.release();
  const WallTime due = delivery.next_attempt().value();
  CHECK(due > clock.now());
  CHECK(delivery.retry_records(due - 1ms).empty());
  clock.advance(due - clock.now());
  const std::vector<rt::DeliveryEvent> late = delivery.retry_records(clock.now());
  REQUIRE(late.size() == 1);
  CHECK(late[0].record == rt::RecordState::kRecordedLate);
  CHECK(late[0].group_key == "g1");
  CHECK(late[0].attempt == 1);
  CHECK(late[0].error.empty());
  CHECK(outbox.pending()->empty());
  auto logged = nflog.get(claimed[0].key).value();
  REQUIRE(logged);
  CHECK(logged->at == kT0);  // when it was delivered, not when it was recorded
  CHECK(logged->data == "ts=1");
  CHECK(delivery.unrecorded().empty());
  CHECK(delivery.retry_records(clock.now()).empty());
  CHECK(delivery.claim(clock.now(), 4).empty());
  CHECK(delivery.next_attempt() == std::nullopt);
  CHECK(notifier->seen.size() == 1);
}

TEST_CASE("unrecorded delivery: the record is retried with growing delay, one write a round",
          "[router]") {
  OneIntegration rig(exact_backoff());
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;
  WriteLock lock(t);
  notifier->script.push_back(kDeliveredTs1);

  lock.take();
  auto claimed = delivery.claim(clock.now(), 1);
  REQUIRE(claimed.size() == 1);
  (void)delivery.deliver(claimed[0], clock);
  // The item's own next attempt (kT0, past) is not what the workers wait for: the record is.
  CHECK(delivery.next_attempt() == kT0 + 1s);

  std::vector<herald::Duration> delays;
  for (int round = 0; round < 7; ++round) {
    const WallTime due = delivery.next_attempt().value();
    const uint64_t failures = t.db->counters().failures;
    CHECK(delivery.retry_records(due - 1ms).empty());
    CHECK(t.db->counters().failures == failures);  // not due: no write at all
    clock.advance(due - clock.now());
    CHECK(delivery.retry_records(clock.now()).empty());
    CHECK(t.db->counters().failures == failures + 1);  // one write, failed
    delays.push_back(std::chrono::duration_cast<herald::Duration>(delivery.next_attempt().value() -
                                                                  clock.now()));
  }
  CHECK(delays == std::vector<herald::Duration>{2s, 4s, 8s, 16s, 30s, 30s, 30s});

  lock.release();
  clock.advance(delivery.next_attempt().value() - clock.now());
  CHECK(delivery.retry_records(clock.now()).size() == 1);
  CHECK(outbox.pending()->empty());
  CHECK(nflog.get(claimed[0].key).value()->data == "ts=1");
  CHECK(notifier->seen.size() == 1);
}

TEST_CASE("unrecorded delivery: other items go on, and one round records every held item",
          "[router]") {
  OneIntegration rig(exact_backoff());
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;
  WriteLock lock(t);
  REQUIRE(outbox.enqueue(item("g2")));
  notifier->script.push_back(kDeliveredTs1);
  notifier->script.push_back({DeliveryOutcome::kDelivered, std::nullopt, "", "ts=2"});

  lock.take();
  // One at a time, as the workers claim: g1 is held apart and does not stand in g2's way.
  auto first = delivery.claim(clock.now(), 1);
  REQUIRE(first.size() == 1);
  CHECK(delivery.deliver(first[0], clock).record == rt::RecordState::kUnrecorded);
  clock.advance(100ms);
  auto second = delivery.claim(clock.now(), 1);
  REQUIRE(second.size() == 1);
  CHECK(second[0].key.group_key == "g2");
  CHECK(delivery.deliver(second[0], clock).record == rt::RecordState::kUnrecorded);
  CHECK(delivery.unrecorded().size() == 2);
  CHECK(delivery.next_attempt() == kT0 + 1s);  // g2 joined g1's rounds

  lock.release();
  clock.advance(delivery.next_attempt().value() - clock.now());
  const std::vector<rt::DeliveryEvent> late = delivery.retry_records(clock.now());
  REQUIRE(late.size() == 2);
  CHECK(outbox.pending()->empty());
  CHECK(nflog.get(first[0].key).value()->data == "ts=1");
  CHECK(nflog.get(second[0].key).value()->data == "ts=2");
  CHECK(notifier->seen.size() == 2);
}

TEST_CASE("unrecorded delivery: a newer notification of the group supersedes the held one",
          "[router]") {
  OneIntegration rig;
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;
  WriteLock lock(t);
  notifier->script.push_back(kDeliveredTs1);
  notifier->script.push_back({DeliveryOutcome::kDelivered, std::nullopt, "", "ts=1 updated"});

  lock.take();
  auto claimed = delivery.claim(clock.now(), 1);
  REQUIRE(claimed.size() == 1);
  (void)delivery.deliver(claimed[0], clock);
  lock.release();

  // Storage is back and the group's next flush comes before the record's retry.
  clock.advance(100ms);
  REQUIRE(outbox.enqueue(item("g1")));
  auto newer = delivery.claim(clock.now(), 1);
  REQUIRE(newer.size() == 1);
  CHECK(newer[0].id != claimed[0].id);
  CHECK(delivery.deliver(newer[0], clock).record == rt::RecordState::kRecorded);
  // Handed the held delivery's data (the message to update), which the log does not have yet.
  CHECK(notifier->seen.back().previous_data == "ts=1");

  clock.advance(delivery.next_attempt().value() - clock.now());
  const std::vector<rt::DeliveryEvent> late = delivery.retry_records(clock.now());
  REQUIRE(late.size() == 1);
  CHECK(late[0].record == rt::RecordState::kRecordedLate);
  CHECK(late[0].error == "superseded by a newer notification before it was recorded");
  CHECK(nflog.get(claimed[0].key).value()->data == "ts=1 updated");  // not the older one
  CHECK(delivery.unrecorded().empty());
}
