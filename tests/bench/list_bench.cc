// Microbenchmarks of the list value: push/pop at both ends and LRANGE 0 99,
// with Redis 7.0's default node size (-2 = 8 KB) and with compression.
// Build with -DDUET_BUILD_BENCHMARKS=ON; run ./build/list_bench.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "storage/list_value.h"

namespace duet {
namespace {

CollectionLimits Limits(int64_t depth) {
  CollectionLimits l;
  l.list_compress_depth = depth;
  return l;
}

// redis-benchmark pushes 3-byte values ("xxx"); also try a 32-byte one.
std::string Value(int64_t size) { return std::string(static_cast<size_t>(size), 'x'); }

void BM_PushBack(benchmark::State& state) {
  std::string v = Value(state.range(0));
  auto list = std::make_unique<ListValue>(Limits(0));
  for (auto _ : state) {
    list->PushBack(v);
    if (list->Length() == 1'000'000) {
      state.PauseTiming();
      list = std::make_unique<ListValue>(Limits(0));
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PushBack)->Arg(3)->Arg(32);

void BM_PushFront(benchmark::State& state) {
  std::string v = Value(state.range(0));
  auto list = std::make_unique<ListValue>(Limits(0));
  for (auto _ : state) {
    list->PushFront(v);
    if (list->Length() == 1'000'000) {
      state.PauseTiming();
      list = std::make_unique<ListValue>(Limits(0));
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PushFront)->Arg(3)->Arg(32);

// A queue in steady state: RPUSH one, LPOP one, around 10,000 elements.
void BM_QueuePushBackPopFront(benchmark::State& state) {
  std::string v = Value(state.range(0));
  ListValue list(Limits(state.range(1)));
  for (int i = 0; i < 10000; ++i) list.PushBack(v);
  size_t bytes = 0;
  for (auto _ : state) {
    list.PushBack(v);
    list.PopFront(1, [&](std::string_view got) { bytes += got.size(); });
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QueuePushBackPopFront)->Args({3, 0})->Args({32, 0})->Args({32, 1});

void BM_PopBackThenRefill(benchmark::State& state) {
  std::string v = Value(3);
  ListValue list(Limits(0));
  for (int i = 0; i < 10000; ++i) list.PushBack(v);
  size_t bytes = 0;
  for (auto _ : state) {
    list.PopBack(1, [&](std::string_view got) { bytes += got.size(); });
    list.PushFront(v);
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PopBackThenRefill);

// LRANGE key 0 99 on a list of 10,000 elements (redis-benchmark's lrange_100
// reads the head of a list it filled with LPUSH).
void BM_Range100(benchmark::State& state) {
  std::string v = Value(state.range(0));
  ListValue list(Limits(state.range(1)));
  for (int i = 0; i < 10000; ++i) list.PushFront(v);
  size_t bytes = 0;
  for (auto _ : state) {
    list.Range(0, 99, [&](std::string_view got) { bytes += got.size(); });
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_Range100)->Args({3, 0})->Args({32, 0})->Args({32, 1});

// LRANGE in the middle of a compressed list: every call decompresses nodes.
void BM_Range100Middle(benchmark::State& state) {
  std::string v = "element-" + Value(24);
  ListValue list(Limits(state.range(0)));
  for (int i = 0; i < 10000; ++i) list.PushBack(v + std::to_string(i));
  size_t bytes = 0;
  for (auto _ : state) {
    list.Range(5000, 5099, [&](std::string_view got) { bytes += got.size(); });
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_Range100Middle)->Arg(0)->Arg(1);

void BM_IndexMiddle(benchmark::State& state) {
  ListValue list(Limits(0));
  for (int i = 0; i < 100000; ++i) list.PushBack(std::to_string(i));
  size_t bytes = 0;
  for (auto _ : state) {
    list.Index(50000, [&](std::string_view got) { bytes += got.size(); });
  }
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_IndexMiddle);

}  // namespace
}  // namespace duet
