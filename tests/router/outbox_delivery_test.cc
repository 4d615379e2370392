// OutboxDelivery on a real SQLite file with a scripted Notifier and a fake clock: what each
// outcome does to the outbox, the notification log and the integration's health.
#include "router/outbox_delivery.h"

#include <catch2/catch.hpp>

#include "outbox_rig.h"

using namespace herald::router::testing;

TEST_CASE("outbox delivery: each outcome's effect on the outbox, the log and health", "[router]") {
  OneIntegration rig;
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;

  // 429 with Retry-After: 2 s — the next attempt waits exactly that, the log stays unwritten.
  notifier->script.push_back({DeliveryOutcome::kRetry, 2s, "webhook: http 429", ""});
  auto claimed = delivery.claim(clock.now(), 4);
  REQUIRE(claimed.size() == 1);
  CHECK(delivery.claim(clock.now(), 4).empty());  // in flight: not claimable twice
  rt::DeliveryEvent e = delivery.deliver(claimed[0], clock);
  CHECK(e.outcome == DeliveryOutcome::kRetry);
  REQUIRE(e.next_attempt);
  CHECK(*e.next_attempt == kT0 + 2s);
  CHECK(delivery.next_attempt() == kT0 + 2s);
  CHECK(delivery.claim(kT0 + 1999ms, 4).empty());
  CHECK_FALSE(nflog.get(claimed[0].key).value());
  REQUIRE(delivery.health().size() == 1);
  CHECK(delivery.health()[0].consecutive_failures == 1);

  // Delivered: the item is retired and the log written with the integration's data, which the
  // next notification of the group is handed back.
  clock.advance(2s);
  notifier->script.push_back({DeliveryOutcome::kDelivered, std::nullopt, "", "ts=1"});
  claimed = delivery.claim(clock.now(), 4);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].attempts == 1);
  e = delivery.deliver(claimed[0], clock);
  CHECK(e.outcome == DeliveryOutcome::kDelivered);
  CHECK(e.attempt == 2);
  CHECK(outbox.pending().value().empty());
  auto logged = nflog.get(claimed[0].key).value();
  REQUIRE(logged);
  CHECK(logged->at == kT0 + 2s);
  CHECK(logged->data == "ts=1");
  CHECK(delivery.health()[0].consecutive_failures == 0);

  REQUIRE(outbox.enqueue(item("g1")));
  notifier->script.push_back({DeliveryOutcome::kPermanent, std::nullopt, "webhook: http 400", ""});
  claimed = delivery.claim(clock.now(), 4);
  REQUIRE(claimed.size() == 1);
  e = delivery.deliver(claimed[0], clock);
  CHECK(notifier->seen.back().previous_data == "ts=1");
  CHECK(notifier->seen_at == std::vector<WallTime>{kT0, kT0 + 2s, kT0 + 2s});
  // Permanent: given up, reported, never retried.
  CHECK(e.outcome == DeliveryOutcome::kPermanent);
  CHECK(e.error == "webhook: http 400");
  CHECK(outbox.pending().value().empty());
}

TEST_CASE(
    "outbox delivery: the notifier sends at the claim's now; outcomes are stamped when it "
    "ended",
    "[router]") {
  OneIntegration rig;
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;
  notifier->clock = &clock;
  notifier->send_time = 3s;

  notifier->script.push_back({DeliveryOutcome::kRetry, 2s, "webhook: http 429", ""});
  auto claimed = delivery.claim(clock.now(), 1);
  REQUIRE(claimed.size() == 1);
  rt::DeliveryEvent e = delivery.deliver(claimed[0], clock);
  CHECK(notifier->seen_at.back() == kT0);
  CHECK(e.latency == 3s);
  REQUIRE(e.next_attempt);
  CHECK(*e.next_attempt == kT0 + 3s + 2s);  // Retry-After counts from the answer
  REQUIRE(delivery.health().size() == 1);
  CHECK(delivery.health()[0].failing_since == kT0 + 3s);

  clock.advance(2s);
  notifier->script.push_back({DeliveryOutcome::kDelivered, std::nullopt, "", ""});
  claimed = delivery.claim(clock.now(), 1);
  REQUIRE(claimed.size() == 1);
  e = delivery.deliver(claimed[0], clock);
  CHECK(notifier->seen_at.back() == kT0 + 5s);
  CHECK(e.outcome == DeliveryOutcome::kDelivered);
  auto logged = nflog.get(claimed[0].key).value();
  REQUIRE(logged);
  CHECK(logged->at == kT0 + 8s);  // the log's `at` is when the notification succeeded
}

