// Rendering of Diagnostic in the compiler-style form editors understand.
#include "model/diagnostic.h"

#include <algorithm>

namespace herald {

std::string Diagnostic::to_string() const {
  std::string out;
  if (!pos.file.empty()) out += pos.file + ":";
  if (pos.line > 0) {
    out += std::to_string(pos.line) + ":";
    if (pos.column > 0) out += std::to_string(pos.column) + ":";
  }
  if (!out.empty()) out += " ";
  out += severity == Severity::kError ? "error: " : "warning: ";
  out += message;
  return out;
}

bool has_errors(const Diagnostics& diags) {
  return std::any_of(diags.begin(), diags.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace herald
