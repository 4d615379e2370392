// The stages a due flush passes on its way to the outbox, in the order of Alertmanager's notify
// pipeline (notify/notify.go, v0.25): time intervals, inhibitions, silences, dedup against the
// notification log. Each is pure — inputs and `now` in, decision out; Router does the I/O between.
#pragma once

#include <optional>

#include "config/routing.h"
#include "model/clock.h"
#include "router/flush.h"
#include "router/inhibitor.h"
#include "router/route.h"
#include "router/silence.h"
#include "storage/notification_log.h"
#include "storage/outbox.h"

namespace herald::router {

// TimeMuteStage and TimeActiveStage: whether a flush of `route` at `now` is muted — inside one of
// its mute_time_intervals, or outside all of its active_time_intervals (when it has any). A muted
// flush sends nothing and logs nothing, yet counts as done (the stage ends Alertmanager's pipeline
// without an error, so resolved alerts leave the group). Names `routing` lacks are ignored: config
// validation rejects them.
[[nodiscard]] bool time_muted(const Route& route, const config::RoutingConfig& routing,
                              WallTime now);

// MuteStage with the inhibitor: `flush` without its alerts (firing or resolved) inhibited at `now`.
[[nodiscard]] Flush drop_inhibited(Flush flush, const Inhibitor& inhibitor, WallTime now);

// MuteStage with the silencer: `flush` without its alerts an active silence matches at `now`.
[[nodiscard]] Flush drop_silenced(Flush flush, const Silences& silences, WallTime now);

// What the notification log and the outbox hold for one receiver integration.
struct IntegrationLog {
  std::optional<storage::NotificationLogRow> logged;  // the last delivered notification
  std::optional<storage::OutboxItem> queued;          // one waiting for a retry, or being sent
};

// DedupStage's verdict for one receiver integration.
struct DedupStep {
  enum class Action {
    kNone,     // nothing new to say: nothing is sent or written
    kLog,      // nothing to send, but `log` is written now (see FlushDecision)
    kEnqueue,  // `item` goes to the outbox; its delivery writes item.log
  };
  Action action = Action::kNone;
  storage::NotificationLogRow log;  // kLog
  storage::OutboxItem item;         // kEnqueue
};

// DedupStage for the integration `key` names, with `flush` as the mute stages left it. A queued
// notification writes its log entry when delivered, so the decision is made against that entry
// (dated when it was queued): a flush with nothing newer to say does not supersede it, as
// superseding one already on the wire would send the same notification twice (e.g. groups and
// outbox both due at start-up). A kLog row keeps the integration's data (a Slack thread, a
// PagerDuty key). The item is due at `now`.
[[nodiscard]] DedupStep dedup(const Flush& flush, const storage::NotificationLogKey& key,
                              bool send_resolved, const IntegrationLog& state, WallTime now);

}  // namespace herald::router
