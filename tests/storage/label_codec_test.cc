// The alerts table's label/annotation blobs: exact round-trips, and strict rejection of anything
// malformed (under ASan/UBSan these also prove no out-of-bounds read).
#include "storage/label_codec.h"

#include <catch2/catch.hpp>
#include <string>

namespace st = herald::storage;
using herald::Annotations;
using herald::LabelSet;
using namespace std::string_literals;

namespace {

LabelSet awkward_labels() {
  return LabelSet{{"alertname", "디스크부족"},         // Korean, multi-byte UTF-8
                  {"instance", "host\"1\"\\"},         // quotes and a backslash
                  {"nul", "a\0b"s},                    // an embedded NUL
                  {"long", std::string(300, 'x')},     // a two-byte varint length
                  {"huge", std::string(70'000, 'y')},  // a three-byte one
                  {"x", "1"}};
}

}  // namespace

TEST_CASE("label codec: labels round-trip byte for byte", "[storage]") {
  for (const LabelSet& labels : {LabelSet{}, LabelSet{{"a", "1"}}, awkward_labels()}) {
    auto back = st::decode_labels(st::encode_labels(labels));
    REQUIRE(back);
    CHECK(*back == labels);
    CHECK(back->fingerprint() == labels.fingerprint());
  }
}

TEST_CASE("label codec: annotations round-trip, empty values and names included", "[storage]") {
  Annotations a = {{"", "empty name"},
                   {"description", ""},
                   {"summary", "디스크 \"부족\"\n"},
                   {"nul", "\0"s},
                   {"z", std::string(200, 'z')}};
  auto back = st::decode_annotations(st::encode_annotations(a));
  REQUIRE(back);
  CHECK(*back == a);
  CHECK(st::decode_annotations(st::encode_annotations({}))->empty());
}

TEST_CASE("label codec: a malformed blob is an error, never a crash", "[storage]") {
  std::string good = st::encode_labels(LabelSet{{"alertname", "A"}, {"job", "node"}});
  auto blob = GENERATE_COPY(values<std::string>({
      ""s,          // nothing at all
      "\x02\x00"s,  // an unknown format tag
      "\x01"s,      // no count
      "\x01\x01"s,  // a pair announced, none present
      "\x01\x7f\x01"
      "a\x01"
      "b"s,  // 127 pairs announced in 6 bytes
      "\x01\x01\x05"
      "ab\x01"
      "c"s,                                 // a name longer than the blob
      "\x01\x01\xff\xff\xff\xff\x0f"s,      // a length of 2^32-1
      "\x01\x01\x80\x80\x80\x80\x80\x01"s,  // an overlong varint
      "\x01\x02\x01"
      "b\x01"
      "1\x01"
      "a\x01"
      "2"s,  // names out of order
      "\x01\x02\x01"
      "a\x01"
      "1\x01"
      "a\x01"
      "2"s,            // a repeated name
      good + "\x00"s,  // trailing bytes
  }));
  INFO("blob of " << blob.size() << " bytes");
  CHECK_FALSE(st::decode_labels(blob));
  CHECK_FALSE(st::decode_annotations(blob));
}

TEST_CASE("label codec: an empty value is malformed for labels, valid for annotations",
          "[storage]") {
  std::string blob =
      "\x01\x01\x01"
      "a\x00"s;
  CHECK_FALSE(st::decode_labels(blob));
  CHECK(st::decode_annotations(blob));
}

TEST_CASE("label codec: every truncation of a valid blob is rejected", "[storage]") {
  std::string good = st::encode_labels(awkward_labels());
  for (size_t n = 0; n < good.size(); n += (n < 400 ? 1 : 997)) {
    INFO("prefix of " << n << " bytes");
    REQUIRE_FALSE(st::decode_labels(std::string_view(good).substr(0, n)));
  }
}

TEST_CASE("label codec: any single corrupted byte decodes or fails, safely", "[storage]") {
  std::string good = st::encode_annotations({{"description", ""}, {"summary", "디스크"}});
  for (size_t i = 0; i < good.size(); ++i) {
    for (int v : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(v);
      (void)st::decode_annotations(bad);
      (void)st::decode_labels(bad);
    }
  }
  SUCCEED("no crash");
}

TEST_CASE("label codec: the error says what is wrong", "[storage]") {
  auto r = st::decode_labels(
      "\x01\x02\x01"
      "b\x01"
      "1\x01"
      "a\x01"
      "2"s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == herald::ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains("names out of order"));
}
