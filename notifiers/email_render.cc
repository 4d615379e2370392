// The email's header fields, its text and HTML alternatives, and the MIME structure around them.
// The layout is deliberately plain (no tables, inline styles only) so that every mail client,
// including text-only ones, shows the headline, the alerts and the Dashboard / Runbook / Silence
// links in the same order.
#include "notifiers/email_render.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace herald::notifiers {
namespace {

constexpr std::string_view kFiringColor = "#c0392b";
constexpr std::string_view kResolvedColor = "#2e7d32";

// Only absolute http(s) links are shown: a `dashboard_url` annotation such as "javascript:…" must
// not become a link, and a root-relative herald link (no external_url) means nothing in a mailbox.
bool linkable(const std::optional<links::Link>& link) {
  if (!link) return false;
  std::string scheme = link->url.substr(0, 8);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme.starts_with("https://") || scheme.starts_with("http://");
}

// The group's links: Dashboard and Runbook, and Silence while anything fires.
std::vector<links::Link> group_links(const Message& m) {
  std::vector<links::Link> out;
  for (const auto& l : {m.links.dashboard, m.links.runbook,
                        m.resolved ? std::nullopt : std::optional(m.links.silence)})
    if (linkable(l)) out.push_back(*l);
  return out;
}

// An alert's own links where they differ from the group's, and its Silence link while it fires.
std::vector<links::Link> alert_links(const Message& m, const AlertLine& a) {
  std::vector<links::Link> out;
  if (linkable(a.links.dashboard) && a.links.dashboard != m.links.dashboard)
    out.push_back(*a.links.dashboard);
  if (linkable(a.links.runbook) && a.links.runbook != m.links.runbook)
    out.push_back(*a.links.runbook);
  if (!a.ends_at && linkable(a.links.silence)) out.push_back(a.links.silence);
  return out;
}

// Line breaks in a one-line field (a label value, a title) become spaces in the text part.
std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

std::string label_text(const LabelSet& labels) {
  std::string out;
  for (const Label& l : labels)
    out += (out.empty() ? "" : ", ") + l.name + "=\"" + l.value + "\"";
  return out;
}

std::string alert_title(const AlertLine& a) {
  return a.summary.empty() ? std::string(a.labels.get("alertname")) : a.summary;
}

std::string alert_times(const AlertLine& a) {
  std::string out = "Since " + display_time(a.starts_at);
  if (a.ends_at) out += ", resolved " + display_time(*a.ends_at);
  return out;
}

void text_alerts(std::string& out, const Message& m, std::string_view title,
                 const std::vector<AlertLine>& alerts) {
  if (alerts.empty()) return;
  out += "\n" + std::string(title) + " (" + std::to_string(alerts.size()) + ")\n";
  for (const AlertLine& a : alerts) {
    std::string summary = alert_title(a);
    for (size_t p = summary.find('\n'); p != std::string::npos; p = summary.find('\n', p + 3))
      summary.replace(p, 1, "\n  ");
    out +=
        "\n* " + summary + "\n  " + one_line(label_text(a.labels)) + "\n  " + alert_times(a) + "\n";
    for (const links::Link& l : alert_links(m, a))
      out += "  " + l.title + ": " + l.url + "\n";
  }
}

std::string html_button(const links::Link& l) {
  return "<a href=\"" + html_escape(l.url) +
         "\" style=\"display:inline-block;margin:0 8px 8px 0;padding:6px 14px;border-radius:4px;"
         "background:#1a73e8;color:#ffffff;text-decoration:none;\">" +
         html_escape(l.title) + "</a>\n";
}

void html_alerts(std::string& out, const Message& m, std::string_view title, std::string_view color,
                 const std::vector<AlertLine>& alerts) {
  if (alerts.empty()) return;
  out += "<h3 style=\"margin:20px 0 8px;\">" + std::string(title) + " (" +
         std::to_string(alerts.size()) + ")</h3>\n";
  for (const AlertLine& a : alerts) {
    out += "<div style=\"margin:0 0 12px;padding:8px 12px;border-left:4px solid " +
           std::string(color) + ";background:#f7f7f7;\">\n";
    out += "<div style=\"font-weight:bold;white-space:pre-wrap;\">" + html_escape(alert_title(a)) +
           "</div>\n";
    out += "<div style=\"font-family:monospace;font-size:12px;color:#444;word-break:break-all;\">";
    std::string labels;
    for (const Label& l : a.labels)
      labels += (labels.empty() ? "" : ", ") + html_escape(l.name) + "=&quot;" +
                html_escape(l.value) + "&quot;";
    out += labels + "</div>\n";
    out += "<div style=\"font-size:12px;color:#666;\">" + alert_times(a) + "</div>\n";
    for (const links::Link& l : alert_links(m, a))
      out += "<a href=\"" + html_escape(l.url) + "\" style=\"font-size:12px;\">" +
             html_escape(l.title) + "</a>\n";
    out += "</div>\n";
  }
}

// RFC 5322 field names: printable ASCII except ':' and space.
bool field_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return c > 0x20 && c < 0x7f && c != ':'; });
}

