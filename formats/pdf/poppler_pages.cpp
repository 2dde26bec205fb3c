#include "formats/pdf/poppler_pages.hpp"

#include <dlfcn.h>

#include <filesystem>

namespace sanitize::formats::pdf {
namespace {

struct Module {
  OpenWithPoppler open = nullptr;
  std::string error;  // why it could not be loaded
};

// Where the module is, by absolute path (never a search path): beside the build tree's
// programs for a program run from the build tree, where `cmake --install` puts it otherwise.
std::string module_path() {
  std::error_code error;
  const auto program = std::filesystem::read_symlink("/proc/self/exe", error).string();
  const bool in_build_tree = !error && program.rfind(SANITIZE_BUILD_DIR, 0) == 0;
  return std::string(in_build_tree ? SANITIZE_MODULE_BUILD_DIR : SANITIZE_MODULE_INSTALL_DIR) +
         "/" + kPopplerModule;
}

// Loaded once and never closed: poppler keeps state of its own for the process' life.
const Module& module() {
  static const Module loaded = [] {
    Module m;
    const std::string path = module_path();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      m.error = std::string("cannot load the poppler module: ") + (why ? why : path.c_str());
      return m;
    }
    m.open = reinterpret_cast<OpenWithPoppler>(dlsym(handle, kPopplerEntry));
    if (m.open == nullptr) m.error = std::string(kPopplerModule) + " has no " + kPopplerEntry;
    return m;
  }();
  return loaded;
}

}  // namespace

std::string load_poppler() {
  return module().error;
}

std::unique_ptr<PopplerDocument> open_with_poppler(const std::vector<std::uint8_t>& pdf,
                                                   std::string& error) {
  const Module& loaded = module();
  if (loaded.open == nullptr) {
    error = loaded.error;
    return nullptr;
  }
  return std::unique_ptr<PopplerDocument>(loaded.open(pdf.data(), pdf.size(), &error));
}

}  // namespace sanitize::formats::pdf
