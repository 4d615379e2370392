// The placeholder integration: always a permanent failure.
#include "notifiers/unsupported.h"

namespace herald::notifiers {

DeliveryResult UnsupportedNotifier::notify(const Notification&, WallTime) {
  return {DeliveryOutcome::kPermanent, std::nullopt,
          "herald cannot deliver to " + integration_ + " yet", ""};
}

}  // namespace herald::notifiers
