// Internal to config/: static checking of an alerting rule's label and annotation templates,
// with errors located inside the YAML scalar that holds the template.
#pragma once

#include <string_view>
#include <vector>

#include "config/yaml_reader.h"
#include "promql/labels.h"

namespace herald::config::detail {

enum class TemplateField { kLabel, kAnnotation };

// Parses each entry's value as a template named "__alert_<alert_name>" (as Prometheus does) and
// reports every parse error at its position in the file.
// With `result` (the labels the rule's expression can produce, when that set is closed), also
// reports each `$labels.X` / `.Labels.X` / `index $labels "X"` whose X can never be there.
void check_templates(ParseContext& ctx, const Path& rule, std::string_view alert_name,
                     const std::vector<ScalarEntry>& entries, TemplateField field,
                     const promql::ResultLabels* result = nullptr);

}  // namespace herald::config::detail
