// Internal to config/: the config dump of the Alertmanager sections and their global fields.
// Every Secret prints as "<secret>"; URLs that are credentials print as "<secret>" whole.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/routing.h"

namespace herald::config::detail {

// Keys of the `global:` mapping (the caller has begun it).
void dump_notifier_defaults(YAML::Emitter& out, const NotifierDefaults& g);
// Top-level keys route, receivers, inhibit_rules, time_intervals (the caller's mapping).
void dump_routing(YAML::Emitter& out, const RoutingConfig& r);

void dump_receiver(YAML::Emitter& out, const Receiver& r);
void dump_http_config(YAML::Emitter& out, const HttpConfig& h);
void dump_tls(YAML::Emitter& out, const TlsConfig& t);  // a `tls_config` key and its mapping

}  // namespace herald::config::detail
