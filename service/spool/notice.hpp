// The short note delivered in place of a file that was not delivered, in Japanese and
// English, so that the person who dropped it knows what happened and whom to ask.
#pragma once

#include <string>

namespace sanitize::spool {

struct NoticeFacts {
  std::string input;     // the name as dropped (made safe)
  std::string received;  // local time
  std::string reason_ja;
  std::string reason_en;
  std::string reference;  // the claim id: the quarantine folder's name
  std::string contact;    // whom to ask; empty: the administrator
  bool original_kept = true;
};

// UTF-8 with a byte order mark and CRLF line ends: Windows Notepad on the LGWAN side shows
// it right.
std::string notice_text(const NoticeFacts& facts);

// "report.docm" -> "report.docm.blocked.txt"
std::string notice_name(const std::string& safe_input_name);

}  // namespace sanitize::spool
