// RouterAlertStore: the router's alerts (Alertmanager's alert provider), persisted so a restart
// loses no pending resolve (Alertmanager keeps them in memory only: issues #2370, #2339, #627).
// One row per labels' fingerprint. Times are stored to the millisecond. Thread-safe.
#pragma once

#include <vector>

#include "model/alert.h"
#include "model/error.h"
#include "model/labels.h"
#include "storage/database.h"

namespace herald::storage {

class RouterAlertStore {
 public:
  explicit RouterAlertStore(Database& db) : db_(db) {}

  // Every alert, by (unsigned) fingerprint.
  [[nodiscard]] Result<std::vector<Alert>> load() const;
  // Upserts each alert by its labels' fingerprint, in one transaction; a later alert with the
  // same labels wins. Empty: touches nothing.
  [[nodiscard]] Status put_all(const std::vector<Alert>& alerts);
  // Deletes these alerts (absent ones are no error), in one transaction.
  [[nodiscard]] Status erase(const std::vector<Fingerprint>& fingerprints);

  // Writes are one transaction: a locked database, a full disk or an I/O error is kUnavailable
  // and changes nothing.

 private:
  Database& db_;
};

}  // namespace herald::storage
