// Silences as Alertmanager 0.25's silence.Silences and v2 POST/DELETE /silences: validation
// rules, states over fake time, when an edit keeps its id or replaces the silence, expiry.
#include "router/silence.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <string>

#include "tests/router/route_builders.h"

namespace rt = herald::router;
using herald::ErrorCode;
using herald::LabelSet;
using herald::Matcher;
using herald::MatchType;
using herald::WallTime;
using herald::router::testing::ms;
using rt::Silence;
using rt::SilenceState;
using namespace std::chrono_literals;

namespace {

const WallTime kNow = WallTime{} + std::chrono::hours(24 * 365 * 54);

Silence silence(const std::string& matchers, WallTime starts, WallTime ends) {
  Silence s;
  s.matchers = ms(matchers);
  s.starts_at = starts;
  s.ends_at = ends;
  s.created_by = "alice";
  s.comment = "maintenance";
  return s;
}

// Deterministic ids: "s1", "s2", …
rt::Silences registry() {
  return rt::Silences([n = 0]() mutable { return "s" + std::to_string(++n); });
}

}  // namespace

TEST_CASE("silence: validate applies Alertmanager's validateSilence", "[router][silence]") {
  struct Row {
    const char* what;
    Silence s;
    const char* error;  // nullptr: valid
  };
  const WallTime t0 = kNow, t1 = kNow + 1h;
  auto with = [](Silence s, const std::string& name, MatchType type, std::string value) {
    s.matchers.push_back(Matcher::create(name, type, std::move(value)).value());
    return s;
  };
  Silence none = silence("a=b", t0, t1);
  none.matchers.clear();
  Silence zero_start = silence("a=b", WallTime{}, t1);
  Silence zero_end = silence("a=b", t0, WallTime{});
  Silence anonymous = silence("a=b", t0, t1);
  anonymous.created_by.clear();
  anonymous.comment.clear();
  const Row row = GENERATE_COPY(values<Row>({
      {"one equality matcher", silence("a=b", t0, t1), nullptr},
      {"no matchers", none, "matchers: at least one matcher required"},
      {"label name starting with a digit", with(none, "1a", MatchType::kEqual, "x"),
       R"(matchers[0]: invalid label name "1a")"},
      {"empty label name", with(silence("a=b", t0, t1), "", MatchType::kEqual, "x"),
       R"(matchers[1]: invalid label name "")"},
      {"label name with a dash", with(none, "a-b", MatchType::kRegex, "x"),
       R"(matchers[0]: invalid label name "a-b")"},
      {"value not UTF-8", with(none, "a", MatchType::kNotEqual, "\xff"),
       "matchers[0]: invalid label value"},
      {"only an empty equality", silence(R"(a="")", t0, t1),
       "matchers: at least one matcher must not match the empty string"},
      {"only a regex matching empty", silence(R"(a=~".*", b=~"x|")", t0, t1),
       "matchers: at least one matcher must not match the empty string"},
      {"an empty equality beside a real one", silence(R"(a="", b="x")", t0, t1), nullptr},
      {"a regex not matching empty", silence(R"(a=~"x+")", t0, t1), nullptr},
      {"!= alone counts as not matching empty", silence(R"(a!="x")", t0, t1), nullptr},
      {"!~ alone counts as not matching empty", silence(R"(a!~".*")", t0, t1), nullptr},
      {"zero start", zero_start, "startsAt: invalid zero start timestamp"},
      {"zero end", zero_end, "endsAt: invalid zero end timestamp"},
      {"end before start", silence("a=b", t1, t0), "endsAt: end time must not be before start"},
      {"end equal to start", silence("a=b", t0, t0), nullptr},
      {"no author or comment", anonymous, nullptr},
  }));
  INFO(row.what);
  const herald::Status got = rt::validate(row.s);
  if (row.error == nullptr) {
    CHECK(got.has_value());
  } else {
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == ErrorCode::kInvalidInput);
    CHECK_THAT(got.error().message, Catch::StartsWith(row.error));
  }
}

