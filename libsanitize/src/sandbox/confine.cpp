#include "sandbox/confine.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "sanitize/unique_fd.hpp"

// Rights newer than the kernel headers of Debian 12 know.
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

namespace sanitize::detail {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

void set_limit(int resource, std::uint64_t value, const char* name) {
  const rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  if (setrlimit(resource, &limit) != 0) fail(std::string("setrlimit ") + name);
}

void apply_rlimits(const Confinement& c) {
  set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE");
  set_limit(RLIMIT_NOFILE, 64, "RLIMIT_NOFILE");
  if (c.cpu_seconds > 0) set_limit(RLIMIT_CPU, c.cpu_seconds, "RLIMIT_CPU");
  if (c.file_size_bytes > 0) set_limit(RLIMIT_FSIZE, c.file_size_bytes, "RLIMIT_FSIZE");
#ifndef SANITIZE_ASAN_BUILD
  // AddressSanitizer reserves terabytes of address space: sanitizer builds rely on the
  // parent's resident-memory watchdog instead.
  if (c.memory_bytes > 0) set_limit(RLIMIT_AS, c.memory_bytes, "RLIMIT_AS");
#endif
}

// A process id no real process has (pids stay below 2^22), compiled into the filter where
// the child's own id belongs and replaced by it in the child.
constexpr std::uint32_t kProcessIdPlaceholder = 0x3FA5C3E1;

bool write_text(const char* path, const std::string& text) {
  UniqueFd fd(open(path, O_WRONLY | O_CLOEXEC));
  return fd.valid() &&
         write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// Fresh network (no interface up), IPC and UTS namespaces for the zygote and its children.
// Without the privilege to create them directly, a user namespace comes with them, mapping
// the zygote's own ids so that its children may create user namespaces of their own.
std::string enter_shared_namespaces() {
  constexpr int kShared = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
  if (unshare(kShared) == 0) return "network, IPC and UTS namespaces (one per zygote)";
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  if (unshare(CLONE_NEWUSER | kShared) == 0) {
    write_text("/proc/self/setgroups", "deny");
    write_text("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1");
    write_text("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1");
    return "network, IPC and UTS namespaces (one per zygote)";
  }
  return "no network, IPC or UTS namespace (the kernel refused them)";
}

// New user and mount namespaces for one child.
std::string enter_own_namespaces() {
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) return "user and mount namespaces";
  return "no user or mount namespace (the kernel refused them)";
}

std::uint64_t handled_rights(int abi) {
  std::uint64_t rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;  // ABI 1: bits 0 to 12
  if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
  if (abi >= 5) rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  return rights;
}

// The ruleset: read-only access beneath each allowed path. Built once per zygote; each
// child only restricts itself with it.
UniqueFd build_landlock_ruleset(const std::vector<std::string>& read_only_paths, long& abi) {
  abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) fail("Landlock is not available");
  landlock_ruleset_attr attributes{};
  attributes.handled_access_fs = handled_rights(static_cast<int>(abi));
  UniqueFd ruleset(
      static_cast<int>(syscall(SYS_landlock_create_ruleset, &attributes, sizeof attributes, 0)));
  if (!ruleset.valid()) fail("landlock_create_ruleset");
  for (const auto& path : read_only_paths) {
    UniqueFd target(open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!target.valid()) continue;  // absent on this machine: nothing to allow
    struct stat info {};
    if (fstat(target.get(), &info) != 0) fail("fstat " + path);
    landlock_path_beneath_attr rule{};
    rule.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE;
    if (S_ISDIR(info.st_mode)) rule.allowed_access |= LANDLOCK_ACCESS_FS_READ_DIR;
    rule.parent_fd = target.get();
    if (syscall(SYS_landlock_add_rule, ruleset.get(), LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) {
      fail("landlock_add_rule " + path);
    }
  }
  return ruleset;
}

std::vector<sock_filter> export_filter(scmp_filter_ctx context);

struct SeccompRelease {
  void operator()(void* context) const { seccomp_release(context); }
};

void allow(scmp_filter_ctx context, int syscall_number) {
  if (seccomp_rule_add(context, SCMP_ACT_ALLOW, syscall_number, 0) != 0) {
    throw std::runtime_error("seccomp_rule_add " + std::to_string(syscall_number));
  }
}

// Argument `index` equals `value` (libseccomp's SCMP_A0..5 macros leave the second datum
// unset, which clang warns about).
scmp_arg_cmp argument_equals(unsigned index, scmp_datum_t value) {
  return scmp_arg_cmp{index, SCMP_CMP_EQ, value, 0};
}

template <class... Args>
void rule(scmp_filter_ctx context, std::uint32_t action, int syscall_number, unsigned count,
          Args... comparisons) {
  if (seccomp_rule_add(context, action, syscall_number, count, comparisons...) != 0) {
    throw std::runtime_error("seccomp_rule_add " + std::to_string(syscall_number));
  }
}

// Everything not listed kills the whole process: exec, sockets, ptrace, new namespaces,
// mounts, process creation, signals to others. Compiled to a BPF program.
std::vector<sock_filter> build_seccomp_filter(
    [[maybe_unused]] const std::vector<int>& writable_fds) {
  std::unique_ptr<void, SeccompRelease> owner(seccomp_init(SCMP_ACT_KILL_PROCESS));
  if (!owner) throw std::runtime_error("seccomp_init failed");
  scmp_filter_ctx context = owner.get();
  for (const int number : {SCMP_SYS(read),
                           SCMP_SYS(pread64),
                           SCMP_SYS(readv),
                           SCMP_SYS(lseek),
                           SCMP_SYS(close),
                           SCMP_SYS(fstat),
                           SCMP_SYS(newfstatat),
                           SCMP_SYS(statx),
                           SCMP_SYS(stat),
                           SCMP_SYS(lstat),
                           SCMP_SYS(access),
                           SCMP_SYS(faccessat),
                           SCMP_SYS(faccessat2),
                           SCMP_SYS(getdents64),
                           SCMP_SYS(statfs),
                           SCMP_SYS(fstatfs),
                           SCMP_SYS(fadvise64),
                           SCMP_SYS(fcntl),
                           SCMP_SYS(mmap),
                           SCMP_SYS(munmap),
                           SCMP_SYS(mremap),
                           SCMP_SYS(mprotect),
                           SCMP_SYS(brk),
                           SCMP_SYS(madvise),
                           SCMP_SYS(futex),
                           SCMP_SYS(set_robust_list),
                           SCMP_SYS(rseq),
                           SCMP_SYS(rt_sigaction),
                           SCMP_SYS(rt_sigprocmask),
                           SCMP_SYS(rt_sigreturn),
                           SCMP_SYS(sigaltstack),
                           SCMP_SYS(restart_syscall),
                           SCMP_SYS(exit),
                           SCMP_SYS(exit_group),
                           SCMP_SYS(getpid),
                           SCMP_SYS(gettid),
                           SCMP_SYS(getuid),
                           SCMP_SYS(geteuid),
                           SCMP_SYS(getgid),
                           SCMP_SYS(getegid),
                           SCMP_SYS(getrandom),
                           SCMP_SYS(clock_gettime),
                           SCMP_SYS(clock_getres),
                           SCMP_SYS(gettimeofday),
                           SCMP_SYS(nanosleep),
                           SCMP_SYS(clock_nanosleep),
                           SCMP_SYS(sched_yield),
                           SCMP_SYS(sched_getaffinity),
                           SCMP_SYS(getrusage),
                           SCMP_SYS(getrlimit),
                           SCMP_SYS(uname),
                           SCMP_SYS(sysinfo)}) {
    allow(context, number);
  }
#ifdef SANITIZE_ASAN_BUILD
  // AddressSanitizer probes memory by writing it into a pipe of its own: test builds let
  // it, and write anywhere they hold a descriptor; release builds never do.
  allow(context, SCMP_SYS(pipe2));
  for (const int number : {SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(pwrite64)}) {
    allow(context, number);
  }
#else
  // Writes only to the output, the result pipe and stderr.
  for (const int fd : writable_fds) {
    const auto is_fd = argument_equals(0, static_cast<scmp_datum_t>(fd));
    rule(context, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, is_fd);
    rule(context, SCMP_ACT_ALLOW, SCMP_SYS(writev), 1, is_fd);
    rule(context, SCMP_ACT_ALLOW, SCMP_SYS(pwrite64), 1, is_fd);
  }
#endif
  // Files open for reading only; a write attempt fails rather than kills, so that a
  // library probing a cache degrades gracefully (Landlock refuses it as well).
  constexpr scmp_datum_t kWriteFlags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
  rule(context, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, kWriteFlags, 0));
  rule(context, SCMP_ACT_ALLOW, SCMP_SYS(open), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, kWriteFlags, 0));
  for (const scmp_datum_t flag : {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND}) {
    rule(context, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
         SCMP_A2(SCMP_CMP_MASKED_EQ, flag, flag));
    rule(context, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 1,
         SCMP_A1(SCMP_CMP_MASKED_EQ, flag, flag));
  }
  // Threads, but never a new process.
  rule(context, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
       SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
  rule(context, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  // Signals only to itself (abort() raises SIGABRT).
  const auto self = static_cast<scmp_datum_t>(kProcessIdPlaceholder);
  rule(context, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, argument_equals(0, self));
  rule(context, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, argument_equals(0, self));
  // Read the limits, never raise them.
  rule(context, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, argument_equals(2, 0));
  // Harmless queries some libraries make: answered with an error.
  rule(context, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 0);
  rule(context, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(prctl), 0);
  rule(context, SCMP_ACT_ERRNO(ENOENT), SCMP_SYS(readlink), 0);
  rule(context, SCMP_ACT_ERRNO(ENOENT), SCMP_SYS(readlinkat), 0);
  return export_filter(context);
}

// The program libseccomp generated, read back through a memfd (libseccomp 2.5 exports to
// a descriptor only).
std::vector<sock_filter> export_filter(scmp_filter_ctx context) {
  UniqueFd memory(memfd_create("seccomp-filter", MFD_CLOEXEC));
  if (!memory.valid()) fail("memfd_create");
  if (seccomp_export_bpf(context, memory.get()) != 0) {
    throw std::runtime_error("seccomp_export_bpf failed");
  }
  const off_t size = lseek(memory.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    throw std::runtime_error("seccomp_export_bpf gave no program");
  }
  std::vector<sock_filter> program(static_cast<std::size_t>(size) / sizeof(sock_filter));
  if (pread(memory.get(), program.data(), static_cast<std::size_t>(size), 0) != size) {
    fail("reading the seccomp program");
  }
  return program;
}

}  // namespace

