#include "notice.hpp"

#include <fmt/format.h>

namespace sanitize::spool {

std::string notice_text(const NoticeFacts& facts) {
  const std::string contact_ja = facts.contact.empty() ? "システム管理者" : facts.contact;
  const std::string contact_en =
      facts.contact.empty() ? "your system administrator" : facts.contact;
  const std::string kept_ja = facts.original_kept
                                  ? "元のファイルは隔離して保管しています。"
                                  : "このファイルは保管していません（ファイルではないため）。";
  const std::string kept_en = facts.original_kept ? "The original is kept in quarantine."
                                                  : "Nothing was kept (it was not a regular file).";
  std::string text = fmt::format(
      "\xEF\xBB\xBF"
      "【ファイル無害化ゲートウェイ】\n"
      "このファイルは無害化できなかったため、お届けしていません。\n"
      "\n"
      "  ファイル名: {0}\n"
      "  受付日時:   {1}\n"
      "  理由:       {2}\n"
      "  受付番号:   {4}\n"
      "\n"
      "{5}必要な場合は受付番号を添えて{6}にお問い合わせください。\n"
      "\n"
      "[File sanitization gateway]\n"
      "This file could not be sanitized and was not delivered.\n"
      "\n"
      "  File:      {0}\n"
      "  Received:  {1}\n"
      "  Reason:    {3}\n"
      "  Reference: {4}\n"
      "\n"
      "{7} If you need it, contact {8} with the reference.\n",
      facts.input, facts.received, facts.reason_ja, facts.reason_en, facts.reference, kept_ja,
      contact_ja, kept_en, contact_en);
  std::string crlf;
  for (const char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return crlf;
}

std::string notice_name(const std::string& safe_input_name) {
  return safe_input_name + ".blocked.txt";
}

}  // namespace sanitize::spool
