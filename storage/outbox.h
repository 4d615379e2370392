// Outbox: notifications written to disk before their first attempt (docs/architecture.md
// "Storage"), so a crash or restart loses none. A flush that must notify writes one item per
// receiver integration; the sender takes due items, and on success Outbox::delivered deletes the
// item and writes its notification-log row in one transaction. At most one item per
// NotificationLogKey: a newer flush of a group supersedes an undelivered older one. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "storage/database.h"
#include "storage/notification_log.h"

namespace herald::storage {

// Whether the sender may take the item `id` of `key` now. Called for each candidate in order of
// next attempt; it may remember what it accepted (the calls of one query see each other's).
using OutboxFilter = std::function<bool(int64_t id, const NotificationLogKey& key)>;

struct OutboxItem {
  int64_t id = 0;  // assigned by enqueue; never reused, even after a supersede or delivery
  NotificationLogKey key;
  std::string payload;  // the serialized notification (opaque text)
  // Written to the notification log when delivered. Only firing, resolved and expires_at are
  // stored: delivered() sets at and data, so items read back have at = WallTime{} and data "".
  NotificationLogRow log;
  WallTime created_at{};
  WallTime next_attempt_at{};
  int attempts = 0;
  std::string last_error;
};

class Outbox {
 public:
  explicit Outbox(Database& db) : db_(db) {}

  // Inserts `item` (its id is ignored) and, in the same transaction, deletes any other item with
  // the same key: a newer flush of a group supersedes an undelivered older one. Returns the new id.
  [[nodiscard]] Result<int64_t> enqueue(const OutboxItem& item);
  // Several enqueues (one flush's integrations) in ONE transaction; returns ids in order. Items
  // sharing a key supersede in order: only the last of them remains. Empty: touches nothing.
  [[nodiscard]] Result<std::vector<int64_t>> enqueue_all(const std::vector<OutboxItem>& items);

  // Items with next_attempt_at <= now, by (next_attempt_at, id), at most `limit`; with `take`,
  // only those it accepts (the others are passed over without reading their payload).
  [[nodiscard]] Result<std::vector<OutboxItem>> due(WallTime now, size_t limit,
                                                    const OutboxFilter& take = {}) const;
  // The earliest next_attempt_at of the items `take` accepts (all without it), or nullopt when
  // there is none.
  [[nodiscard]] Result<std::optional<WallTime>> next_attempt(const OutboxFilter& take = {}) const;
  // Every item, by id.
  [[nodiscard]] Result<std::vector<OutboxItem>> pending() const;
  // How many items wait, and when the oldest was written (nullopt: none): /metrics' outbox
  // gauges, which HeraldOutboxBacklog watches.
  struct Stats {
    int64_t items = 0;
    std::optional<WallTime> oldest_created_at;
  };
  [[nodiscard]] Result<Stats> stats() const;
  // The key's undelivered item, if any (there is at most one).
  [[nodiscard]] Result<std::optional<OutboxItem>> find(const NotificationLogKey& key) const;

  // attempts += 1, sets next_attempt_at and last_error. Missing id (superseded): ok, no-op.
  [[nodiscard]] Status retry_later(int64_t id, WallTime next_attempt_at, std::string_view error);
  // In ONE transaction: if the item still exists, deletes it and upserts its notification-log row
  // with at = delivered_at and data = data. Returns false when the item was already gone
  // (superseded), in which case the log is NOT written.
  [[nodiscard]] Result<bool> delivered(int64_t id, WallTime delivered_at, std::string_view data);
  // Deletes the item (a permanent failure). Missing id: ok, no-op.
  [[nodiscard]] Status give_up(int64_t id);

  // Every write above is one transaction: a locked database, a full disk or an I/O error is
  // kUnavailable and changes nothing.

 private:
  Database& db_;
};

}  // namespace herald::storage
