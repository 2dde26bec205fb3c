// One PDF opened with qpdf from memory: encryption handled as the policy says, qpdf's
// repair warnings counted against the policy's threshold, stream data decoded only within
// the shared budget, and the rebuilt file written into memory.
#pragma once

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/pdf/pdf_host.hpp"
#include "formats/pdf/pdf_options.hpp"

namespace sanitize::formats::pdf {

// Appends what a QPDFWriter writes to a vector, without a second copy of the file.
class VectorPipeline final : public Pipeline {
 public:
  explicit VectorPipeline(std::vector<std::uint8_t>& out);
  void write(unsigned char const* data, size_t len) override;
  void finish() override {}

 private:
  std::vector<std::uint8_t>& out_;
};

class QpdfDocument {
 public:
  // Opens `size` bytes at `data` (which must outlive the document). Stops a file that
  // needs a user password (encrypted) or that qpdf cannot read (corrupt). An
  // owner-password-only file is decrypted; its permissions are reported as a
  // pdf.encryption finding.
  QpdfDocument(const std::uint8_t* data, std::size_t size, Host& host, const PdfOptions& options);

  QPDF& qpdf() { return pdf_; }
  Host& host() { return host_; }

  // Collects qpdf's warnings so far; blocks (corrupt) once they pass max_warnings.
  void take_warnings();
  // A repair of our own (a stream that did not decode) counts like a warning.
  void note_repair(std::string text);
  // Reports the repairs and warnings, if any, as one pdf.repaired finding.
  void report_repairs();

  // Writes the document, fresh and deterministic, into `out`.
  void write(std::vector<std::uint8_t>& out);

 private:
  Host& host_;
  const PdfOptions& options_;
  QPDF pdf_;
  std::size_t input_size_;
  std::uint64_t warnings_ = 0;
  std::string first_warning_;
};

struct Decoded {
  bool ok = false;        // qpdf read and decoded it without error
  bool filtered = false;  // every filter was decoded (else the raw bytes came through)
};

// Pipes a stream's data, decoded as far as `level` allows, charging every decoded byte to
// the budget (expanded bytes, and the expansion ratio of the stream) as it is produced, so
// a filter bomb stops at the limit. Keeps the bytes in `keep` when given. The host throws when the
// budget is exceeded.
Decoded decode_within_budget(QPDFObjectHandle stream, Host& host, const std::string& location,
                             qpdf_stream_decode_level_e level,
                             std::vector<std::uint8_t>* keep = nullptr);

// Writes `pdf` into `out`, fresh (one revision, a new cross-reference table), never
// encrypted, streams as they are, with a file identifier derived from the content.
void write_pdf(QPDF& pdf, qpdf_object_stream_e object_streams, std::vector<std::uint8_t>& out);

// Replaces a stream's data with `data`, Flate-compressed when `compress` (deterministic).
void store_stream_data(QPDFObjectHandle stream, const std::vector<std::uint8_t>& data,
                       bool compress);

}  // namespace sanitize::formats::pdf
