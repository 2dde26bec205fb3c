// sanitize-corpus OUT_DIR: writes every module's test files and OUT_DIR/manifest.json.
#include <exception>
#include <iostream>

#include "corpus/corpus.hpp"
#include "formats/odf/odf_format.hpp"
#include "formats/ooxml/ooxml_format.hpp"
#include "formats/pdf/pdf_format.hpp"
#include "formats/text/text_format.hpp"
#include "formats/zip/zip_format.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sanitize-corpus OUT_DIR\n";
    return 64;
  }
  try {
    sanitize::corpus::Writer writer(argv[1]);
    sanitize::formats::generate_text_corpus(writer);
    sanitize::formats::generate_zip_corpus(writer);
    sanitize::formats::generate_odf_corpus(writer);
    sanitize::formats::generate_pdf_corpus(writer);
    sanitize::formats::generate_ooxml_corpus(writer);
    writer.finish();
  } catch (const std::exception& error) {
    std::cerr << "sanitize-corpus: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
