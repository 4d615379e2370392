// Silences: matchers that mute alerts for a time window, and the in-memory registry of them —
// Alertmanager's silence.Silences (silence/silence.go) plus the checks of its v2 API's POST
// /silences (api/v2/api.go), v0.25. Pure: every call takes `now`. Not thread-safe: the caller
// serialises access (const calls may run concurrently with each other). Persisting is the
// caller's: take_changed() hands over what to write.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/clock.h"
#include "model/duration.h"
#include "model/error.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace herald::router {

struct Silence {
  std::string id;
  std::vector<Matcher> matchers;
  WallTime starts_at{};
  WallTime ends_at{};
  WallTime updated_at{};
  std::string created_by;
  std::string comment;

  friend bool operator==(const Silence&, const Silence&) = default;
};

enum class SilenceState { kPending, kActive, kExpired };

[[nodiscard]] std::string_view to_string(SilenceState s);  // "pending" | "active" | "expired"

// Alertmanager's getState: pending before starts_at, expired after ends_at, otherwise active —
// so a silence is still active at exactly ends_at (and one expired at `now` is active at `now`).
[[nodiscard]] SilenceState state_at(const Silence& s, WallTime now);

// Alertmanager's validateSilence, errors prefixed with the JSON field: at least one matcher;
// each matcher's name a valid label name and an (in)equality value valid UTF-8 (regexes were
// checked when the Matcher was made); at least one `=` or `=~` matcher that does not match ""
// (Alertmanager counts every `!=` / `!~` matcher as not matching "", so {a!="x"} is accepted);
// starts_at and ends_at set, ends_at not before starts_at. created_by and comment may be empty:
// the v2 API requires the JSON fields but not their content.
[[nodiscard]] Status validate(const Silence& s);

// A random UUID version 4 in its canonical text form (8-4-4-4-12 lowercase hex).
[[nodiscard]] std::string random_uuid_v4();

// Alertmanager's default --data.retention: an ended silence is kept this long, then collected.
inline constexpr Duration kSilenceRetention = std::chrono::hours(120);

class Silences {
 public:
  using IdGenerator = std::function<std::string()>;
  explicit Silences(IdGenerator new_id = random_uuid_v4) : new_id_(std::move(new_id)) {}

  // POST /api/v2/silences. Rejects (kInvalidInput) a silence not starting before it ends, or
  // ending before `now`; an id that is unknown is kNotFound. A silence with a known id is updated
  // in place when Alertmanager's canUpdate allows it — same matchers (same order) and: pending
  // and the new start not before now; or active, the same start and the new end not before now.
  // Otherwise (and when no id is given) it gets a new id, its start clamped to `now`, and the
  // old one, unless already expired, is expired at `now`. Then validate() applies. Returns the
  // id. Unlike Alertmanager 0.25, a failed update leaves the old silence untouched (Alertmanager
  // validates only after expiring it).
  [[nodiscard]] Result<std::string> set(Silence s, WallTime now);

  // DELETE /api/v2/silence/{id}: an active silence ends at `now`; a pending one starts and ends
  // at `now`. kNotFound when unknown; kInvalidInput "silence <id> already expired" when expired
  // (Alertmanager's API answers that with a 500).
  [[nodiscard]] Status expire(std::string_view id, WallTime now);

  [[nodiscard]] std::optional<Silence> get(std::string_view id) const;
  // Every silence (any state), ordered by id. (The v2 API sorts its list by state and time.)
  [[nodiscard]] std::vector<Silence> list() const;

  // The ids of the silences active at `now` whose matchers all match `labels`, sorted.
  // O(S·M) for S silences of M matchers.
  [[nodiscard]] std::vector<std::string> silenced_by(const LabelSet& labels, WallTime now) const;

  // Replaces every silence with `silences` (the persisted ones, at start-up), as Alertmanager
  // loads its snapshot: not validated, not reported by take_changed().
  void restore(std::vector<Silence> silences);

  // The current state of every silence set() or expire() created or changed since the last call,
  // ordered by id: what the caller must persist.
  [[nodiscard]] std::vector<Silence> take_changed();

  // Deletes the silences that ended at least `retention` before `now` (Alertmanager's GC) and
  // returns their ids, for the caller to delete from storage.
  std::vector<std::string> gc(WallTime now, Duration retention = kSilenceRetention);

 private:
  void put(Silence s);

  IdGenerator new_id_;
  std::map<std::string, Silence, std::less<>> silences_;
  std::set<std::string, std::less<>> changed_;
};

}  // namespace herald::router
