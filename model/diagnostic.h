// A located message about user input: "file:line:column: error: message".
// Parsers collect every Diagnostic they can find rather than stopping at the first.
#pragma once

#include <string>
#include <vector>

namespace herald {

// 1-based line and column; 0 means unknown.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  SourcePos pos;
  Severity severity = Severity::kError;
  std::string message;

  // "file:line:col: error: message" (parts that are unknown are left out).
  [[nodiscard]] std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

[[nodiscard]] bool has_errors(const Diagnostics& diags);

}  // namespace herald
