// Prometheus rule files (model/rulefmt in prometheus/prometheus), loaded unchanged and validated
// as Prometheus validates them, with every error located at file:line:column and naming its
// group and rule. Values are immutable after load and safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/loaded.h"
#include "model/diagnostic.h"
#include "model/duration.h"

namespace herald::config {

enum class RuleKind { kAlerting, kRecording };

struct Rule {
  RuleKind kind = RuleKind::kAlerting;
  std::string name;   // `alert:` or `record:`
  std::string expr;   // as written
  std::string query;  // in normal form (promql/printer.h), as Prometheus's /api/v1/rules shows it
  Duration for_{0};
  Duration keep_firing_for{0};
  std::map<std::string, std::string> labels;       // values are templates (alerting rules)
  std::map<std::string, std::string> annotations;  // values are templates
  SourcePos pos;                                   // of the rule's list item
  SourcePos name_pos;                              // of the alert/record value
  SourcePos expr_pos;
  std::map<std::string, SourcePos> label_pos;       // label name → position of its value
  std::map<std::string, SourcePos> annotation_pos;  // annotation name → position of its value
};

struct RuleGroup {
  std::string name;
  std::optional<Duration> interval;           // absent: global.evaluation_interval
  int64_t limit = 0;                          // max alerts per rule; 0 = no limit
  std::optional<Duration> query_offset;       // absent: the global default (0s)
  std::map<std::string, std::string> labels;  // added to every rule's labels
  std::vector<Rule> rules;
  SourcePos pos;
};

struct RuleFile {
  std::string path;
  std::vector<RuleGroup> groups;
};

// Parses and validates rule-file text; `path_for_messages` prefixes every diagnostic. Reports
// every error found. A file with recording rules also gets one warning: herald validates them
// but does not evaluate them (it writes no samples).
[[nodiscard]] Loaded<RuleFile> parse_rule_file(std::string_view path_for_messages,
                                               std::string_view content);

// Reads `path` and parses it; an unreadable file is one diagnostic.
[[nodiscard]] Loaded<RuleFile> load_rule_file(const std::string& path);

}  // namespace herald::config
