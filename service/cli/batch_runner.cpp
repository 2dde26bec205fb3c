#include "batch_runner.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <vector>

#include "atomic_file.hpp"
#include "input_files.hpp"
#include "interrupt.hpp"
#include "output_names.hpp"
#include "progress_bar.hpp"
#include "relative_path.hpp"

namespace sanitize::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How often the progress bar is redrawn while no file finishes.
constexpr auto kProgressTick = std::chrono::milliseconds(250);
// How far "name (n).ext" goes before the name counts as unavailable.
constexpr unsigned kMaxNumberedName = 100000;

// The folders below a root that files are written into, created on first use by one
// thread at a time and remembered so that they can be flushed at the end.
class FolderTree {
 public:
  explicit FolderTree(fs::path root) : root_(std::move(root)) {}

  fs::path ensure(const std::string& relative) {
    const fs::path path = relative.empty() ? root_ : root_ / relative;
    std::lock_guard lock(mutex_);
    if (!used_.contains(relative)) {
      std::error_code error;
      fs::create_directories(path, error);
      if (error) throw std::system_error(error, "cannot create the folder " + path.string());
      used_.insert(relative);
    }
    return path;
  }

  // Every folder used and those above it up to the root: each got a new entry.
  std::vector<fs::path> folders_to_sync() const {
    std::set<std::string> folders;
    for (std::string relative : used_) {
      while (!relative.empty()) {
        folders.insert(relative);
        relative = parent_of(relative);
      }
      folders.insert("");
    }
    std::vector<fs::path> paths;
    for (const auto& relative : folders) {
      paths.push_back(relative.empty() ? root_ : root_ / relative);
    }
    return paths;
  }

 private:
  fs::path root_;
  std::mutex mutex_;
  std::set<std::string> used_;
};

// One file between processing and delivery.
struct PendingFile {
  bool done = false;
  Result result;  // its output bytes released once staged
  std::optional<StagedFile> output;
  fs::path output_folder;
  std::string output_name;
  std::optional<StagedFile> report;
  fs::path report_path;
  std::string error;
};

class BatchRun {
 public:
  BatchRun(const Processor& processor, int input_root_fd, const TreeScan& scan,
           const BatchSettings& settings)
      : processor_(processor),
        input_root_fd_(input_root_fd),
        scan_(scan),
        settings_(settings),
        outputs_(settings.output_root) {
    if (settings.reports_root) reports_.emplace(*settings.reports_root);
  }

  BatchSummary run();

 private:
  PendingFile process_guarded(const std::string& relative);
  PendingFile process(const std::string& relative);
  void stage_output(const std::string& relative, PendingFile& file);
  void stage_report(const std::string& relative, PendingFile& file);
  FileRecord deliver(const std::string& relative, PendingFile& file);
  std::string publish(StagedFile& staged, const fs::path& folder, const std::string& name);
  void sync_folders(BatchSummary& summary) const;

  const Processor& processor_;
  int input_root_fd_;
  const TreeScan& scan_;
  const BatchSettings& settings_;
  FolderTree outputs_;
  std::optional<FolderTree> reports_;
  // Per wanted output path, the first number not yet known to be taken.
  std::map<fs::path, unsigned> next_number_;
};

PendingFile BatchRun::process_guarded(const std::string& relative) {
  try {
    return process(relative);
  } catch (const std::exception& error) {
    PendingFile file;
    file.result = unprocessed_file(relative, BlockReason::internal_error, error.what());
    return file;
  }
}

PendingFile BatchRun::process(const std::string& relative) {
  PendingFile file;
  try {
    const UniqueFd input = open_input_beneath(input_root_fd_, relative);
    file.result = processor_.process(input.get(), relative);
  } catch (const std::system_error& error) {
    file.result = unprocessed_file(relative, BlockReason::internal_error, error.what());
  }
  if (file.result.verdict != Verdict::blocked) stage_output(relative, file);
  if (reports_) stage_report(relative, file);
  return file;
}

void BatchRun::stage_output(const std::string& relative, PendingFile& file) {
  Result& result = file.result;
  const auto name = output_file_name(result);
  if (!name) {
    block_outside_engine(result, BlockReason::output_rejected,
                         "not a usable output name: \"" + result.output_name + "\"");
    return;
  }
  try {
    file.output_folder = outputs_.ensure(parent_of(relative));
    file.output.emplace(file.output_folder, result.output);
    file.output_name = *name;
  } catch (const std::system_error& error) {
    block_outside_engine(result, BlockReason::internal_error, error.what());
  }
  // The bytes are on disk now: holding them until delivery would only cost memory.
  result.output = std::vector<std::uint8_t>();
}

void BatchRun::stage_report(const std::string& relative, PendingFile& file) {
  try {
    const fs::path folder = reports_->ensure(parent_of(relative));
    file.report_path = folder / (last_component(relative) + ".report.json");
    file.report.emplace(folder, bytes_of(file.result.report.to_json(2) + "\n"));
  } catch (const std::system_error& error) {
    file.error = std::string("the report was not written: ") + error.what();
  }
}

