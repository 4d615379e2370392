// Alertmanager's notification template data (prometheus/alertmanager template.Data) as template
// values, with the methods its templates call: Alerts.Firing/Resolved, KV.SortedPairs/Names/
// Values/Remove and Pairs.Names/Values. Printing a value gives what Go prints for the same data
// (e.g. {{ .Alerts }} lists each alert's fields in Alertmanager's order), so pasted templates
// render exactly as they do in Alertmanager. herald adds link methods (DashboardURL, RunbookURL,
// SilenceURL) on Data and Alert; as methods they do not show when a whole value is printed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/clock.h"
#include "model/labels.h"
#include "template/functions.h"
#include "template/methods.h"
#include "template/value.h"

namespace herald::tmpl::am {

// herald's links of an alert or a group ("" when there is none).
struct Links {
  std::string dashboard;
  std::string runbook;
  std::string silence;
};

struct AlertData {
  std::string status;  // "firing" | "resolved"
  LabelSet labels;
  LabelSet annotations;
  WallTime starts_at{};
  WallTime ends_at{};  // the zero time (0001-01-01) when unknown
  std::string generator_url;
  std::string fingerprint;  // 16 hex digits
  Links links;
};

struct Data {
  std::string receiver;
  std::string status;  // "firing" when any alert fires
  std::vector<AlertData> alerts;
  LabelSet group_labels;
  LabelSet common_labels;
  LabelSet common_annotations;
  std::string external_url;
  Links links;
};

// template.Data.
[[nodiscard]] Value data_value(const Data& data);
// template.KV: a map[string]string with KV's methods.
[[nodiscard]] Value kv_value(const LabelSet& labels);

// Go's zero time.Time (0001-01-01 00:00:00 UTC): a resolved-less alert's EndsAt.
[[nodiscard]] WallTime go_zero_time();

// The methods of `receiver`'s Alertmanager type (KV, Pairs, Alerts, Alert, Data), or null.
[[nodiscard]] const std::vector<MethodInfo>* methods_of(const Value& receiver);

// Alertmanager's template functions (toUpper, join, safeHtml, stringSlice, …).
[[nodiscard]] const std::vector<FuncInfo>& alertmanager_functions();

}  // namespace herald::tmpl::am
