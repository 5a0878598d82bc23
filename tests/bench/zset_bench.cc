// Google Benchmarks for the sorted-set value: ZADD and ZPOPMIN in both
// encodings. Build with -DDUET_BUILD_BENCHMARKS=ON; run ./build/zset_bench.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "storage/random.h"
#include "storage/zset_value.h"

namespace duet {
namespace {

std::vector<std::string> Members(size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  char buf[32];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof(buf), "member%07zu", i);
    out.emplace_back(buf);
  }
  return out;
}

// ZADD of N new members with random scores into one set (skiplist once it
// passes 128 members), timed per member.
void BM_ZAddNew(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  const std::vector<std::string> members = Members(n);
  CollectionLimits limits;
  SeedRandom(1);
  for (auto _ : state) {
    ZSetValue z;
    for (size_t i = 0; i < n; ++i) {
      z.Add(members[i], static_cast<double>(RandomBelow(1000000)), 0, limits);
    }
    benchmark::DoNotOptimize(z.Size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_ZAddNew)->Arg(100)->Arg(10000)->Arg(1000000);

// ZADD that updates the score of an existing member in a large set.
void BM_ZAddUpdate(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  const std::vector<std::string> members = Members(n);
  CollectionLimits limits;
  ZSetValue z;
  for (size_t i = 0; i < n; ++i) z.Add(members[i], static_cast<double>(i), 0, limits);
  size_t i = 0;
  for (auto _ : state) {
    const std::string& m = members[RandomBelow(n)];
    benchmark::DoNotOptimize(z.Add(m, static_cast<double>(RandomBelow(n)), 0, limits));
    ++i;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ZAddUpdate)->Arg(100)->Arg(100000);

// ZPOPMIN one at a time until the set is empty (set rebuilt outside timing).
void BM_ZPopMin(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  const std::vector<std::string> members = Members(n);
  CollectionLimits limits;
  for (auto _ : state) {
    state.PauseTiming();
    ZSetValue z;
    for (size_t i = 0; i < n; ++i) z.Add(members[i], static_cast<double>(n - i), 0, limits);
    state.ResumeTiming();
    size_t popped = 0;
    while (z.Size() > 0) {
      popped += z.Pop(1, false, [](std::string_view m, double s) {
        benchmark::DoNotOptimize(m.data());
        benchmark::DoNotOptimize(s);
      });
    }
    benchmark::DoNotOptimize(popped);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_ZPopMin)->Arg(100)->Arg(100000);

}  // namespace
}  // namespace duet
