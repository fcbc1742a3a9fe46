#include "tools/kholuu/suggest.h"

#include <algorithm>

#include "tools/kholuu/messages.h"

namespace kholuu::cli {

size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::vector<std::string> NearestNames(std::string_view word, const std::vector<std::string>& candidates) {
  const size_t limit = word.size() <= 4 ? 1 : 2;
  std::vector<std::pair<size_t, std::string>> near;
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d <= limit || (!word.empty() && c.rfind(word, 0) == 0)) near.emplace_back(d, c);
  }
  std::sort(near.begin(), near.end());
  std::vector<std::string> out;
  for (auto& [d, c] : near) out.push_back(std::move(c));
  return out;
}

std::optional<std::string> CheckCommandLine(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* current = &app;
  std::vector<std::string> path;
  size_t i = 1;
  while (true) {
    std::vector<CLI::App*> subs = current->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) break;
    // The next word that is neither an option nor the value of --data.
    while (i < args.size() && (args[i].rfind("-", 0) == 0)) {
      if (args[i] == "--data" || args[i] == "--lang") ++i;
      ++i;
    }
    if (i >= args.size()) break;  // CLI11 reports the missing command
    const std::string& word = args[i];
    CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (CLI::App* s : subs) {
      names.push_back(s->get_name());
      if (s->get_name() == word) next = s;
    }
    if (next == nullptr) {
      std::string shown = path.empty() ? word : (path.back() + " " + word);
      std::string msg = Tr(Msg::kUnknownCommand, {shown});
      std::vector<std::string> near = NearestNames(word, names);
      if (!near.empty()) {
        std::string list;
        for (size_t k = 0; k < near.size() && k < 3; ++k) {
          if (k > 0) list += ", ";
          list += path.empty() ? near[k] : path.back() + " " + near[k];
        }
        msg += "; " + Tr(Msg::kDidYouMean, {list});
      } else {
        msg += "; " + Tr(Msg::kSeeHelp);
      }
      return msg;
    }
    path.push_back(word);
    current = next;
    ++i;
  }
  // --lang values other than vi/en were left in place by TakeLangFlag: only
  // `kholuu text` has a --lang of its own.
  const bool text = !path.empty() && path.front() == "text";
  for (size_t k = 1; k < args.size() && !text; ++k) {
    if (args[k] == "--lang") return Tr(Msg::kBadLang, {k + 1 < args.size() ? args[k + 1] : ""});
    if (args[k].rfind("--lang=", 0) == 0) return Tr(Msg::kBadLang, {args[k].substr(7)});
  }
  return std::nullopt;
}

}  // namespace kholuu::cli