std::string BatchRun::publish(StagedFile& staged, const fs::path& folder, const std::string& name) {
  unsigned& next = next_number_[folder / name];
  for (; next <= kMaxNumberedName; ++next) {
    std::string candidate = next == 0 ? name : numbered_name(name, next);
    if (staged.publish_new(folder / candidate)) {
      ++next;
      return candidate;
    }
  }
  throw std::system_error(std::make_error_code(std::errc::file_exists),
                          "no free name for " + (folder / name).string());
}

FileRecord BatchRun::deliver(const std::string& relative, PendingFile& file) {
  FileRecord record;
  record.input = relative;
  if (file.output) {
    try {
      record.output = join_relative(parent_of(relative),
                                    publish(*file.output, file.output_folder, file.output_name));
    } catch (const std::system_error& error) {
      block_outside_engine(file.result, BlockReason::internal_error, error.what());
      // The staged report still tells the old verdict.
      if (file.report) {
        file.report.reset();
        try {
          write_file_atomically(file.report_path, bytes_of(file.result.report.to_json(2) + "\n"));
        } catch (const std::system_error& report_error) {
          file.error = std::string("the report was not written: ") + report_error.what();
        }
      }
    }
  }
  if (file.report) {
    try {
      file.report->replace(file.report_path);
    } catch (const std::system_error& error) {
      file.error = std::string("the report was not written: ") + error.what();
    }
  }
  const Report& report = file.result.report;
  record.verdict = file.result.verdict;
  record.detected_type = report.detected_type;
  record.block_reason = report.block_reason;
  record.block_detail = report.block_detail;
  record.findings = report.total_findings();
  record.elapsed_ms = report.elapsed_ms;
  record.error = std::move(file.error);
  // Nothing of it is needed any more; an output left staged (not published) is removed.
  file.result = Result();
  file.output.reset();
  return record;
}

void BatchRun::sync_folders(BatchSummary& summary) const {
  std::vector<fs::path> folders = outputs_.folders_to_sync();
  if (reports_) {
    const auto report_folders = reports_->folders_to_sync();
    folders.insert(folders.end(), report_folders.begin(), report_folders.end());
  }
  for (const auto& folder : folders) {
    try {
      sync_directory(folder);
    } catch (const std::system_error& error) {
      summary.errors.push_back(error.what());
    }
  }
}

BatchSummary BatchRun::run() {
  const auto started = Clock::now();
  const std::size_t count = scan_.files.size();
  const std::size_t worker_count = std::min<std::size_t>(settings_.jobs, count);

  std::vector<PendingFile> pending(count);
  std::mutex mutex;  // guards `pending` until an entry is done, and `running`
  std::condition_variable finished;
  std::size_t running = worker_count;
  std::atomic<std::size_t> next_index{0};
  std::atomic<std::size_t> processed{0};
  std::atomic<std::size_t> blocked{0};
  const InterruptGuard interrupt_guard;
  ProgressBar progress(count);

  auto work = [&](std::stop_token stop) {
    while (!stop.stop_requested() && !InterruptGuard::interrupted()) {
      const std::size_t index = next_index.fetch_add(1);
      if (index >= count) break;
      PendingFile file = process_guarded(scan_.files[index]);
      if (file.result.verdict == Verdict::blocked) ++blocked;
      file.done = true;
      {
        std::lock_guard lock(mutex);
        pending[index] = std::move(file);
      }
      ++processed;
      finished.notify_one();
    }
    {
      std::lock_guard lock(mutex);
      --running;
    }
    finished.notify_one();
  };
  // Declared last: on the way out, by return or exception, the workers are stopped and
  // joined before anything they use goes away.
  std::vector<std::jthread> workers;
  for (std::size_t i = 0; i < worker_count; ++i) workers.emplace_back(work);

  BatchSummary summary;
  summary.skipped = scan_.skipped;
  std::size_t delivered = 0;
  while (delivered < count) {
    {
      std::unique_lock lock(mutex);
      finished.wait_for(lock, kProgressTick,
                        [&] { return pending[delivered].done || running == 0; });
      if (!pending[delivered].done) {
        // With no worker left, this file was never started: the batch was interrupted.
        if (running == 0) break;
        lock.unlock();
        progress.update(processed, blocked);
        continue;
      }
    }
    summary.files.push_back(deliver(scan_.files[delivered], pending[delivered]));
    ++delivered;
    progress.update(processed, blocked);
  }
  workers.clear();
  progress.finish();
  summary.not_processed = count - delivered;
  sync_folders(summary);
  summary.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return summary;
}

}  // namespace

BatchSummary run_batch(const Processor& processor, int input_root_fd, const TreeScan& scan,
                       const BatchSettings& settings) {
  return BatchRun(processor, input_root_fd, scan, settings).run();
}

}  // namespace sanitize::cli
