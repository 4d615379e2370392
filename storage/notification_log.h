// NotificationLog: Alertmanager's nflog, persisted — per (group key, receiver integration), the
// last successful notification's time, its firing and resolved alert hashes, and the integration's
// data (e.g. a Slack message's channel and ts), so a restart neither repeats a page nor forgets a
// resolve. Written by Outbox::delivered (or put), pruned by expiry. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "storage/database.h"

namespace herald::storage {

// Alertmanager's nflog key: group key + receiver integration.
struct NotificationLogKey {
  std::string group_key;
  std::string receiver;     // receiver name
  std::string integration;  // "webhook", "slack", …
  int index = 0;            // position among that receiver's integrations of this kind
  friend bool operator==(const NotificationLogKey&, const NotificationLogKey&) = default;
};

struct NotificationLogRow {
  WallTime at{};  // when the notification succeeded
  // Alert hashes. Stored sorted and unique whatever the order given, and read back that way.
  std::vector<uint64_t> firing;
  std::vector<uint64_t> resolved;
  WallTime expires_at{};  // WallTime::max() is "never" and round-trips exactly
  std::string data;       // integration data (opaque text, e.g. Slack channel+ts JSON)
  friend bool operator==(const NotificationLogRow&, const NotificationLogRow&) = default;
};

class NotificationLog {
 public:
  explicit NotificationLog(Database& db) : db_(db) {}

  // The key's row, or nullopt. An expired row not yet pruned is still returned.
  [[nodiscard]] Result<std::optional<NotificationLogRow>> get(const NotificationLogKey& key) const;
  // Upserts the key's row in one transaction. A locked database, a full disk or an I/O error is
  // kUnavailable and changes nothing.
  [[nodiscard]] Status put(const NotificationLogKey& key, const NotificationLogRow& row);
  // Deletes rows with expires_at <= now; returns how many.
  [[nodiscard]] Result<size_t> prune(WallTime now);

 private:
  Database& db_;
};

}  // namespace herald::storage
