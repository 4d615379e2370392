// Prometheus's alert template expansion: the data and variables an alerting rule's labels and
// annotations see, and the "<error expanding template: …>" fallback on execution errors.
#pragma once

#include <optional>
#include <string>

#include "model/clock.h"
#include "model/labels.h"
#include "template/execute.h"
#include "template/template.h"
#include "template/value.h"

namespace herald::tmpl {

struct AlertTemplateData {
  LabelSet labels;
  LabelSet external_labels;
  std::string external_url;
  double value = 0;
  std::optional<WallTime> active_at, fired_at;
};

// The dot: {Labels, ExternalLabels, ExternalURL, Value, ActiveAt, FiredAt}; absent times are nil.
[[nodiscard]] Value alert_dot(const AlertTemplateData& data);

// Expands `t` as Prometheus does for alerts: predefined $labels $externalLabels $externalURL
// $value (and herald's $activeAt $firedAt). On an execution error returns
// "<error expanding template: error executing template NAME: …>" and sets *error_out.
// `query` may be null (then `query` fails at run time).
[[nodiscard]] std::string expand_alert_template(const Template& t, const AlertTemplateData& data,
                                                const QueryFunc* query,
                                                std::string* error_out = nullptr);

}  // namespace herald::tmpl