TEST_CASE("silence: set rejects what the v2 API rejects", "[router][silence]") {
  struct Row {
    const char* what;
    Silence s;
    ErrorCode code;
    const char* error;
  };
  Silence unknown = silence("a=b", kNow, kNow + 1h);
  unknown.id = "nope";
  const Row row = GENERATE_COPY(values<Row>({
      {"start equal to end", silence("a=b", kNow + 1h, kNow + 1h), ErrorCode::kInvalidInput,
       "endsAt: start time must be before end time"},
      {"start after end", silence("a=b", kNow + 2h, kNow + 1h), ErrorCode::kInvalidInput,
       "endsAt: start time must be before end time"},
      {"end in the past", silence("a=b", kNow - 2h, kNow - 1s), ErrorCode::kInvalidInput,
       "endsAt: end time can't be in the past"},
      {"unknown id", unknown, ErrorCode::kNotFound, "silence not found"},
      {"invalid matchers", silence(R"(a="")", kNow, kNow + 1h), ErrorCode::kInvalidInput,
       "matchers: at least one matcher must not match the empty string"},
  }));
  INFO(row.what);
  rt::Silences silences = registry();
  auto got = silences.set(row.s, kNow);
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().code == row.code);
  CHECK(got.error().message == row.error);
  CHECK(silences.list().empty());
  CHECK(silences.take_changed().empty());
}

TEST_CASE("silence: states follow the clock, bounds inclusive", "[router][silence]") {
  rt::Silences silences = registry();
  const std::string id = silences.set(silence("a=b", kNow + 1h, kNow + 2h), kNow).value();
  CHECK(id == "s1");
  const LabelSet match{{"a", "b"}, {"c", "d"}};
  const LabelSet other{{"a", "x"}};
  struct Step {
    herald::Duration at;
    SilenceState state;
    bool silences_match;
  };
  const Step step = GENERATE(values<Step>({
      {0s, SilenceState::kPending, false},
      {1h - 1ms, SilenceState::kPending, false},
      {1h, SilenceState::kActive, true},
      {90min, SilenceState::kActive, true},
      {2h, SilenceState::kActive, true},  // getState: expired only after ends_at
      {2h + 1ms, SilenceState::kExpired, false},
  }));
  const WallTime now = kNow + step.at;
  CHECK(rt::state_at(*silences.get(id), now) == step.state);
  CHECK(silences.silenced_by(match, now) ==
        (step.silences_match ? std::vector<std::string>{id} : std::vector<std::string>{}));
  CHECK(silences.silenced_by(other, now).empty());
}

TEST_CASE("silence: a new silence gets an id, its past start clamped to now", "[router][silence]") {
  rt::Silences silences = registry();
  Silence s = silence("a=b", kNow - 1h, kNow + 1h);
  const std::string id = silences.set(s, kNow).value();
  const Silence got = *silences.get(id);
  CHECK(got.id == "s1");
  CHECK(got.starts_at == kNow);
  CHECK(got.ends_at == kNow + 1h);
  CHECK(got.updated_at == kNow);
  CHECK(got.created_by == "alice");
  CHECK(rt::state_at(got, kNow) == SilenceState::kActive);
  CHECK(silences.take_changed() == std::vector<Silence>{got});
  CHECK(silences.take_changed().empty());

  const std::string id2 = silences.set(silence(R"(c=~"d.*")", kNow + 1h, kNow + 2h), kNow).value();
  CHECK(id2 == "s2");
  CHECK(silences.get(id2)->starts_at == kNow + 1h);  // a future start is kept
  CHECK(silences.silenced_by(LabelSet{{"a", "b"}, {"c", "dx"}}, kNow + 1h) ==
        std::vector<std::string>{"s1", "s2"});
}

