#include "audit_key.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <fstream>
#include <iterator>
#include <vector>

namespace sanitize::spool {
namespace {

constexpr std::size_t kMinimumSecretBytes = 32;

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kHex[bytes[i] >> 4]);
    hex.push_back(kHex[bytes[i] & 0x0f]);
  }
  return hex;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw AuditKeyError("SHA-256 failed");
  }
  return to_hex(digest, length);
}

struct AuditKey::Impl {
  std::string algorithm;
  std::string secret;  // HMAC
  std::unique_ptr<EVP_PKEY, PkeyFree> key;
  bool is_private = false;

  ~Impl() { OPENSSL_cleanse(secret.data(), secret.size()); }
};

AuditKey::AuditKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuditKey::AuditKey(AuditKey&&) noexcept = default;
AuditKey& AuditKey::operator=(AuditKey&&) noexcept = default;
AuditKey::~AuditKey() = default;

AuditKey AuditKey::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw AuditKeyError("cannot read the audit key " + file.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto impl = std::make_unique<Impl>();
  if (bytes.starts_with("-----BEGIN")) {
    std::unique_ptr<BIO, BioFree> bio(
        BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    impl->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    impl->is_private = impl->key != nullptr;
    if (!impl->key) {
      bio.reset(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
      impl->key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    }
    OPENSSL_cleanse(bytes.data(), bytes.size());
    if (!impl->key || EVP_PKEY_get_id(impl->key.get()) != EVP_PKEY_ED25519) {
      throw AuditKeyError("the audit key " + file.string() +
                          " is PEM but not an Ed25519 key (openssl genpkey -algorithm ed25519)");
    }
    impl->algorithm = "ed25519";
  } else {
    if (bytes.size() < kMinimumSecretBytes) {
      throw AuditKeyError("the audit key " + file.string() +
                          " is too short: an HMAC secret needs " +
                          std::to_string(kMinimumSecretBytes) + " bytes or more");
    }
    impl->secret = std::move(bytes);
    impl->is_private = true;
    impl->algorithm = "hmac-sha256";
  }
  return AuditKey(std::move(impl));
}

const std::string& AuditKey::algorithm() const {
  return impl_->algorithm;
}

bool AuditKey::can_sign() const {
  return impl_->is_private;
}

std::string AuditKey::sign(std::string_view message) const {
  if (!impl_->key) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), impl_->secret.data(), static_cast<int>(impl_->secret.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
             &length) == nullptr) {
      throw AuditKeyError("HMAC failed");
    }
    return to_hex(mac, length);
  }
  if (!impl_->is_private) throw AuditKeyError("a public key cannot sign");
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  std::vector<unsigned char> signature(64);
  std::size_t length = signature.size();
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(context.get(), signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw AuditKeyError("Ed25519 signing failed");
  }
  return to_hex(signature.data(), length);
}

bool AuditKey::verify(std::string_view message, std::string_view signature_hex) const {
  if (!impl_->key) {
    const std::string expected = sign(message);
    return expected.size() == signature_hex.size() &&
           CRYPTO_memcmp(expected.data(), signature_hex.data(), expected.size()) == 0;
  }
  if (signature_hex.size() != 128) return false;
  std::vector<unsigned char> signature;
  for (std::size_t i = 0; i < signature_hex.size(); i += 2) {
    const int high = hex_value(signature_hex[i]);
    const int low = hex_value(signature_hex[i + 1]);
    if (high < 0 || low < 0) return false;
    signature.push_back(static_cast<unsigned char>(high * 16 + low));
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  return context &&
         EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
         EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace sanitize::spool
