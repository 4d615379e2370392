// Hooks over the daemon's snapshots.
#include "server/daemon_hooks.h"

#include "config/config.h"

namespace herald::server {
namespace {

// The evaluator's alerts of one rule name, with the generator URLs it sends them with.
std::vector<ActiveRuleAlert> active_alerts(daemon::Daemon& d, const std::string& alertname) {
  const config::Datasource* source = d.config()->config.default_datasource();
  return active_rule_alerts(d.evaluator().groups(), alertname, source ? source->url : "");
}

}  // namespace

ServerHooks daemon_hooks(daemon::Daemon& d) {
  ServerHooks h;
  h.ops = {.ready = [&d] { return d.evaluator().ready(); },
           .metrics =
               [&d] {
                 d.router().update_metrics(d.clock().now());
                 return d.evaluator().metrics();
               },
           .reload = [&d] { return d.reload("HTTP"); }};
  h.prometheus = {.groups = [&d] { return d.evaluator().groups(); },
                  .runtimeinfo = [&d] { return d.reloader().runtimeinfo_json(); },
                  .shard =
                      [&d] {
                        const evaluator::Shard& s = d.evaluator().shard();
                        return RulesShard{s, evaluator::groups_elsewhere(d.config()->rules, s)};
                      }};
  h.history = [&d](const storage::HistoryQuery& q) { return d.history().query(q); };
  h.runbooks = {.settings = [&d]() -> std::shared_ptr<const links::LinkSettings> {
                  auto loaded = d.config();
                  return {loaded, &loaded->links};
                },
                .active_alerts = [&d](const std::string& name) { return active_alerts(d, name); },
                .clock = &d.clock()};
  h.alertmanager = {
      .router = [&d] { return d.router().router(); },
      .receive = [&d](std::vector<Alert> a) { return d.router().receive(std::move(a)); },
      .config_original = [&d] { return config::dump_config(d.config()->config); },
      .clock = &d.clock(),
      .started = d.started()};
  h.auth_token_file = [&d] { return d.reloader().auth_token_file(); };
  h.metrics = &d.evaluator().registry();
  return h;
}

}  // namespace herald::server
