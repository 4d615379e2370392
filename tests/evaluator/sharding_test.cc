// Sharding: the group hash is FNV-1a as documented (values computed independently from the
// algorithm's definition), depends on the file's base name only, and --cluster.shard parses as
// the README says, StatefulSet host names included.
#include "evaluator/sharding.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace herald::evaluator {

TEST_CASE("sharding: the group hash is FNV-1a 64 of base name, NUL, group name", "[sharding]") {
  // FNV-1a 64 of the single byte 0, and of "llm-serving.yml\0llm-serving".
  CHECK(group_hash("", "") == 0xaf63bd4c8601b7dfULL);
  CHECK(group_hash("/etc/herald/rules/llm-serving.yml", "llm-serving") == 0xa16dc817d7c37e3bULL);
  // The mount path does not matter; the base name and the group do.
  CHECK(group_hash("rules/llm-serving.yml", "llm-serving") ==
        group_hash("/srv/other/llm-serving.yml", "llm-serving"));
  CHECK(group_hash("llm-serving.yml", "llm-serving") != group_hash("llm-serving.yml", "llm"));
  CHECK(group_hash("a.yml", "bc") != group_hash("a.ymlb", "c"));  // the NUL separates
}

TEST_CASE("sharding: every group has exactly one owner, spread over the shards", "[sharding]") {
  std::vector<int> per_shard(3);
  for (int g = 0; g < 300; ++g) {
    const std::string group = "group-" + std::to_string(g);
    int owners = 0;
    for (uint32_t i = 0; i < 3; ++i) {
      if (Shard{i, 3}.owns("rules.yml", group)) {
        ++owners;
        ++per_shard[i];
      }
    }
    CHECK(owners == 1);
  }
  for (int n : per_shard)
    CHECK(n > 60);  // 100 expected each
  CHECK(Shard{}.owns("rules.yml", "anything"));
}

TEST_CASE("sharding: --cluster.shard", "[sharding]") {
  CHECK(parse_shard("", 0, "")->count == 1);
  const auto two = parse_shard("2/3", 0, "");
  REQUIRE(two);
  CHECK((two->index == 2 && two->count == 3 && two->str() == "2/3"));
  const auto pod = parse_shard("auto", 3, "herald-sharded-1");
  REQUIRE(pod);
  CHECK(pod->str() == "1/3");
  for (const char* bad : {"3/3", "1", "a/3", "1/0", "-1/3", "1/3/4", "/3"}) {
    INFO(bad);
    const auto r = parse_shard(bad, 0, "");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.starts_with("--cluster.shard"));
  }
  CHECK_FALSE(parse_shard("auto", 3, "laptop"));
  CHECK_FALSE(parse_shard("auto", 0, "herald-1"));
  CHECK(parse_shard("auto", 2, "herald-2").error().message.find("not below") != std::string::npos);
}

}  // namespace herald::evaluator
