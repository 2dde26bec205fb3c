#include "formats/pdf/qpdf_document.hpp"

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFLogger.hh>
#include <qpdf/QPDFWriter.hh>

#include <libdeflate.h>
#include <openssl/sha.h>

#include <fmt/format.h>

#include <exception>
#include <memory>
#include <stdexcept>

namespace sanitize::formats::pdf {
namespace {

constexpr std::string_view kEncryptedDetail = "encrypted PDF, cannot be inspected";

// Charges what passes through, and keeps it when asked.
class BudgetPipeline final : public Pipeline {
 public:
  BudgetPipeline(Host& host, const std::string& location, std::uint64_t compressed,
                 std::vector<std::uint8_t>* keep)
      : Pipeline("budget", nullptr),
        host_(host),
        location_(location),
        compressed_(compressed),
        keep_(keep) {}

  void write(unsigned char const* data, size_t len) override {
    if (failure_) throw std::runtime_error("stopped by the budget");
    try {
      produced_ += len;
      host_.charge_expanded(len, location_);
      host_.check_ratio(produced_, compressed_, location_);
      if (keep_ != nullptr) keep_->insert(keep_->end(), data, data + len);
    } catch (...) {
      // qpdf turns exceptions from a pipeline into warnings: keep ours to rethrow it.
      failure_ = std::current_exception();
      throw std::runtime_error("stopped by the budget");
    }
  }
  void finish() override {}
  void rethrow_failure() const {
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  Host& host_;
  const std::string& location_;
  std::uint64_t compressed_;
  std::vector<std::uint8_t>* keep_;
  std::uint64_t produced_ = 0;
  std::exception_ptr failure_;
};

std::string yes_no(bool allowed) {
  return allowed ? "yes" : "no";
}

// The permission bits of the standard security handler (ISO 32000-1, table 22).
std::string permissions_text(int revision, int p) {
  const auto bit = [p](int n) { return ((static_cast<unsigned>(p) >> (n - 1)) & 1u) != 0; };
  std::string print = bit(3) ? (revision >= 3 && !bit(12) ? "low resolution" : "yes") : "no";
  return "owner password removed; original permissions (R=" + std::to_string(revision) +
         ", P=" + std::to_string(p) + "): print " + print + ", modify " + yes_no(bit(4)) +
         ", copy " + yes_no(bit(5)) + ", annotate " + yes_no(bit(6)) + ", fill forms " +
         yes_no(revision < 3 || bit(9)) + ", accessibility " + yes_no(revision < 3 || bit(10)) +
         ", assemble " + yes_no(revision < 3 || bit(11));
}

std::uint64_t raw_length(QPDFObjectHandle stream) {
  QPDFObjectHandle length = stream.getDict().getKey("/Length");
  if (length.isInteger() && length.getIntValue() > 0) {
    return static_cast<std::uint64_t>(length.getIntValue());
  }
  return 1;
}

// Replaces the placeholder file identifier of QPDFWriter's static ID with the first half of
// the SHA-256 of the file: the same content gives the same identifier, at a fraction of
// the cost of qpdf's MD5-based deterministic ID.
void set_content_id(std::uint8_t* pdf, std::size_t size) {
  // How QPDFWriter writes its static ID in the trailer (or cross-reference stream).
  constexpr std::string_view kPlaceholder =
      "/ID [<31415926535897932384626433832795><31415926535897932384626433832795>]";
  const std::string_view text(reinterpret_cast<const char*>(pdf), size);
  const auto at = text.rfind(kPlaceholder);
  if (at == std::string_view::npos) throw std::logic_error("pdf: no placeholder ID to replace");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(pdf, size, digest);
  std::string half;
  for (int i = 0; i < 16; ++i) half += fmt::format("{:02x}", digest[i]);
  const std::string id = "/ID [<" + half + "><" + half + ">]";
  std::copy(id.begin(), id.end(), pdf + at);
}

}  // namespace

VectorPipeline::VectorPipeline(std::vector<std::uint8_t>& out)
    : Pipeline("output", nullptr), out_(out) {}

void VectorPipeline::write(unsigned char const* data, size_t len) {
  out_.insert(out_.end(), data, data + len);
}

Decoded decode_within_budget(QPDFObjectHandle stream, Host& host, const std::string& location,
                             qpdf_stream_decode_level_e level, std::vector<std::uint8_t>* keep) {
  BudgetPipeline budget(host, location, raw_length(stream), keep);
  Decoded result;
  try {
    result.ok = stream.pipeStreamData(&budget, &result.filtered, 0, level, true, false);
  } catch (const std::exception&) {
    budget.rethrow_failure();
    throw;
  }
  budget.rethrow_failure();
  return result;
}

void store_stream_data(QPDFObjectHandle stream, const std::vector<std::uint8_t>& data,
                       bool compress) {
  if (!compress) {
    stream.replaceStreamData(std::string(data.begin(), data.end()), QPDFObjectHandle::newNull(),
                             QPDFObjectHandle::newNull());
    return;
  }
  const std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> compressor(
      libdeflate_alloc_compressor(6), &libdeflate_free_compressor);
  if (!compressor) throw std::bad_alloc();
  std::string compressed(libdeflate_zlib_compress_bound(compressor.get(), data.size()), '\0');
  compressed.resize(libdeflate_zlib_compress(compressor.get(), data.data(), data.size(),
                                             compressed.data(), compressed.size()));
  stream.replaceStreamData(compressed, QPDFObjectHandle::newName("/FlateDecode"),
                           QPDFObjectHandle::newNull());
}

QpdfDocument::QpdfDocument(const std::uint8_t* data, std::size_t size, Host& host,
                           const PdfOptions& options)
    : host_(host), options_(options), input_size_(size) {
  auto logger = QPDFLogger::create();
  logger->setInfo(logger->discard());
  logger->setWarn(logger->discard());
  logger->setError(logger->discard());
  pdf_.setLogger(logger);
  pdf_.setSuppressWarnings(true);
  pdf_.setAttemptRecovery(true);
  try {
    pdf_.processMemoryFile("input.pdf", reinterpret_cast<const char*>(data), size, "");
  } catch (const QPDFExc& error) {
    if (error.getErrorCode() == qpdf_e_password) {
      host_.stop(StopReason::encrypted, std::string(kEncryptedDetail));
    }
    host_.stop(StopReason::corrupt, std::string("pdf: ") + error.what());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& error) {
    host_.stop(StopReason::corrupt, std::string("pdf: ") + error.what());
  }
  int revision = 0;
  int permissions = 0;
  if (pdf_.isEncrypted(revision, permissions)) {
    host_.finding("pdf.encryption", "trailer /Encrypt", Done::removed,
                  permissions_text(revision, permissions));
  }
  take_warnings();
}

void QpdfDocument::take_warnings() {
  for (const QPDFExc& warning : pdf_.getWarnings()) note_repair(warning.what());
}

void QpdfDocument::note_repair(std::string text) {
  if (warnings_++ == 0) first_warning_ = std::move(text);
  if (static_cast<std::int64_t>(warnings_) > options_.max_warnings) {
    host_.stop(StopReason::corrupt,
               "pdf: too damaged: more than " + std::to_string(options_.max_warnings) +
                   " repair warnings (formats.pdf.max_warnings); first: " + first_warning_);
  }
}

void QpdfDocument::report_repairs() {
  if (warnings_ == 0) return;
  host_.finding(
      "pdf.repaired", "file", Done::converted,
      std::to_string(warnings_) + " repair(s) of a damaged structure; first: " + first_warning_);
}

void QpdfDocument::write(std::vector<std::uint8_t>& out) {
  // The output is about as large as the input: no reallocation on the way.
  out.reserve(out.size() + input_size_ + 65536);
  const qpdf_object_stream_e streams =
      options_.object_streams == ObjectStreams::generate  ? qpdf_o_generate
      : options_.object_streams == ObjectStreams::disable ? qpdf_o_disable
                                                          : qpdf_o_preserve;
  try {
    write_pdf(pdf_, streams, out);
  } catch (const QPDFExc& error) {
    host_.stop(StopReason::corrupt, std::string("pdf: cannot write: ") + error.what());
  }
  take_warnings();
}

void write_pdf(QPDF& pdf, qpdf_object_stream_e object_streams, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  VectorPipeline sink(out);
  QPDFWriter writer(pdf);
  writer.setOutputPipeline(&sink);
  // Never encrypted (qpdf 11 cannot make deterministic IDs for encrypted output anyway).
  writer.setPreserveEncryption(false);
  // A placeholder ID, replaced below by a digest of the output.
  writer.setStaticID(true);
  writer.setLinearization(false);
  // Streams are written as they are: the walk normalized and compressed them already, so a
  // second run finds Flate data and writes the very same bytes.
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setCompressStreams(false);
  writer.setObjectStreamMode(object_streams);
  writer.write();
  set_content_id(out.data() + start, out.size() - start);
}

}  // namespace sanitize::formats::pdf
