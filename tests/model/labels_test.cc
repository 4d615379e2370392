// LabelSet ordering, lookup and Prometheus-compatible fingerprints and rendering.
#include "model/labels.h"

#include <catch2/catch.hpp>

using herald::LabelSet;

TEST_CASE("labels: kept sorted, absent and empty are the same", "[model]") {
  LabelSet ls{{"b", "2"}, {"a", "1"}, {"c", ""}};
  REQUIRE(ls.size() == 2);
  CHECK(ls.labels()[0].name == "a");
  CHECK(ls.get("c").empty());
  CHECK_FALSE(ls.has("zzz"));
  ls.set("a", "");
  CHECK(ls.size() == 1);
}

TEST_CASE("labels: fingerprint matches prometheus/common", "[model]") {
  // Values from prometheus/common model/signature_test.go (TestLabelsToSignature).
  CHECK(LabelSet{}.fingerprint() == 14695981039346656037ULL);
  CHECK(LabelSet{{"name", "garland, briggs"}, {"fear", "love is not enough"}}.fingerprint() ==
        5799056148416392346ULL);
}

TEST_CASE("labels: rendered like model.LabelSet.String", "[model]") {
  LabelSet ls{{"model", "llama3-8b"}, {"alertname", "HighErrorRate"}, {"q", "a\"b"}};
  CHECK(ls.to_string() == R"({alertname="HighErrorRate", model="llama3-8b", q="a\"b"})");
  CHECK(herald::fingerprint_hex(0xabc) == "0000000000000abc");
}
