// The outbox payload: a Notification as JSON text, so a notification written before its first
// attempt is delivered exactly as decided even after a crash or a reload. Times keep nanoseconds.
#pragma once

#include <string>

#include "model/error.h"
#include "model/notifier.h"

namespace herald::router {

[[nodiscard]] std::string encode_notification(const Notification& n);
// kInvalidInput when `text` is not what encode_notification wrote (a corrupt row).
[[nodiscard]] Result<Notification> decode_notification(const std::string& text);

}  // namespace herald::router
