// label_codec: the compact binary form of labels and annotations in the alerts table. A tag byte,
// then a varint pair count, then each name and value as a varint length and its bytes. Decoding
// checks every bound and the sort order: a malformed blob is an error, never undefined behaviour.
#pragma once

#include <string>
#include <string_view>

#include "model/alert.h"
#include "model/error.h"
#include "model/labels.h"

namespace herald::storage {

[[nodiscard]] std::string encode_labels(const LabelSet& labels);
[[nodiscard]] std::string encode_annotations(const Annotations& annotations);

// kInvalidInput when the blob is truncated, has trailing bytes, an unknown tag, names out of
// order or repeated, or (labels only) an empty value.
[[nodiscard]] Result<LabelSet> decode_labels(std::string_view blob);
[[nodiscard]] Result<Annotations> decode_annotations(std::string_view blob);

}  // namespace herald::storage