PreparedConfinement PreparedConfinement::prepare(const Confinement& confinement) {
  PreparedConfinement prepared;
  prepared.confinement_ = confinement;
  prepared.filter_ = build_seccomp_filter(confinement.writable_fds);
  for (std::size_t i = 0; i < prepared.filter_.size(); ++i) {
    const sock_filter& instruction = prepared.filter_[i];
    if (BPF_CLASS(instruction.code) == BPF_JMP && BPF_SRC(instruction.code) == BPF_K &&
        instruction.k == kProcessIdPlaceholder) {
      prepared.process_id_slots_.push_back(i);
    }
  }
  // kill and tgkill compare their first argument with it (libseccomp may share one
  // comparison between them); a program without it would not be the one written above.
  if (prepared.process_id_slots_.empty()) {
    throw std::runtime_error("the seccomp program does not compare the process id");
  }
  long abi = 0;
  prepared.landlock_ruleset_ = build_landlock_ruleset(confinement.read_only_paths, abi);
  prepared.landlock_ = "Landlock ABI " + std::to_string(abi) + " (read-only allowlist)";
  prepared.shared_namespaces_ = enter_shared_namespaces();
  return prepared;
}

std::string PreparedConfinement::apply(int landlock_ruleset) const {
  apply_rlimits(confinement_);
  const std::string namespaces = enter_own_namespaces() + ", " + shared_namespaces_;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("PR_SET_NO_NEW_PRIVS");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail("PR_SET_DUMPABLE");
  if (syscall(SYS_landlock_restrict_self, landlock_ruleset, 0) != 0) fail("landlock_restrict_self");
  close(landlock_ruleset);
  std::string description = landlock_ + ", " + namespaces;
  std::vector<sock_filter> program = filter_;
  const auto self = static_cast<std::uint32_t>(getpid());
  for (const std::size_t slot : process_id_slots_) program[slot].k = self;
  const sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) fail("loading the seccomp filter");
  description += ", seccomp allowlist (default: kill)";
  description += ", rlimits (CPU, memory, file size, descriptors)";
  return description;
}

std::vector<std::string> default_read_only_paths() {
  return {
      "/usr/lib/file/magic.mgc",
      "/usr/share/misc/magic.mgc",
      "/usr/lib/x86_64-linux-gnu/gconv",
      "/usr/lib/gconv",
      "/etc/ld.so.cache",
      "/usr/lib/x86_64-linux-gnu",
      "/lib/x86_64-linux-gnu",
      "/usr/share/poppler",
      "/usr/share/fonts",
      "/etc/fonts",
      "/var/cache/fontconfig",
#ifdef SANITIZE_ASAN_BUILD
      "/proc/self",  // the sanitizer runtime reads its own maps when it reports
#endif
  };
}

}  // namespace sanitize::detail
