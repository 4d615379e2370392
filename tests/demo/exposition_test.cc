// Specification of the demo exporter's text exposition: HELP/TYPE precede samples, histograms
// are cumulative with +Inf == _count.
#include <catch2/catch.hpp>
#include <cmath>

#include "demo/simulation.h"
#include "tests/demo/exposition_parser.h"

namespace herald::demo {

TEST_CASE("demo exposition: the simulation's output is well-formed", "[demo]") {
  DemoSimulation sim(1, WallTime{std::chrono::seconds(1'700'000'000)});
  REQUIRE(sim.start_incident(IncidentKind::kLatencySpike, "llama3-8b"));
  sim.advance_to(WallTime{std::chrono::seconds(1'700'000'090)});
  const auto parsed = testing::parse_exposition(sim.exposition());
  INFO((parsed.errors.empty() ? "" : parsed.errors.front()));
  REQUIRE(parsed.errors.empty());
  for (const char* family :
       {"llm_requests_total", "llm_errors_total", "llm_inference_duration_seconds",
        "llm_model_loaded", "llm_model_memory_bytes", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE",
        "http_requests_total", "http_request_duration_seconds"}) {
    CHECK(parsed.types.count(family) == 1);
  }
  // Every histogram series: buckets non-decreasing in le, +Inf bucket equal to _count.
  std::map<std::string, double> last_bucket;
  for (const auto& s : parsed.samples) {
    if (s.name.ends_with("_bucket")) {
      auto labels = s.labels;
      const std::string le = labels["le"];
      labels.erase("le");
      std::string key = s.name;
      for (const auto& [k, v] : labels)
        key += "," + k + "=" + v;
      INFO(key << " le=" << le);
      CHECK(s.value >= last_bucket[key]);
      last_bucket[key] = s.value;
      if (le == "+Inf") {
        const std::string base = s.name.substr(0, s.name.size() - 7);
        CHECK(parsed.value(base + "_count", labels) == s.value);
        last_bucket.erase(key);
      }
    }
  }
  CHECK(last_bucket.empty());  // every bucket series ended with +Inf
  // Idle GPUs are exported (as dcgm-exporter does) without a pod and with nothing in use.
  const std::map<std::string, std::string> idle{{"Hostname", "gpu-node-2"}, {"gpu", "2"}};
  CHECK(parsed.sum("DCGM_FI_DEV_FB_USED", idle) == 0);
  CHECK(parsed.sum("DCGM_FI_DEV_FB_FREE", idle) > 80000);
  for (const auto& s : parsed.samples) {
    if (s.name == "DCGM_FI_DEV_FB_USED" && s.labels.at("Hostname") == "gpu-node-2" &&
        s.labels.at("gpu") == "2") {
      CHECK(s.labels.count("pod") == 0);
      CHECK(s.labels.at("UUID").starts_with("GPU-"));
    }
  }
}

}  // namespace herald::demo
