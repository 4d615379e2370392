// A strict little parser for Prometheus text format 0.0.4, for checking the demo exporter's
// output in tests: every sample must follow its family's `# HELP` and `# TYPE` lines.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace herald::demo::testing {

struct ParsedSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct ParsedExposition {
  std::map<std::string, std::string> types;  // family → counter|gauge|histogram
  std::vector<ParsedSample> samples;
  std::vector<std::string> errors;  // well-formedness problems, empty when the text is valid

  // Sum of the samples named `name` whose labels include every pair of `match`.
  [[nodiscard]] double sum(const std::string& name,
                           const std::map<std::string, std::string>& match = {}) const;
  [[nodiscard]] std::optional<double> value(const std::string& name,
                                            const std::map<std::string, std::string>& labels) const;
};

ParsedExposition parse_exposition(const std::string& text);

}  // namespace herald::demo::testing
