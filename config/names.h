// Name syntax shared by rule files and herald.yml: Prometheus's legacy (ASCII) validation scheme,
// which every Prometheus and Alertmanager version accepts.
#pragma once

#include <string_view>

namespace herald::config {

// [a-zA-Z_][a-zA-Z0-9_]* — label names and annotation names.
[[nodiscard]] bool is_valid_label_name(std::string_view name);

// [a-zA-Z_:][a-zA-Z0-9_:]* — metric names, hence recording rule names.
[[nodiscard]] bool is_valid_metric_name(std::string_view name);

}  // namespace herald::config
