// Names of alert states as Prometheus's API spells them.
#include "model/alert.h"

namespace herald {

std::string_view to_string(AlertState s) {
  switch (s) {
    case AlertState::kInactive:
      return "inactive";
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
  }
  return "inactive";
}

}  // namespace herald
