#include "tools/kholuu/progress.h"

#include <unistd.h>

#include <cstdio>

#include "tools/kholuu/messages.h"

namespace kholuu::cli {

Progress::Progress(const Common& c, std::string what, std::string unit)
    : what_(std::move(what)), unit_(std::move(unit)) {
  tty_ = ::isatty(STDERR_FILENO) == 1;
  enabled_ = !c.quiet && (c.progress || tty_);
  start_ = std::chrono::steady_clock::now();
  last_ = start_ - std::chrono::hours(1);
}

Progress::~Progress() {
  if (open_line_) std::fputc('\n', stderr);
}

void Progress::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  const bool last = done >= total;
  if (!last && now - last_ < std::chrono::milliseconds(tty_ ? 100 : 500)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f", seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
  const std::string line =
      Tr(Msg::kProgressLine, {what_, std::to_string(done), std::to_string(total), unit_, rate});
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    open_line_ = !last;
    if (last) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

std::function<void(uint64_t, uint64_t)> Progress::Callback() {
  return [this](uint64_t done, uint64_t total) { Update(done, total); };
}

}  // namespace kholuu::cli