bool reserved_field(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::set<std::string, std::less<>> kReserved = {"date",
                                                               "message-id",
                                                               "in-reply-to",
                                                               "references",
                                                               "mime-version",
                                                               "content-type",
                                                               "content-transfer-encoding",
                                                               "subject",
                                                               "from",
                                                               "to",
                                                               "auto-submitted"};
  return kReserved.contains(name);
}

std::string boundary_of(std::string_view message_id) {
  // "=_" never occurs in quoted-printable text ('=' is always followed by hex or a line break),
  // so the boundary cannot collide with either part.
  std::string b = "=_herald_";
  for (char c : message_id) {
    if (b.size() >= 48) break;
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') b += c;
  }
  return b;
}

std::string header_fields(const Message& m, const EmailParams& p) {
  std::string out = header_field("Date", rfc5322_date(p.date));
  out += address_field("From", p.from);
  out += address_field("To", p.to);
  out += header_field("Subject", p.subject.empty() ? m.subject : p.subject);
  out += "Message-ID: <" + p.message_id + ">\r\n";
  if (!p.thread_root.empty()) {
    out += "In-Reply-To: <" + p.thread_root + ">\r\n";
    out += "References: <" + p.thread_root + ">\r\n";
  }
  // RFC 3834: tells vacation responders and mailing lists not to answer an automatic message.
  out += "Auto-Submitted: auto-generated\r\n";
  for (const auto& [name, value] : p.headers)
    if (field_name(name) && !reserved_field(name)) out += header_field(name, value);
  return out;
}

}  // namespace

std::string render_email_text(const Message& m) {
  std::string out = one_line(m.headline) + "\n";
  if (!m.summary.empty()) out += "\n" + m.summary + "\n";
  out += "\nSince: " + display_time(m.since) + "\n";
  for (const links::Link& l : group_links(m))
    out += l.title + ": " + l.url + "\n";
  text_alerts(out, m, "Firing", m.firing);
  text_alerts(out, m, "Resolved", m.resolved_alerts);
  out += "\nSent by herald to receiver \"" + one_line(m.receiver) + "\".\n";
  return out;
}

std::string render_email_html(const Message& m) {
  const std::string_view color = m.resolved ? kResolvedColor : kFiringColor;
  std::string out =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n<title>" +
      html_escape(m.subject) +
      "</title>\n</head>\n<body style=\"margin:0;padding:16px;font-family:-apple-system,'Segoe "
      "UI',Helvetica,Arial,sans-serif;font-size:14px;color:#222222;\">\n";
  out += "<h2 style=\"margin:0 0 8px;color:" + std::string(color) + ";word-break:break-all;\">" +
         html_escape(m.headline) + "</h2>\n";
  if (!m.summary.empty())
    out += "<p style=\"margin:0 0 8px;white-space:pre-wrap;\">" + html_escape(m.summary) + "</p>\n";
  out += "<p style=\"margin:0 0 12px;color:#666666;\">Since " + display_time(m.since) + "</p>\n";
  const std::vector<links::Link> links = group_links(m);
  if (!links.empty()) {
    out += "<p style=\"margin:0 0 8px;\">\n";
    for (const links::Link& l : links)
      out += html_button(l);
    out += "</p>\n";
  }
  html_alerts(out, m, "Firing", kFiringColor, m.firing);
  html_alerts(out, m, "Resolved", kResolvedColor, m.resolved_alerts);
  out +=
      "<p style=\"margin:20px 0 0;font-size:12px;color:#999999;\">Sent by herald to receiver "
      "&quot;" +
      html_escape(m.receiver) + "&quot;.</p>\n</body>\n</html>\n";
  return out;
}

std::string render_email(const Message& m, const EmailParams& params) {
  const std::string boundary = boundary_of(params.message_id);
  std::string out = header_fields(m, params);
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  const std::string text = params.text.empty() ? render_email_text(m) : params.text;
  const std::string html = params.html.empty() ? render_email_html(m) : params.html;
  for (const auto& [type, body] : {std::pair{"text/plain", text}, std::pair{"text/html", html}}) {
    out += "--" + boundary + "\r\n";
    out += "Content-Type: " + std::string(type) + "; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    // The CRLF before a delimiter belongs to the delimiter: the extra one keeps the part's last
    // line break.
    out += quoted_printable(body) + "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace herald::notifiers
