// The stable group hash and the --cluster.shard flag.
#include "evaluator/sharding.h"

#include <charconv>
#include <optional>

namespace herald::evaluator {
namespace {

std::optional<uint32_t> number(std::string_view s) {
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

uint64_t group_hash(std::string_view rule_file_path, std::string_view group) {
  const size_t slash = rule_file_path.rfind('/');
  const std::string_view base =
      slash == std::string_view::npos ? rule_file_path : rule_file_path.substr(slash + 1);
  // FNV-1a, 64-bit: offset basis and prime from the algorithm's definition. Written out rather
  // than std::hash, whose values may change between standard libraries and releases.
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  for (const char c : base)
    mix(static_cast<unsigned char>(c));
  mix(0);
  for (const char c : group)
    mix(static_cast<unsigned char>(c));
  return h;
}

std::string Shard::str() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

Result<Shard> parse_shard(std::string_view spec, uint32_t shards, std::string_view hostname) {
  if (spec.empty()) return Shard{};
  std::optional<uint32_t> index, count;
  if (spec == "auto") {
    const size_t dash = hostname.rfind('-');
    if (dash == std::string_view::npos || !(index = number(hostname.substr(dash + 1)))) {
      return tl::unexpected(Error{ErrorCode::kInvalidInput,
                                  "--cluster.shard=auto: the host name \"" + std::string(hostname) +
                                      "\" does not end in -<ordinal> (a StatefulSet pod's name)"});
    }
    count = shards;
    if (shards == 0) {
      return tl::unexpected(Error{ErrorCode::kInvalidInput,
                                  "--cluster.shard=auto needs --cluster.shards=<n>, n >= 1"});
    }
  } else {
    const size_t slash = spec.find('/');
    if (slash != std::string_view::npos) {
      index = number(spec.substr(0, slash));
      count = number(spec.substr(slash + 1));
    }
    if (!index || !count || *count == 0) {
      return tl::unexpected(
          Error{ErrorCode::kInvalidInput, "--cluster.shard: \"" + std::string(spec) +
                                              "\" is not <index>/<count> (e.g. 0/3) or auto"});
    }
  }
  if (*index >= *count) {
    return tl::unexpected(Error{ErrorCode::kInvalidInput,
                                "--cluster.shard: index " + std::to_string(*index) +
                                    " is not below the shard count " + std::to_string(*count) +
                                    " (indices start at 0, as StatefulSet ordinals)"});
  }
  return Shard{*index, *count};
}

std::vector<GroupElsewhere> groups_elsewhere(const std::vector<config::RuleFile>& rules,
                                             const Shard& shard) {
  std::vector<GroupElsewhere> out;
  for (const config::RuleFile& f : rules) {
    for (const config::RuleGroup& g : f.groups) {
      if (const uint32_t s = shard.of(f.path, g.name); s != shard.index) {
        out.push_back({f.path, g.name, s});
      }
    }
  }
  return out;
}

}  // namespace herald::evaluator
