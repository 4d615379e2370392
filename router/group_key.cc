// Group labels and group keys, as Alertmanager's dispatch.go and prometheus/common render them.
#include "router/group_key.h"

#include <algorithm>
#include <vector>

namespace herald::router {

LabelSet group_labels(const Route& route, const LabelSet& alert_labels) {
  if (route.group_by_all()) return alert_labels;
  LabelSet out;
  for (const Label& l : alert_labels) {
    if (route.group_by().contains(l.name)) out.set(l.name, l.value);
  }
  return out;
}

std::string render_group_labels(const LabelSet& labels) {
  std::vector<std::string> pairs;
  pairs.reserve(labels.size());
  for (const Label& l : labels)
    pairs.push_back(l.name + "=" + go_quote(l.value));
  std::sort(pairs.begin(), pairs.end());
  std::string out = "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out += ", ";
    out += pairs[i];
  }
  out += '}';
  return out;
}

std::string group_key(const Route& route, const LabelSet& group_labels) {
  return route.key() + ":" + render_group_labels(group_labels);
}

}  // namespace herald::router
