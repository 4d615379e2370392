// Loaded<T>: the result of loading a user-written file — the value when it is valid, and every
// diagnostic found (errors and warnings), so `herald check` can report all mistakes at once.
#pragma once

#include <optional>

#include "model/diagnostic.h"

namespace herald::config {

template <class T>
struct Loaded {
  std::optional<T> value;  // set only when `diagnostics` holds no error
  Diagnostics diagnostics;

  [[nodiscard]] bool ok() const { return value.has_value() && !has_errors(diagnostics); }
};

}  // namespace herald::config
