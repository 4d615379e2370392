// A Notifier for an integration this build cannot deliver to — today only email, when
// build_notifiers was given no SmtpClient: every notify() fails permanently with a clear error,
// so routing, dedup and the receiver's health still run and show the gap.
#pragma once

#include <string>
#include <string_view>

#include "model/notifier.h"

namespace herald::notifiers {

class UnsupportedNotifier final : public Notifier {
 public:
  UnsupportedNotifier(std::string integration, bool send_resolved)
      : integration_(std::move(integration)), send_resolved_(send_resolved) {}

  [[nodiscard]] std::string_view integration() const override { return integration_; }
  [[nodiscard]] bool send_resolved() const override { return send_resolved_; }
  // kPermanent, "herald cannot deliver to <integration> yet". Thread-safe (no state).
  [[nodiscard]] DeliveryResult notify(const Notification& notification, WallTime now) override;

 private:
  const std::string integration_;
  const bool send_resolved_;
};

}  // namespace herald::notifiers
