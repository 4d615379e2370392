// SilenceStore: silences as rows — the router owns the Silence type and encodes its matchers as
// text (JSON); storage keeps them opaque. Expired silences are kept for the API until pruned.
// Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "storage/database.h"

namespace herald::storage {

struct SilenceRow {
  std::string id;        // uuid text
  std::string matchers;  // opaque text (JSON) owned by the router
  WallTime starts_at{}, ends_at{}, updated_at{};
  std::string created_by, comment;
  friend bool operator==(const SilenceRow&, const SilenceRow&) = default;
};

class SilenceStore {
 public:
  explicit SilenceStore(Database& db) : db_(db) {}

  // Every silence, by id (byte order).
  [[nodiscard]] Result<std::vector<SilenceRow>> load() const;
  // Upserts by id, in one transaction (kUnavailable for a locked/full/failing disk, unchanged).
  [[nodiscard]] Status put(const SilenceRow& row);
  // Deletes rows with ends_at < expired_before; returns how many.
  [[nodiscard]] Result<size_t> prune(WallTime expired_before);

 private:
  Database& db_;
};

}  // namespace herald::storage
