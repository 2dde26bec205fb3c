// qpdf for the corpus and the tests: files rewritten the way real producers write them, and
// outputs read back as a viewer would. Plain types only: this is compiled as C++17, like all
// code that includes qpdf's headers (pdf_host.hpp says why), and used from C++20 code.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sanitize::formats::pdf::testing {

// `pdf` written by qpdf with object streams and a cross-reference stream.
std::string with_object_streams(const std::string& pdf);

// `pdf` encrypted with AES-256 (R6): owner restrictions are accessibility and form filling
// allowed, annotating allowed, printing at low resolution, no copying, no assembling, no
// other changes. An empty `user` password opens it without a password.
std::string encrypted(const std::string& pdf, const std::string& user, const std::string& owner);

// What a viewer finds in a PDF.
struct PdfFacts {
  bool encrypted = false;
  std::size_t pages = 0;
  std::vector<std::pair<double, double>> page_sizes;  // MediaBox width, height
  bool has_open_action = false;
  std::string open_action_type;  // the /S of a dictionary open action
  bool open_action_has_next = false;
  std::vector<std::string> first_page_annotation_actions;   // /S of each /A, "" when none
  std::vector<std::string> first_page_annotation_contents;  // /Contents of each
  bool acroform_has_sig_flags = false;
  std::vector<std::pair<std::string, std::string>> embedded_files;  // name, decoded data
  std::string first_page_content;                                   // decoded operators
};

PdfFacts read_facts(const std::vector<std::uint8_t>& pdf);

}  // namespace sanitize::formats::pdf::testing
