// The Internet-message encodings the email integration writes by hand so that its output is exact
// and golden-testable: folded header fields with RFC 2047 encoded-words, RFC 5322 address lists
// and dates, quoted-printable bodies and HTML escaping. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/clock.h"
#include "model/error.h"

namespace herald::notifiers {

struct MailAddress {
  std::string name;  // display name, raw UTF-8; may be empty
  std::string addr;  // addr-spec: local@domain
  friend bool operator==(const MailAddress&, const MailAddress&) = default;
};

// "ops@example.com, Ops Team <ops@example.com>, \"Doe, Jane\" <jane@example.com>" → addresses, as
// Go's mail.ParseAddressList reads the common forms (empty items are skipped). kInvalidInput for an
// item without '@', with space or a control character in its address, or unbalanced <> or quotes.
[[nodiscard]] Result<std::vector<MailAddress>> parse_address_list(std::string_view text);

// One unstructured header field, "Name: value\r\n". Printable-ASCII values are folded at spaces
// into lines of at most 78 characters; any other value (non-ASCII, control characters, "=?", or
// too long to fold) becomes RFC 2047 UTF-8 B encoded-words of at most 64 characters, each on its
// own line, so no line exceeds 76 characters and no raw control character is ever written.
[[nodiscard]] std::string header_field(std::string_view name, std::string_view value);

// An address header field: display names quoted or encoded as needed, one address per line when
// the field would be longer than 78 characters.
[[nodiscard]] std::string address_field(std::string_view name,
                                        const std::vector<MailAddress>& addresses);

// RFC 2045 quoted-printable of UTF-8 text whose lines end in "\n" (or "\r\n"): CRLF line ends,
// lines of at most 76 characters with soft breaks, '=' and every byte outside printable ASCII
// encoded, trailing spaces and tabs encoded.
[[nodiscard]] std::string quoted_printable(std::string_view text);

// &, <, >, " and ' as character references: safe in element content and quoted attributes.
[[nodiscard]] std::string html_escape(std::string_view text);

// RFC 5322 date-time in UTC: "Fri, 01 May 2026 12:00:00 +0000".
[[nodiscard]] std::string rfc5322_date(WallTime t);

// "2026-05-01 12:00:00 UTC": how message bodies show times.
[[nodiscard]] std::string display_time(WallTime t);

}  // namespace herald::notifiers
