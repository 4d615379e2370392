// Notification <-> JSON with nlohmann_json; previous_data is not encoded (it is read from the
// notification log at delivery time, so it is the freshest).
#include "router/notification_codec.h"

#include <nlohmann/json.hpp>

namespace herald::router {
namespace {

using nlohmann::json;

int64_t to_ns(WallTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
WallTime from_ns(int64_t ns) {
  return WallTime{std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(ns))};
}

json encode_alert(const Alert& a) {
  return json{{"labels", a.labels.to_map()},
              {"annotations", a.annotations},
              {"starts_at", to_ns(a.starts_at)},
              {"ends_at", to_ns(a.ends_at)},
              {"generator_url", a.generator_url},
              {"updated_at", to_ns(a.updated_at)},
              {"timeout", a.timeout}};
}

Alert decode_alert(const json& j) {
  Alert a;
  a.labels = LabelSet(j.at("labels").get<std::map<std::string, std::string>>());
  a.annotations = j.at("annotations").get<Annotations>();
  a.starts_at = from_ns(j.at("starts_at").get<int64_t>());
  a.ends_at = from_ns(j.at("ends_at").get<int64_t>());
  a.generator_url = j.at("generator_url").get<std::string>();
  a.updated_at = from_ns(j.at("updated_at").get<int64_t>());
  a.timeout = j.at("timeout").get<bool>();
  return a;
}

json encode_alerts(const std::vector<Alert>& alerts) {
  json out = json::array();
  for (const Alert& a : alerts)
    out.push_back(encode_alert(a));
  return out;
}

std::vector<Alert> decode_alerts(const json& j) {
  std::vector<Alert> out;
  for (const json& a : j)
    out.push_back(decode_alert(a));
  return out;
}

}  // namespace

std::string encode_notification(const Notification& n) {
  return json{{"receiver", n.receiver},
              {"group_key", n.group_key},
              {"group_labels", n.group_labels.to_map()},
              {"firing", encode_alerts(n.firing)},
              {"resolved", encode_alerts(n.resolved)}}
      .dump();
}

Result<Notification> decode_notification(const std::string& text) {
  try {
    const json j = json::parse(text);
    Notification n;
    n.receiver = j.at("receiver").get<std::string>();
    n.group_key = j.at("group_key").get<std::string>();
    n.group_labels = LabelSet(j.at("group_labels").get<std::map<std::string, std::string>>());
    n.firing = decode_alerts(j.at("firing"));
    n.resolved = decode_alerts(j.at("resolved"));
    return n;
  } catch (const json::exception& e) {
    return make_error(ErrorCode::kInvalidInput, std::string("outbox payload: ") + e.what());
  }
}

}  // namespace herald::router
