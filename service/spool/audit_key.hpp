// The key that signs the audit log's head: an HMAC-SHA256 secret (a file of at least 32
// random bytes) or an Ed25519 private key (PEM). Only the daemon reads it; the sandboxed
// workers are exec'd without its memory or descriptors and Landlock keeps them from the
// file.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sanitize::spool {

class AuditKeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string sha256_hex(std::string_view bytes);

class AuditKey {
 public:
  // Reads a key file. For verifying, an Ed25519 public key (PEM) is enough. Throws
  // AuditKeyError saying what is wrong with the file.
  static AuditKey load(const std::filesystem::path& file);
  AuditKey(AuditKey&&) noexcept;
  AuditKey& operator=(AuditKey&&) noexcept;
  ~AuditKey();

  // "hmac-sha256" or "ed25519".
  const std::string& algorithm() const;
  bool can_sign() const;
  // Hex signature of `message`. Throws AuditKeyError when this is a public key.
  std::string sign(std::string_view message) const;
  bool verify(std::string_view message, std::string_view signature_hex) const;

 private:
  struct Impl;
  explicit AuditKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanitize::spool