TEST_CASE("outbox delivery: an integration that no longer exists is given up", "[router]") {
  TempDb t;
  FakeClock clock(kT0);
  st::Outbox outbox(*t.db);
  rt::OutboxDelivery delivery(*t.db);
  REQUIRE(outbox.enqueue(item("g1")));
  auto claimed = delivery.claim(clock.now(), 1);
  REQUIRE(claimed.size() == 1);
  const rt::DeliveryEvent e = delivery.deliver(claimed[0], clock);
  CHECK(e.outcome == DeliveryOutcome::kPermanent);
  CHECK(e.error == "receiver integration team/webhook[0] no longer exists");
  CHECK(outbox.pending().value().empty());
  REQUIRE(delivery.health().size() == 1);
  // The next reload's integrations replace the health of those that are gone.
  delivery.set_notifiers({});
  CHECK(delivery.health().empty());
}

TEST_CASE("outbox delivery: HeraldNotificationsFailing needs 3 failures over a minute",
          "[router]") {
  struct Row {
    uint64_t failures;
    herald::Duration failing_for;
    bool want;
  };
  const auto row = GENERATE(Row{0, 0s, false}, Row{2, 10min, false}, Row{3, 59s, false},
                            Row{3, 1min, true}, Row{50, 1h, true});
  CAPTURE(row.failures, row.failing_for.count());
  rt::IntegrationHealth h{{"team", "webhook", 0}, row.failures, std::nullopt, "x"};
  if (row.failures > 0) h.failing_since = kT0;
  CHECK(rt::keeps_failing(h, kT0 + row.failing_for) == row.want);
}

TEST_CASE("outbox delivery: one integration has at most 4 deliveries in flight; the others go on",
          "[router]") {
  OneIntegration rig;  // g1 queued for team/webhook
  auto& [t, clock, outbox, nflog, notifier, delivery] = rig;
  auto ops = std::make_shared<ScriptedNotifier>();
  delivery.set_notifiers({{{"team", "webhook", 0}, notifier}, {{"ops", "webhook", 0}, ops}});
  for (const char* g : {"g2", "g3", "g4", "g5", "g6"})
    REQUIRE(outbox.enqueue(item(g)));
  st::OutboxItem for_ops = item("g1");
  for_ops.key.receiver = "ops";
  REQUIRE(outbox.enqueue(for_ops));  // due with the others, after all of team's

  // A team peer that hangs holds four sends; the ops item is not stuck behind the other two.
  auto claimed = delivery.claim(clock.now(), 10);
  std::vector<std::string> taken;
  for (const st::OutboxItem& i : claimed)
    taken.push_back(i.key.receiver + "/" + i.key.group_key);
  CHECK(taken == std::vector<std::string>{"team/g1", "team/g2", "team/g3", "team/g4", "ops/g1"});
  CHECK(delivery.claim(clock.now(), 10).empty());
  // g5 and g6 wait for a team delivery to end, not for a deadline.
  CHECK(delivery.next_attempt() == std::nullopt);

  notifier->script.push_back({DeliveryOutcome::kDelivered, std::nullopt, "", ""});
  (void)delivery.deliver(claimed[0], clock);
  CHECK(delivery.next_attempt() == kT0);
  claimed = delivery.claim(clock.now(), 10);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].key.group_key == "g5");
}
