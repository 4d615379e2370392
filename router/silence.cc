// Silences as silence/silence.go (Set, canUpdate, expire, getState, validateSilence) and the
// checks api/v2/api.go makes before calling Set, Alertmanager v0.25.
#include "router/silence.h"

#include <algorithm>
#include <random>

namespace herald::router {
namespace {

// model.LabelName.IsValid in prometheus/common as Alertmanager 0.25 uses it.
bool valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Go's utf8.ValidString: well-formed UTF-8, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// silence.go matchesEmpty: only `=` and `=~` matchers are asked; `!=` and `!~` count as not
// matching "" even when they do.
bool matches_empty(const Matcher& m) {
  switch (m.type()) {
    case MatchType::kEqual:
      return m.value().empty();
    case MatchType::kRegex:
      return m.matches(std::string_view());
    default:
      return false;
  }
}

// silence.go canUpdate: whether `next` may replace `prev` without rewriting history.
bool can_update(const Silence& prev, const Silence& next, WallTime now) {
  if (prev.matchers != next.matchers) return false;
  switch (state_at(prev, now)) {
    case SilenceState::kActive:
      return next.starts_at == prev.starts_at && next.ends_at >= now;
    case SilenceState::kPending:
      return next.starts_at >= now;
    case SilenceState::kExpired:
      return false;
  }
  return false;
}

tl::unexpected<Error> not_found() {
  return make_error(ErrorCode::kNotFound, "silence not found");
}

}  // namespace

std::string_view to_string(SilenceState s) {
  switch (s) {
    case SilenceState::kPending:
      return "pending";
    case SilenceState::kActive:
      return "active";
    case SilenceState::kExpired:
      return "expired";
  }
  return "unknown";
}

SilenceState state_at(const Silence& s, WallTime now) {
  if (now < s.starts_at) return SilenceState::kPending;
  if (now > s.ends_at) return SilenceState::kExpired;
  return SilenceState::kActive;
}

Status validate(const Silence& s) {
  if (s.matchers.empty()) return invalid_input("matchers: at least one matcher required");
  bool all_match_empty = true;
  for (size_t i = 0; i < s.matchers.size(); ++i) {
    const Matcher& m = s.matchers[i];
    const std::string field = "matchers[" + std::to_string(i) + "]: ";
    if (!valid_label_name(m.name())) {
      return invalid_input(field + "invalid label name " + go_quote(m.name()));
    }
    const bool equality = m.type() == MatchType::kEqual || m.type() == MatchType::kNotEqual;
    if (equality && !valid_utf8(m.value())) {
      return invalid_input(field + "invalid label value " + go_quote(m.value()));
    }
    all_match_empty = all_match_empty && matches_empty(m);
  }
  if (all_match_empty) {
    return invalid_input("matchers: at least one matcher must not match the empty string");
  }
  if (s.starts_at == WallTime{}) return invalid_input("startsAt: invalid zero start timestamp");
  if (s.ends_at == WallTime{}) return invalid_input("endsAt: invalid zero end timestamp");
  if (s.ends_at < s.starts_at) {
    return invalid_input("endsAt: end time must not be before start time");
  }
  return {};
}

std::string random_uuid_v4() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;              // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    const uint64_t word = i < 16 ? hi : lo;
    out += kHex[(word >> (60 - 4 * (i % 16))) & 0xF];
  }
  return out;
}

Result<std::string> Silences::set(Silence s, WallTime now) {
  // The v2 API's checks, made before Silences.Set.
  if (s.starts_at >= s.ends_at) {
    return invalid_input("endsAt: start time must be before end time");
  }
  if (s.ends_at < now) return invalid_input("endsAt: end time can't be in the past");

  const Silence* prev = nullptr;
  if (!s.id.empty()) {
    auto it = silences_.find(s.id);
    if (it == silences_.end()) return not_found();
    prev = &it->second;
  }
  s.updated_at = now;
  if (prev != nullptr && can_update(*prev, s, now)) {
    if (Status ok = validate(s); !ok) return tl::unexpected(ok.error());
    std::string id = s.id;
    put(std::move(s));
    return id;
  }
  const std::string prev_id = prev != nullptr ? prev->id : "";
  const bool expire_prev = prev != nullptr && state_at(*prev, now) != SilenceState::kExpired;
  s.id = new_id_();
  if (silences_.contains(s.id)) {
    return make_error(ErrorCode::kInternal, "generated silence id " + s.id + " is taken");
  }
  s.starts_at = std::max(s.starts_at, now);
  if (Status ok = validate(s); !ok) return tl::unexpected(ok.error());
  if (expire_prev) {
    if (Status ok = expire(prev_id, now); !ok) return tl::unexpected(ok.error());
  }
  std::string id = s.id;
  put(std::move(s));
  return id;
}

Status Silences::expire(std::string_view id, WallTime now) {
  auto it = silences_.find(id);
  if (it == silences_.end()) return not_found();
  Silence s = it->second;
  switch (state_at(s, now)) {
    case SilenceState::kExpired:
      return invalid_input("silence " + s.id + " already expired");
    case SilenceState::kActive:
      s.ends_at = now;
      break;
    case SilenceState::kPending:
      s.starts_at = now;
      s.ends_at = now;
      break;
  }
  s.updated_at = now;
  put(std::move(s));
  return {};
}

std::optional<Silence> Silences::get(std::string_view id) const {
  auto it = silences_.find(id);
  if (it == silences_.end()) return std::nullopt;
  return it->second;
}

std::vector<Silence> Silences::list() const {
  std::vector<Silence> out;
  out.reserve(silences_.size());
  for (const auto& [id, s] : silences_)
    out.push_back(s);
  return out;
}

std::vector<std::string> Silences::silenced_by(const LabelSet& labels, WallTime now) const {
  std::vector<std::string> out;
  for (const auto& [id, s] : silences_) {
    if (state_at(s, now) == SilenceState::kActive && matches_all(s.matchers, labels)) {
      out.push_back(id);
    }
  }
  return out;  // the map iterates in id order
}

void Silences::restore(std::vector<Silence> silences) {
  silences_.clear();
  changed_.clear();
  for (Silence& s : silences) {
    std::string id = s.id;
    silences_.insert_or_assign(std::move(id), std::move(s));
  }
}

std::vector<Silence> Silences::take_changed() {
  std::vector<Silence> out;
  out.reserve(changed_.size());
  for (const std::string& id : changed_) {
    if (auto it = silences_.find(id); it != silences_.end()) out.push_back(it->second);
  }
  changed_.clear();
  return out;
}

std::vector<std::string> Silences::gc(WallTime now, Duration retention) {
  std::vector<std::string> removed;
  for (auto it = silences_.begin(); it != silences_.end();) {
    if (it->second.ends_at + retention > now) {
      ++it;
      continue;
    }
    removed.push_back(it->first);
    changed_.erase(it->first);
    it = silences_.erase(it);
  }
  return removed;
}

void Silences::put(Silence s) {
  changed_.insert(s.id);
  std::string id = s.id;
  silences_.insert_or_assign(std::move(id), std::move(s));
}

}  // namespace herald::router
