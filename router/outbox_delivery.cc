// Claim, send, record: the outbox's delivery loop body.
#include "router/outbox_delivery.h"

#include <algorithm>

#include "router/notification_codec.h"

namespace herald::router {
namespace {

std::tuple<std::string, std::string, std::string, int> key_tuple(
    const storage::NotificationLogKey& k) {
  return {k.group_key, k.receiver, k.integration, k.index};
}

IntegrationId integration_of(const storage::NotificationLogKey& key) {
  return {key.receiver, key.integration, key.index};
}

// A record is one local transaction, so once storage is back it need not wait as long as a peer.
constexpr Duration kMaxRecordDelay = std::chrono::seconds(30);

}  // namespace

OutboxDelivery::OutboxDelivery(storage::Database& db, BackoffPolicy policy, uint64_t seed)
    : outbox_(db), nflog_(db), policy_(policy), rng_(seed) {}

void OutboxDelivery::set_notifiers(NotifierMap notifiers) {
  std::lock_guard lock(mu_);
  notifiers_ = std::move(notifiers);
  // A removed integration's failures would otherwise keep HeraldNotificationsFailing firing.
  std::erase_if(health_, [&](const auto& entry) { return !notifiers_.contains(entry.first); });
}

bool OutboxDelivery::claimable(int64_t id, const storage::NotificationLogKey& key,
                               const std::map<IntegrationId, size_t>& extra) const {
  if (in_flight_.contains(id) || unrecorded_.contains(id) ||
      in_flight_keys_.contains(key_tuple(key))) {
    return false;
  }
  const IntegrationId integration = integration_of(key);
  size_t busy = 0;
  if (auto it = in_flight_per_integration_.find(integration);
      it != in_flight_per_integration_.end())
    busy += it->second;
  if (auto it = extra.find(integration); it != extra.end()) busy += it->second;
  return busy < kMaxInFlightPerIntegration;
}

std::vector<storage::OutboxItem> OutboxDelivery::claim(WallTime now, size_t limit) {
  std::lock_guard lock(mu_);
  // One outbox key has one item, so the items of this call never share a key: counting them per
  // integration is all the filter needs to see of them.
  std::map<IntegrationId, size_t> taken;
  Result<std::vector<storage::OutboxItem>> due =
      outbox_.due(now, limit, [&](int64_t id, const storage::NotificationLogKey& key) {
        if (!claimable(id, key, taken)) return false;
        ++taken[integration_of(key)];
        return true;
      });
  std::vector<storage::OutboxItem> out;
  if (!due) return out;  // the next wake-up retries; storage errors surface in its metrics
  for (storage::OutboxItem& item : *due) {
    in_flight_.insert(item.id);
    in_flight_keys_.insert(key_tuple(item.key));
    ++in_flight_per_integration_[integration_of(item.key)];
    out.push_back(std::move(item));
  }
  return out;
}

DeliveryEvent OutboxDelivery::deliver(const storage::OutboxItem& item, const Clock& clock) {
  const WallTime now = clock.now();
  DeliveryEvent event{integration_of(item.key),
                      item.key.group_key,
                      DeliveryOutcome::kDelivered,
                      "",
                      {},
                      item.attempts + 1,
                      std::nullopt,
                      {}};
  std::shared_ptr<Notifier> notifier;
  std::optional<std::string> unrecorded_data;
  {
    std::lock_guard lock(mu_);
    auto it = notifiers_.find(event.integration);
    if (it != notifiers_.end()) notifier = it->second;
    // An item of a key whose delivery is still unrecorded superseded that one; the log does not
    // have its data (e.g. the Slack message to update) yet.
    for (const auto& [id, u] : unrecorded_) {
      if (u.key == item.key) unrecorded_data = u.data;
    }
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
    if (unrecorded_data) n->previous_data = *unrecorded_data;
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
  if (auto it = in_flight_per_integration_.find(event.integration);
      it != in_flight_per_integration_.end() && --it->second == 0) {
    in_flight_per_integration_.erase(it);
  }
  event.outcome = result.outcome;
  event.error = result.error;
  event.warnings = result.warnings;
  IntegrationHealth& h = health_[event.integration];
  h.integration = event.integration;
  switch (result.outcome) {
    case DeliveryOutcome::kDelivered: {
      h = IntegrationHealth{event.integration, 0, std::nullopt, ""};
      // A storage failure here leaves the item in the outbox, so a restart sends it again (at
      // most one repeat), never loses it; this process holds it apart and records it later.
      Result<bool> done = outbox_.delivered(item.id, now, result.data);
      if (!done) {
        event.record = RecordState::kUnrecorded;
        event.error = "recording delivery: " + done.error().message;
        if (unrecorded_.empty()) {  // starts the record rounds; later ones join them
          record_failures_ = 1;
          next_record_try_ = now + record_delay(record_failures_);
        }
        unrecorded_[item.id] = {item.key, event.attempt, now, result.data, event.error};
      }
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

Duration OutboxDelivery::record_delay(int failures) {
  BackoffPolicy p = policy_;
  p.max = std::min(p.max, kMaxRecordDelay);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return retry_delay(p, failures, std::nullopt, unit(rng_));
}

std::vector<DeliveryEvent> OutboxDelivery::retry_records(WallTime now) {
  std::lock_guard lock(mu_);
  std::vector<DeliveryEvent> out;
  if (unrecorded_.empty() || now < next_record_try_) return out;
  for (auto it = unrecorded_.begin(); it != unrecorded_.end();) {
    Unrecorded& u = it->second;
    Result<bool> done = outbox_.delivered(it->first, u.delivered_at, u.data);
    if (!done) {
      u.error = "recording delivery: " + done.error().message;
      next_record_try_ = now + record_delay(++record_failures_);
      break;
    }
    DeliveryEvent e;
    e.integration = integration_of(u.key);
    e.group_key = u.key.group_key;
    e.attempt = u.attempt;
    e.record = RecordState::kRecordedLate;
    if (!*done) e.error = "superseded by a newer notification before it was recorded";
    out.push_back(std::move(e));
    it = unrecorded_.erase(it);
  }
  return out;
}

std::optional<WallTime> OutboxDelivery::next_attempt() const {
  std::optional<WallTime> next;
  std::lock_guard lock(mu_);
  if (!unrecorded_.empty()) next = next_record_try_;
  const std::map<IntegrationId, size_t> none;
  Result<std::optional<WallTime>> due = outbox_.next_attempt(
      [&](int64_t id, const storage::NotificationLogKey& key) { return claimable(id, key, none); });
  if (due && *due && (!next || **due < *next)) next = **due;
  return next;
}

std::vector<UnrecordedDelivery> OutboxDelivery::unrecorded() const {
  std::lock_guard lock(mu_);
  std::vector<UnrecordedDelivery> out;
  for (const auto& [id, u] : unrecorded_)
    out.push_back({integration_of(u.key), u.key.group_key, u.delivered_at, u.error});
  return out;
}

std::vector<IntegrationHealth> OutboxDelivery::health() const {
  std::lock_guard lock(mu_);
  std::vector<IntegrationHealth> out;
  for (const auto& [id, h] : health_)
    out.push_back(h);
  return out;
}

}  // namespace herald::router
