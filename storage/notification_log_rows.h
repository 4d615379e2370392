// Storage-internal: the notification_log row format shared by NotificationLog and
// Outbox::delivered (which writes a row in its own transaction), and the hash-set codec both
// tables use. Both live in notification_log.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "storage/connection.h"
#include "storage/notification_log.h"

namespace herald::storage {

// A set of alert hashes as a BLOB: little-endian uint64s, ascending, unique. Encoding sorts and
// deduplicates its input; decoding refuses a length that is not a multiple of 8 or an unsorted or
// repeated hash (kInvalidInput).
[[nodiscard]] std::string encode_hashes(std::vector<uint64_t> hashes);
[[nodiscard]] Result<std::vector<uint64_t>> decode_hashes(std::string_view blob);

// expires_at's column value: NULL (never) for WallTime::max().
void bind_expiry(Statement& stmt, int index, WallTime expires_at);
[[nodiscard]] WallTime column_expiry(const Statement& stmt, int col);

// Binds the key to parameters first … first+3.
void bind_log_key(Statement& stmt, int first, const NotificationLogKey& key);

// REQUIRES: conn's lock held, inside a Transaction.
[[nodiscard]] Status upsert_log_row(Connection& conn, const NotificationLogKey& key,
                                    const NotificationLogRow& row);

}  // namespace herald::storage
