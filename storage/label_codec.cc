// label_codec: LEB128 varints and length-prefixed strings, bounds-checked on the way in.
#include "storage/label_codec.h"

#include <cstdint>

namespace herald::storage {
namespace {

constexpr char kTag = 0x01;         // format version of the blob
constexpr int kMaxVarintBytes = 5;  // lengths and counts fit in 32 bits

void put_varint(std::string& out, uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Sizes over 4 GiB cannot reach here: SQLite refuses a blob over 1 GB (SQLITE_TOOBIG).
void put_string(std::string& out, std::string_view s) {
  put_varint(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

template <typename Pairs>
std::string encode_pairs(const Pairs& pairs, size_t count) {
  std::string out;
  out.push_back(kTag);
  put_varint(out, static_cast<uint32_t>(count));
  for (const auto& [name, value] : pairs) {
    put_string(out, name);
    put_string(out, value);
  }
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool varint(uint32_t& out) {
    uint64_t v = 0;
    for (int i = 0; i < kMaxVarintBytes; ++i) {
      if (pos_ >= in_.size()) return false;
      auto byte = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) {
        if (v > UINT32_MAX) return false;
        out = static_cast<uint32_t>(v);
        return true;
      }
    }
    return false;
  }
  bool string(std::string_view& out) {
    uint32_t n = 0;
    if (!varint(n) || n > in_.size() - pos_) return false;
    out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool byte(char& out) {
    if (pos_ >= in_.size()) return false;
    out = in_[pos_++];
    return true;
  }
  [[nodiscard]] size_t remaining() const { return in_.size() - pos_; }
  [[nodiscard]] size_t pos() const { return pos_; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

tl::unexpected<Error> malformed(const Reader& r, std::string_view what) {
  return invalid_input("malformed label blob at byte " + std::to_string(r.pos()) + ": " +
                       std::string(what));
}

// Calls add(name, value) for each pair, in the blob's (checked: strictly ascending) name order.
template <typename Add>
Status decode_pairs(std::string_view blob, bool allow_empty_values, Add add) {
  Reader r(blob);
  char tag = 0;
  if (!r.byte(tag) || tag != kTag) return malformed(r, "unknown format");
  uint32_t count = 0;
  // Each pair takes at least two bytes: a count beyond that is a lie, not a reason to allocate.
  if (!r.varint(count) || count > r.remaining() / 2) return malformed(r, "bad pair count");
  std::string_view prev;
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name, value;
    if (!r.string(name) || !r.string(value)) return malformed(r, "truncated");
    if (i > 0 && name <= prev) return malformed(r, "names out of order");
    if (value.empty() && !allow_empty_values) return malformed(r, "empty label value");
    add(name, value);
    prev = name;
  }
  if (r.remaining() != 0) return malformed(r, "trailing bytes");
  return {};
}

}  // namespace

std::string encode_labels(const LabelSet& labels) {
  return encode_pairs(labels, labels.size());
}

std::string encode_annotations(const Annotations& annotations) {
  return encode_pairs(annotations, annotations.size());
}

Result<LabelSet> decode_labels(std::string_view blob) {
  LabelSet labels;
  auto s = decode_pairs(blob, false, [&](std::string_view n, std::string_view v) {
    labels.set(n, v);  // ascending: appends
  });
  if (!s) return tl::unexpected(s.error());
  return labels;
}

Result<Annotations> decode_annotations(std::string_view blob) {
  Annotations annotations;
  auto s = decode_pairs(blob, true, [&](std::string_view n, std::string_view v) {
    annotations.emplace_hint(annotations.end(), n, v);
  });
  if (!s) return tl::unexpected(s.error());
  return annotations;
}

}  // namespace herald::storage
