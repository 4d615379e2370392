// Message-IDs that thread a group's emails: every group has a stable root id derived from its
// group key; the group's first email carries it as its own Message-ID and every later one refers
// to it (In-Reply-To, References), which is how mail clients (Thunderbird, Apple Mail, Outlook)
// build a conversation. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace herald::notifiers {

// "<first 32 hex digits of SHA-256(group_key)>@herald", without angle brackets.
[[nodiscard]] std::string thread_root_id(std::string_view group_key);

// A later email's own id: "<root's 32 hex>.<unix nanoseconds>.<sequence>@herald".
[[nodiscard]] std::string reply_message_id(std::string_view root_id, int64_t unix_nanos,
                                           uint64_t sequence);

// Whether `id` can be written between angle brackets in a header as is: a non-empty
// dot-atom-text "@" dot-atom-text of at most 200 characters (previous_data read back from the
// notification log is checked before it goes into a header).
[[nodiscard]] bool is_message_id(std::string_view id);

}  // namespace herald::notifiers
