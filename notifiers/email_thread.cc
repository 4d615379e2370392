// Threading ids for email.
#include "notifiers/email_thread.h"

#include <algorithm>
#include <cctype>

#include "notifiers/sha256.h"

namespace herald::notifiers {
namespace {

constexpr std::string_view kDomain = "herald";

bool atext(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool dot_atom_text(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos)
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '.' || atext(c); });
}

}  // namespace

std::string thread_root_id(std::string_view group_key) {
  return sha256_hex(group_key).substr(0, 32) + "@" + std::string(kDomain);
}

std::string reply_message_id(std::string_view root_id, int64_t unix_nanos, uint64_t sequence) {
  const std::string_view left = root_id.substr(0, std::min(root_id.find('@'), size_t{32}));
  return std::string(left) + "." + std::to_string(unix_nanos) + "." + std::to_string(sequence) +
         "@" + std::string(kDomain);
}

bool is_message_id(std::string_view id) {
  const size_t at = id.find('@');
  return id.size() <= 200 && at != std::string_view::npos && dot_atom_text(id.substr(0, at)) &&
         dot_atom_text(id.substr(at + 1));
}

}  // namespace herald::notifiers
