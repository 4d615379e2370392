// Claim, send, record: the outbox's delivery loop body.
#include "router/outbox_delivery.h"

#include "router/notification_codec.h"

namespace herald::router {
namespace {

std::tuple<std::string, std::string, std::string, int> key_tuple(
    const storage::NotificationLogKey& k) {
  return {k.group_key, k.receiver, k.integration, k.index};
}

IntegrationId integration_of(const storage::OutboxItem& item) {
  return {item.key.receiver, item.key.integration, item.key.index};
}

}  // namespace

OutboxDelivery::OutboxDelivery(storage::Database& db, BackoffPolicy policy, uint64_t seed)
    : outbox_(db), nflog_(db), policy_(policy), rng_(seed) {}

void OutboxDelivery::set_notifiers(NotifierMap notifiers) {
  std::lock_guard lock(mu_);
  notifiers_ = std::move(notifiers);
  // A removed integration's failures would otherwise keep HeraldNotificationsFailing firing.
  std::erase_if(health_, [&](const auto& entry) { return !notifiers_.contains(entry.first); });
}

std::vector<storage::OutboxItem> OutboxDelivery::claim(WallTime now, size_t limit) {
  std::lock_guard lock(mu_);
  // Ask for more than `limit`: items in flight are skipped.
  Result<std::vector<storage::OutboxItem>> due = outbox_.due(now, limit + in_flight_.size());
  std::vector<storage::OutboxItem> out;
  if (!due) return out;  // the next wake-up retries; storage errors surface in its metrics
  for (storage::OutboxItem& item : *due) {
    if (out.size() == limit) break;
    if (in_flight_.contains(item.id) || in_flight_keys_.contains(key_tuple(item.key))) continue;
    in_flight_.insert(item.id);
    in_flight_keys_.insert(key_tuple(item.key));
    out.push_back(std::move(item));
  }
  return out;
}

DeliveryEvent OutboxDelivery::deliver(const storage::OutboxItem& item, const Clock& clock) {
  const WallTime now = clock.now();
  DeliveryEvent event{integration_of(item),
                      item.key.group_key,
                      DeliveryOutcome::kDelivered,
                      "",
                      {},
                      item.attempts + 1,
                      std::nullopt,
                      {}};
  std::shared_ptr<Notifier> notifier;
  {
    std::lock_guard lock(mu_);
    auto it = notifiers_.find(event.integration);
    if (it != notifiers_.end()) notifier = it->second;
  }
  DeliveryResult result;
  MonoTime::duration took{};
  Result<Notification> n = decode_notification(item.payload);
  if (!notifier) {
    result = {DeliveryOutcome::kPermanent, std::nullopt,
              "receiver integration " + item.key.receiver + "/" + item.key.integration + "[" +
                  std::to_string(item.key.index) + "] no longer exists",
              ""};
  } else if (!n) {
    result = {DeliveryOutcome::kPermanent, std::nullopt, n.error().message, ""};
  } else {
    Result<std::optional<storage::NotificationLogRow>> prev = nflog_.get(item.key);
    if (prev && *prev) n->previous_data = (*prev)->data;
    const MonoTime start = clock.monotonic();
    result = notifier->notify(*n, now);
    took = clock.monotonic() - start;
    event.latency = std::chrono::duration_cast<Duration>(took);
  }
  // Stamped when the send ended (the log's `at` is when it succeeded): the one wall reading plus
  // the send's monotonic duration.
  return record(item, result, now + std::chrono::duration_cast<WallTime::duration>(took),
                std::move(event));
}

DeliveryEvent OutboxDelivery::record(const storage::OutboxItem& item, const DeliveryResult& result,
                                     WallTime now, DeliveryEvent event) {
  std::lock_guard lock(mu_);
  in_flight_.erase(item.id);
  in_flight_keys_.erase(key_tuple(item.key));
  event.outcome = result.outcome;
  event.error = result.error;
  event.warnings = result.warnings;
  IntegrationHealth& h = health_[event.integration];
  h.integration = event.integration;
  switch (result.outcome) {
    case DeliveryOutcome::kDelivered: {
      // A storage failure here leaves the item in the outbox: it is sent again (at most one
      // repeat), never lost.
      Result<bool> done = outbox_.delivered(item.id, now, result.data);
      if (!done) event.error = "recording delivery: " + done.error().message;
      h = IntegrationHealth{event.integration, 0, std::nullopt, ""};
      return event;
    }
    case DeliveryOutcome::kRetry: {
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      const Duration delay = retry_delay(policy_, event.attempt, result.retry_after, unit(rng_));
      event.next_attempt = now + delay;
      (void)outbox_.retry_later(item.id, *event.next_attempt, result.error);
      break;
    }
    case DeliveryOutcome::kPermanent:
      (void)outbox_.give_up(item.id);
      break;
  }
  ++h.consecutive_failures;
  if (!h.failing_since) h.failing_since = now;
  h.last_error = result.error;
  return event;
}

std::optional<WallTime> OutboxDelivery::next_attempt() const {
  Result<std::optional<WallTime>> next = outbox_.next_attempt();
  return next ? *next : std::nullopt;
}

std::vector<IntegrationHealth> OutboxDelivery::health() const {
  std::lock_guard lock(mu_);
  std::vector<IntegrationHealth> out;
  for (const auto& [id, h] : health_)
    out.push_back(h);
  return out;
}

}  // namespace herald::router
