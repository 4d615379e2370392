// Go encoding/json's bytes for strings and times, and prometheus/common's fingerprint, which the
// webhook payload carries.
#include "model/go_json.h"

#include <catch2/catch.hpp>

using herald::append_go_json_string;
using herald::go_json_time;
using herald::WallTime;
using namespace std::chrono;

namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_go_json_string(out, s);
  return out;
}

WallTime utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int64_t ns = 0) {
  return WallTime(duration_cast<WallTime::duration>(
      (sys_days(year_month_day{year(y), month(mo), day(d)}) + hours(h) + minutes(mi) + seconds(s))
          .time_since_epoch() +
      nanoseconds(ns)));
}

}  // namespace

TEST_CASE("go json: strings escape as json.Encoder does (HTML-safe, Go 1.19)", "[model]") {
  auto [in, want] = GENERATE(table<std::string, std::string>({
      {"plain", R"("plain")"},
      {"<script>&</script>", R"("\u003cscript\u003e\u0026\u003c/script\u003e")"},
      {"say \"hi\" \\ bye", R"("say \"hi\" \\ bye")"},
      {"a\nb\rc\td", R"("a\nb\rc\td")"},
      {std::string("nul\0x", 5), R"("nul\u0000x")"},
      {"\b\f\x1f\x7f", "\"\\u0008\\u000c\\u001f\x7f\""},
      {"모델", "\"모델\""},
      {"🔥", "\"🔥\""},
      {"ls\u2028ps\u2029", R"("ls\u2028ps\u2029")"},
      {"bad\xff\xfe", R"("bad\ufffd\ufffd")"},
      {"cut\xe3\x81", R"("cut\ufffd\ufffd")"},              // truncated 3-byte sequence
      {"over\xc0\xaf", R"("over\ufffd\ufffd")"},            // overlong '/'
      {"surr\xed\xa0\x80", R"("surr\ufffd\ufffd\ufffd")"},  // UTF-16 surrogate
  }));
  CAPTURE(in);
  CHECK(quoted(in) == want);
}

TEST_CASE("go json: times are RFC3339Nano in UTC with the fraction trimmed", "[model]") {
  CHECK(go_json_time(WallTime{}) == "0001-01-01T00:00:00Z");
  CHECK(go_json_time(utc(2026, 5, 1, 12, 0, 0)) == "2026-05-01T12:00:00Z");
  CHECK(go_json_time(utc(2026, 5, 1, 12, 0, 1, 500'000'000)) == "2026-05-01T12:00:01.5Z");
  CHECK(go_json_time(utc(2026, 5, 1, 11, 50, 0, 123'456'789)) == "2026-05-01T11:50:00.123456789Z");
  CHECK(go_json_time(utc(2026, 5, 1, 12, 5, 0, 120'000'000)) == "2026-05-01T12:05:00.12Z");
  CHECK(go_json_time(utc(1999, 12, 31, 23, 59, 59, 1)) == "1999-12-31T23:59:59.000000001Z");
}

TEST_CASE("labels: fingerprint equals prometheus/common model.LabelSet.Fingerprint", "[model]") {
  // Values Alertmanager 0.25 printed for these label sets (golden/*.json).
  CHECK(herald::fingerprint_hex(herald::LabelSet{
            {"alertname", "DiskFull"},
            {"instance", "a"},
            {"severity", "warning"}}.fingerprint()) == "01172818e646f3d9");
  CHECK(herald::fingerprint_hex(
            herald::LabelSet{{"alertname", "QueueBacklog"}, {"queue", "ingest"}}.fingerprint()) ==
        "ef7b03a12f1cc5f7");
  // An empty set hashes to FNV-1a's offset basis, as model.emptyLabelSignature.
  CHECK(herald::fingerprint_hex(herald::LabelSet{}.fingerprint()) == "cbf29ce484222325");
}