TEST_CASE("silence: an edit keeps its id only when it leaves history alone (canUpdate)",
          "[router][silence]") {
  struct Row {
    const char* what;
    // The silence before the edit, created at kNow; the edit is made at kNow + 1h.
    WallTime starts, ends;
    std::string matchers;
    WallTime new_starts, new_ends;
    bool keeps_id;
    WallTime old_ends_after;  // the old silence's end afterwards
  };
  const WallTime e = kNow + 1h;  // when the edit is made
  const Row row = GENERATE_COPY(values<Row>({
      {"active: extend the end", kNow, kNow + 2h, "a=b", kNow, kNow + 3h, true, kNow + 3h},
      {"active: shorten the end to now", kNow, kNow + 2h, "a=b", kNow, e, true, e},
      {"active: comment-only edit", kNow, kNow + 2h, "a=b", kNow, kNow + 2h, true, kNow + 2h},
      {"active: move the start", kNow, kNow + 2h, "a=b", kNow + 30min, kNow + 2h, false, e},
      {"active: change the matchers", kNow, kNow + 2h, "a=c", kNow, kNow + 2h, false, e},
      {"active: reorder the matchers", kNow, kNow + 2h, "b=c,a=b", kNow, kNow + 2h, false, e},
      {"pending: move the start later", kNow + 2h, kNow + 3h, "a=b", kNow + 4h, kNow + 5h, true,
       kNow + 5h},
      {"pending: start it now", kNow + 2h, kNow + 3h, "a=b", e, kNow + 3h, true, kNow + 3h},
      {"pending: start in the past", kNow + 2h, kNow + 3h, "a=b", kNow, kNow + 3h, false, e},
      {"pending: change the matchers", kNow + 2h, kNow + 3h, "a=c", kNow + 2h, kNow + 3h, false, e},
      {"expired: any edit", kNow, kNow + 30min, "a=b", kNow, kNow + 2h, false, kNow + 30min},
  }));
  INFO(row.what);
  rt::Silences silences = registry();
  const std::string first_matchers = row.matchers == "b=c,a=b" ? "a=b,b=c" : "a=b";
  const std::string old_id =
      silences.set(silence(first_matchers, row.starts, row.ends), kNow).value();
  (void)silences.take_changed();

  Silence edit = silence(row.matchers, row.new_starts, row.new_ends);
  edit.id = old_id;
  edit.comment = "edited";
  const std::string id = silences.set(edit, e).value();
  const Silence old = *silences.get(old_id);
  CHECK(old.ends_at == row.old_ends_after);
  const std::vector<Silence> changed = silences.take_changed();
  if (row.keeps_id) {
    CHECK(id == old_id);
    CHECK(old.comment == "edited");
    CHECK(old.updated_at == e);
    CHECK(silences.list().size() == 1);
    CHECK(changed == std::vector<Silence>{old});
  } else {
    CHECK(id == "s2");
    const Silence created = *silences.get(id);
    CHECK(created.comment == "edited");
    CHECK(created.starts_at == std::max(row.new_starts, e));
    CHECK(created.ends_at == row.new_ends);
    CHECK(silences.list().size() == 2);
    CHECK(rt::state_at(old, e + 1ms) == SilenceState::kExpired);
    const bool old_was_expired = row.ends < e;
    CHECK(changed.size() == (old_was_expired ? 1u : 2u));
  }
}

TEST_CASE("silence: expire ends a silence now (delete = expire)", "[router][silence]") {
  rt::Silences silences = registry();
  const std::string active = silences.set(silence("a=b", kNow, kNow + 2h), kNow).value();
  const std::string pending = silences.set(silence("a=b", kNow + 3h, kNow + 4h), kNow).value();
  (void)silences.take_changed();
  const WallTime t = kNow + 1h;

  REQUIRE(silences.expire(active, t).has_value());
  CHECK(silences.get(active)->ends_at == t);
  CHECK(silences.get(active)->starts_at == kNow);
  // Alertmanager's getState: still active at its end instant, expired just after.
  CHECK(rt::state_at(*silences.get(active), t) == SilenceState::kActive);
  CHECK(silences.silenced_by(LabelSet{{"a", "b"}}, t + 1ms).empty());
  CHECK(rt::state_at(*silences.get(active), t + 1ms) == SilenceState::kExpired);

  REQUIRE(silences.expire(pending, t).has_value());
  CHECK(silences.get(pending)->starts_at == t);
  CHECK(silences.get(pending)->ends_at == t);
  CHECK(silences.get(pending)->updated_at == t);
  CHECK(silences.take_changed().size() == 2);

  auto again = silences.expire(active, t + 1s);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().message == "silence s1 already expired");
  auto missing = silences.expire("nope", t);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(silences.take_changed().empty());
}

TEST_CASE("silence: restore replaces the registry, gc drops long-ended silences",
          "[router][silence]") {
  rt::Silences silences = registry();
  Silence old = silence("a=b", kNow - 200h, kNow - 121h);
  old.id = "old";
  Silence recent = silence("a=b", kNow - 10h, kNow - 1h);
  recent.id = "recent";
  Silence live = silence("a=b", kNow - 1h, kNow + 1h);
  live.id = "live";
  (void)silences.set(silence("x=y", kNow, kNow + 1h), kNow - 1h).value();
  silences.restore({old, recent, live});
  CHECK(silences.list() == std::vector<Silence>{live, old, recent});  // by id
  CHECK(silences.take_changed().empty());
  CHECK(silences.silenced_by(LabelSet{{"a", "b"}}, kNow) == std::vector<std::string>{"live"});

  CHECK(silences.gc(kNow) == std::vector<std::string>{"old"});
  CHECK(silences.gc(kNow, 1h) == std::vector<std::string>{"recent"});
  CHECK(silences.list() == std::vector<Silence>{live});
}

TEST_CASE("silence: random ids are distinct UUID v4 text", "[router][silence]") {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = rt::random_uuid_v4();
    CHECK(std::regex_match(id, uuid));
    seen.insert(id);
  }
  CHECK(seen.size() == 100);
  rt::Silences silences;
  const std::string id = silences.set(silence("a=b", kNow, kNow + 1h), kNow).value();
  CHECK(std::regex_match(id, uuid));
}
