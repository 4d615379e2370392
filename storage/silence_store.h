// SilenceStore: silences as rows — the router owns the Silence type, storage the column encoding
// (matchers as storage/matcher_codec.h's JSON). Expired silences are kept for the API until
// pruned. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "model/matcher.h"
#include "storage/database.h"

namespace herald::storage {

struct SilenceRow {
  std::string id;  // uuid text
  Matchers matchers;
  WallTime starts_at{}, ends_at{}, updated_at{};
  std::string created_by, comment;
  friend bool operator==(const SilenceRow&, const SilenceRow&) = default;
};

class SilenceStore {
 public:
  explicit SilenceStore(Database& db) : db_(db) {}

  // Every silence, by id (byte order). A row whose matchers do not decode (no release writes one)
  // is skipped, so one bad row cannot keep the router from starting.
  [[nodiscard]] Result<std::vector<SilenceRow>> load() const;
  // Upserts by id, in one transaction (kUnavailable for a locked/full/failing disk, unchanged).
  [[nodiscard]] Status put(const SilenceRow& row);
  // Deletes rows with ends_at < expired_before; returns how many.
  [[nodiscard]] Result<size_t> prune(WallTime expired_before);

 private:
  Database& db_;
};

}  // namespace herald::storage
