// Standalone runner for `kholuu-bench ir` (tools/bench/ir_bench.cc), so the
// relevance evaluation can be run and tested without the benchmark program.
#include <string>
#include <vector>

#include "tools/bench/ir_bench.h"

int main(int argc, char** argv) {
  return kholuu::bench::RunIrBench(std::vector<std::string>(argv + 1, argv + argc));
}
