#include "storage/quicklist.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

namespace duet {
namespace {

std::vector<std::string> Contents(const Quicklist& ql) {
  std::vector<std::string> out;
  if (ql.Count() == 0) return out;
  char buf[lp::kIntBufSize];
  ql.ForEach(0, true, [&](const unsigned char* p) {
    out.emplace_back(lp::GetView(p, buf));
    return true;
  });
  return out;
}

std::vector<std::string> ContentsBackward(const Quicklist& ql) {
  std::vector<std::string> out;
  if (ql.Count() == 0) return out;
  char buf[lp::kIntBufSize];
  ql.ForEach(ql.Count() - 1, false, [&](const unsigned char* p) {
    out.emplace_back(lp::GetView(p, buf));
    return true;
  });
  return out;
}

std::vector<std::string> Strings(int from, int to, const std::string& prefix = "v") {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

std::string At(const Quicklist& ql, size_t i) {
  std::string s;
  EXPECT_TRUE(ql.Index(i, [&](std::string_view v) { s = v; }));
  return s;
}

size_t CompressedNodes(const Quicklist& ql) {
  size_t n = 0;
  for (const QuicklistNode* node = ql.head(); node != nullptr; node = node->next) {
    n += node->compressed;
  }
  return n;
}

TEST(QuicklistTest, PushPopBothEnds) {
  Quicklist ql(3, 0);
  for (int i = 0; i < 5; ++i) ql.PushBack("b" + std::to_string(i));
  for (int i = 0; i < 5; ++i) ql.PushFront("f" + std::to_string(i));
  EXPECT_EQ(ql.Count(), 10u);
  EXPECT_EQ(ql.NodeCount(), 4u);  // f4 f3 | f2 f1 f0 | b0 b1 b2 | b3 b4 (3 per node)
  EXPECT_TRUE(ql.CheckInvariants());
  std::vector<std::string> popped;
  auto collect = [&](std::string_view v) { popped.emplace_back(v); };
  EXPECT_EQ(ql.PopFront(4, collect), 4u);
  EXPECT_EQ(popped, (std::vector<std::string>{"f4", "f3", "f2", "f1"}));
  popped.clear();
  EXPECT_EQ(ql.PopBack(3, collect), 3u);
  EXPECT_EQ(popped, (std::vector<std::string>{"b4", "b3", "b2"}));
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"f0", "b0", "b1"}));
  popped.clear();
  EXPECT_EQ(ql.PopBack(10, collect), 3u);
  EXPECT_EQ(ql.Count(), 0u);
  EXPECT_EQ(ql.NodeCount(), 0u);
  EXPECT_EQ(ql.PopFront(1, collect), 0u);
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, SizeBasedFillRespectsByteLimit) {
  Quicklist ql(-1, 0);  // 4 KB per node
  std::string v(100, 'x');
  for (int i = 0; i < 200; ++i) ql.PushBack(v);
  EXPECT_TRUE(ql.CheckInvariants());
  for (const QuicklistNode* n = ql.head(); n != nullptr; n = n->next) {
    EXPECT_LE(n->sz, 4096u);
    if (n != ql.tail()) {
      EXPECT_GT(n->sz, 4096u - 110);  // filled up, not fragmented
    }
  }
  // A single element above the limit gets its own node.
  ql.PushBack(std::string(10000, 'y'));
  EXPECT_EQ(ql.tail()->count, 1);
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, CountFillStillStopsAtSafetyLimit) {
  Quicklist ql(1000, 0);
  for (int i = 0; i < 100; ++i) ql.PushBack(std::string(500, 'z'));
  for (const QuicklistNode* n = ql.head(); n != nullptr; n = n->next) EXPECT_LE(n->sz, 8192u);
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, IndexWalksFromNearerEnd) {
  Quicklist ql(2, 0);
  for (const auto& s : Strings(0, 9)) ql.PushBack(s);
  for (size_t i = 0; i < 9; ++i) EXPECT_EQ(At(ql, i), "v" + std::to_string(i));
  EXPECT_FALSE(ql.Index(9, [](std::string_view) {}));
}

TEST(QuicklistTest, InsertIntoFullNodeSplitsAndKeepsOrder) {
  Quicklist ql(4, 0);
  for (const auto& s : Strings(0, 8)) ql.PushBack(s);
  ASSERT_EQ(ql.NodeCount(), 2u);
  ql.Insert(2, "x");  // middle of the full first node
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(Contents(ql),
            (std::vector<std::string>{"v0", "v1", "x", "v2", "v3", "v4", "v5", "v6", "v7"}));
  ql.Insert(0, "head");
  ql.Insert(ql.Count(), "tail");
  ql.Insert(ql.Count() - 1, "pre-tail");
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(Contents(ql).front(), "head");
  EXPECT_EQ(Contents(ql).back(), "tail");
  EXPECT_EQ(At(ql, ql.Count() - 2), "pre-tail");
}

TEST(QuicklistTest, InsertAtNodeBoundaryUsesNeighbourWithRoom) {
  Quicklist ql(4, 0);
  for (const auto& s : Strings(0, 4)) ql.PushBack(s);
  ql.PushBack("v4");  // second node has room
  ASSERT_EQ(ql.NodeCount(), 2u);
  ql.Insert(4, "x");  // before v4: tail of a full node, next node has room
  EXPECT_EQ(ql.NodeCount(), 2u);
  EXPECT_EQ(ql.tail()->count, 2);
  EXPECT_EQ(Contents(ql), (std::vector<std::string>{"v0", "v1", "v2", "v3", "x", "v4"}));
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, DeleteRangeAcrossNodesMerges) {
  Quicklist ql(8, 0);
  for (const auto& s : Strings(0, 40)) ql.PushBack(s);
  ASSERT_EQ(ql.NodeCount(), 5u);
  ql.DeleteRange(3, 30);  // leaves 3 + 7 elements in two partial nodes
  EXPECT_TRUE(ql.CheckInvariants());
  std::vector<std::string> expect = Strings(0, 3);
  for (const auto& s : Strings(33, 40)) expect.push_back(s);
  EXPECT_EQ(Contents(ql), expect);
  // 3 + 7 = 10 > 6 (3/4 of 8): not merged; then trim one more and they merge.
  EXPECT_EQ(ql.NodeCount(), 2u);
  ql.DeleteRange(3, 4);
  EXPECT_EQ(ql.NodeCount(), 1u);
  EXPECT_TRUE(ql.CheckInvariants());
  ql.DeleteRange(0, 100);
  EXPECT_EQ(ql.Count(), 0u);
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, ReplaceGrowingBeyondNodeLimitIsolatesElement) {
  Quicklist ql(-1, 0);
  for (int i = 0; i < 100; ++i) ql.PushBack("e" + std::to_string(i));
  ASSERT_EQ(ql.NodeCount(), 1u);
  ql.Replace(50, std::string(5000, 'w'));
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(ql.NodeCount(), 3u);
  EXPECT_EQ(At(ql, 50), std::string(5000, 'w'));
  EXPECT_EQ(At(ql, 51), "e51");
  ql.Replace(50, "small");
  EXPECT_EQ(At(ql, 50), "small");
  ql.Replace(0, "123");
  EXPECT_EQ(At(ql, 0), "123");
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, CompressionRoundTrip) {
  Quicklist ql(8, 1);
  std::vector<std::string> model;
  for (int i = 0; i < 400; ++i) {
    model.push_back("compressible-payload-" + std::string(40, 'a' + i % 3) + std::to_string(i));
    ql.PushBack(model.back());
  }
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(CompressedNodes(ql), ql.NodeCount() - 2);  // all but head and tail
  EXPECT_FALSE(ql.head()->compressed);
  EXPECT_FALSE(ql.tail()->compressed);
  EXPECT_EQ(Contents(ql), model);
  std::vector<std::string> rev(model.rbegin(), model.rend());
  EXPECT_EQ(ContentsBackward(ql), rev);
  for (size_t i = 0; i < model.size(); i += 37) EXPECT_EQ(At(ql, i), model[i]);
  // Changes inside compressed nodes leave them compressed.
  ql.Replace(200, "changed");
  ql.Insert(100, "inserted");
  ql.DeleteRange(300, 5);
  model[200] = "changed";
  model.insert(model.begin() + 100, "inserted");
  model.erase(model.begin() + 300, model.begin() + 305);
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(Contents(ql), model);
  // Popping whole nodes moves the raw boundary inward.
  ql.PopFront(20, [](std::string_view) {});
  ql.PopBack(20, [](std::string_view) {});
  EXPECT_TRUE(ql.CheckInvariants());
  Quicklist copy = ql.Clone();
  EXPECT_TRUE(copy.CheckInvariants());
  EXPECT_EQ(Contents(copy), Contents(ql));
}

TEST(QuicklistTest, IncompressibleInnerNodesStayRaw) {
  Quicklist ql(4, 1);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 40; ++i) {
    std::string noise(60, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    ql.PushBack(noise);
  }
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(CompressedNodes(ql), 0u);
}

TEST(QuicklistTest, IteratorEraseForwardAndBackward) {
  for (bool forward : {true, false}) {
    for (int depth : {0, 1}) {
      Quicklist ql(4, depth);
      std::vector<std::string> model;
      for (int i = 0; i < 60; ++i) {
        model.push_back(i % 3 == 0 ? "x" : "keep-" + std::string(50, 'k') + std::to_string(i));
        ql.PushBack(model.back());
      }
      lp::Needle x("x");
      size_t removed = 0;
      {
        Quicklist::Iterator it(&ql, forward ? 0 : ql.Count() - 1, forward);
        while (!it.Done()) {
          if (x.Matches(it.entry())) {
            it.Erase();
            ++removed;
          } else {
            it.Next();
          }
        }
      }
      EXPECT_EQ(removed, 20u);
      std::erase(model, "x");
      EXPECT_TRUE(ql.CheckInvariants()) << forward << depth;
      EXPECT_EQ(Contents(ql), model);
    }
  }
}

TEST(QuicklistTest, IteratorEraseEverythingAndMergeAfterSparseDeletes) {
  Quicklist ql(8, 0);
  for (int i = 0; i < 64; ++i) ql.PushBack(std::to_string(i));
  ASSERT_EQ(ql.NodeCount(), 8u);
  {
    // Keep one element in four: nodes would hold 2 each without merging.
    Quicklist::Iterator it(&ql, 0, true);
    int i = 0;
    while (!it.Done()) {
      if (i++ % 4 != 0) {
        it.Erase();
      } else {
        it.Next();
      }
    }
  }
  EXPECT_EQ(ql.Count(), 16u);
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_LE(ql.NodeCount(), 3u);
  {
    Quicklist::Iterator it(&ql, ql.Count() - 1, false);
    while (!it.Done()) it.Erase();
  }
  EXPECT_EQ(ql.Count(), 0u);
  EXPECT_EQ(ql.head(), nullptr);
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, IteratorInsertAfterPivot) {
  Quicklist ql(3, 1);
  for (const auto& s : Strings(0, 12)) ql.PushBack(s);
  {
    Quicklist::Iterator it(&ql, 0, true);
    lp::Needle pivot("v7");
    while (!it.Done() && !pivot.Matches(it.entry())) it.Next();
    ASSERT_FALSE(it.Done());
    it.Insert("new", /*after=*/true);
    EXPECT_TRUE(it.Done());
  }
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(At(ql, 8), "new");
  EXPECT_EQ(At(ql, 9), "v8");
  EXPECT_EQ(ql.Count(), 13u);
}

TEST(QuicklistTest, AppendListpackAndMemoryUsage) {
  Quicklist ql(-2, 0);
  unsigned char* lp = lp::New();
  for (int i = 0; i < 10; ++i) lp = lp::Append(lp, "a" + std::to_string(i));
  ql.AppendListpack(lp);
  ql.AppendListpack(lp::New());  // empty: ignored
  EXPECT_EQ(ql.Count(), 10u);
  EXPECT_EQ(ql.NodeCount(), 1u);
  EXPECT_EQ(At(ql, 9), "a9");
  EXPECT_GE(ql.MemoryUsage(), sizeof(QuicklistNode) + lp::Bytes(ql.head()->data));
  EXPECT_TRUE(ql.CheckInvariants());
}

TEST(QuicklistTest, ClampsOptions) {
  Quicklist a(-100, -3);
  EXPECT_EQ(a.fill(), -5);
  EXPECT_EQ(a.compress_depth(), 0);
  Quicklist b(1 << 20, 1 << 20);
  EXPECT_EQ(b.fill(), 32767);
  EXPECT_EQ(b.compress_depth(), 65535);
}

// Random operations against a std::deque model, with tiny nodes so splits,
// merges and compression boundaries are exercised constantly.
class QuicklistRandomTest : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(QuicklistRandomTest, MatchesModel) {
  auto [fill, depth] = GetParam();
  Quicklist ql(fill, depth);
  std::deque<std::string> model;
  std::mt19937 rng(static_cast<unsigned>(fill * 31 + depth));
  auto value = [&]() -> std::string {
    switch (rng() % 4) {
      case 0:
        return std::to_string(static_cast<int>(rng() % 100000) - 50000);
      case 1:
        return std::string(1 + rng() % 80, 'a' + static_cast<char>(rng() % 3));
      case 2:
        return "e" + std::to_string(rng() % 10);
      default:
        return std::string(rng() % 3 == 0 ? 3000 : 20, 'q');
    }
  };
  size_t max_compressed = 0;
  for (int step = 0; step < 4000; ++step) {
    int op = static_cast<int>(rng() % 10);
    size_t n = model.size();
    if (op <= 1) {
      std::string v = value();
      ql.PushFront(v);
      model.push_front(v);
    } else if (op <= 3) {
      std::string v = value();
      ql.PushBack(v);
      model.push_back(v);
    } else if (op == 4) {
      size_t k = rng() % 5;
      std::vector<std::string> got;
      bool front = rng() % 2;
      auto fn = [&](std::string_view v) { got.emplace_back(v); };
      size_t done = front ? ql.PopFront(k, fn) : ql.PopBack(k, fn);
      ASSERT_EQ(done, std::min(k, n));
      for (const auto& g : got) {
        ASSERT_EQ(g, front ? model.front() : model.back());
        if (front) {
          model.pop_front();
        } else {
          model.pop_back();
        }
      }
    } else if (op == 5) {
      size_t at = rng() % (n + 1);
      std::string v = value();
      ql.Insert(at, v);
      model.insert(model.begin() + static_cast<ptrdiff_t>(at), v);
    } else if (op == 6 && n > 0) {
      size_t at = rng() % n;
      std::string v = value();
      ql.Replace(at, v);
      model[at] = v;
    } else if (op == 7 && n > 0) {
      size_t at = rng() % n;
      size_t k = rng() % 12;
      ql.DeleteRange(at, k);
      model.erase(model.begin() + static_cast<ptrdiff_t>(at),
                  model.begin() + static_cast<ptrdiff_t>(std::min(n, at + k)));
    } else if (op == 8 && n > 0) {
      // LREM-like: erase up to k matches of a value, in either direction.
      std::string target = "e" + std::to_string(rng() % 10);
      bool forward = rng() % 2;
      size_t limit = rng() % 4;  // 0 = all
      lp::Needle needle(target);
      size_t erased = 0;
      {
        Quicklist::Iterator it(&ql, forward ? 0 : n - 1, forward);
        while (!it.Done() && (limit == 0 || erased < limit)) {
          if (needle.Matches(it.entry())) {
            it.Erase();
            ++erased;
          } else {
            it.Next();
          }
        }
      }
      size_t model_erased = 0;
      if (forward) {
        for (auto it = model.begin(); it != model.end() && (limit == 0 || model_erased < limit);) {
          if (*it == target) {
            it = model.erase(it);
            ++model_erased;
          } else {
            ++it;
          }
        }
      } else {
        for (size_t i = model.size(); i-- > 0 && (limit == 0 || model_erased < limit);) {
          if (model[i] == target) {
            model.erase(model.begin() + static_cast<ptrdiff_t>(i));
            ++model_erased;
          }
        }
      }
      ASSERT_EQ(erased, model_erased);
    } else if (op == 9 && n > 0 && rng() % 2) {
      size_t at = rng() % n;
      ASSERT_EQ(At(ql, at), model[at]);
    } else if (op == 9 && n > 0) {
      // LINSERT-like: insert next to the element at a random index, reached
      // by an iterator from either end.
      size_t at = rng() % n;
      bool forward = rng() % 2;
      bool after = rng() % 2;
      std::string v = value();
      {
        Quicklist::Iterator it(&ql, forward ? 0 : n - 1, forward);
        for (size_t i = 0; i < (forward ? at : n - 1 - at); ++i) it.Next();
        ASSERT_FALSE(it.Done());
        it.Insert(v, after);
      }
      model.insert(model.begin() + static_cast<ptrdiff_t>(after ? at + 1 : at), v);
    }
    ASSERT_EQ(ql.Count(), model.size());
    max_compressed = std::max(max_compressed, CompressedNodes(ql));
    if (step % 50 == 0) {
      ASSERT_TRUE(ql.CheckInvariants()) << "step " << step;
      ASSERT_EQ(Contents(ql), std::vector<std::string>(model.begin(), model.end()));
    }
  }
  EXPECT_TRUE(ql.CheckInvariants());
  EXPECT_EQ(Contents(ql), std::vector<std::string>(model.begin(), model.end()));
  std::vector<std::string> rev(model.rbegin(), model.rend());
  EXPECT_EQ(ContentsBackward(ql), rev);
  if (depth > 0) {
    EXPECT_GT(max_compressed, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(FillsAndDepths, QuicklistRandomTest,
                         ::testing::Values(std::make_pair(1, 0), std::make_pair(2, 1),
                                           std::make_pair(3, 0), std::make_pair(4, 2),
                                           std::make_pair(5, 1), std::make_pair(-1, 1),
                                           std::make_pair(-2, 0), std::make_pair(0, 1)));

}  // namespace
}  // namespace duet

namespace duet {
namespace {

// Node boundaries, sizes and contents after pushing `values` one by one and
// as one batch must agree, whatever the fill and compression settings.
TEST(QuicklistTest, BatchPushBackMatchesOneByOne) {
  std::vector<std::string> values;
  for (int i = 0; i < 3000; ++i) {
    switch (i % 7) {
      case 0:
        values.push_back(std::to_string(i * 37));  // integer-encoded
        break;
      case 3:
        values.push_back(std::string(200 + i % 50, 'x'));
        break;
      case 5:
        if (i % 1000 == 5) {
          values.push_back(std::string(9000, 'L'));  // larger than any node limit
          break;
        }
        [[fallthrough]];
      default:
        values.push_back("value" + std::to_string(i));
    }
  }
  std::vector<std::string_view> views(values.begin(), values.end());
  for (int fill : {-1, -2, -5, 1, 128}) {
    for (int depth : {0, 1}) {
      Quicklist one(fill, depth), batch(fill, depth);
      one.PushBack("seed");
      batch.PushBack("seed");
      for (std::string_view v : views) one.PushBack(v);
      // Uneven batches, as several RPUSH commands would send them.
      for (size_t at = 0, step = 1; at < views.size(); at += step, step = step * 3 % 1001 + 1) {
        batch.PushBack(views.data() + at, std::min(step, views.size() - at));
      }
      ASSERT_EQ(batch.Count(), one.Count()) << fill << " " << depth;
      ASSERT_EQ(batch.NodeCount(), one.NodeCount()) << fill << " " << depth;
      for (const QuicklistNode *a = one.head(), *b = batch.head(); a != nullptr;
           a = a->next, b = b->next) {
        ASSERT_EQ(a->count, b->count);
        ASSERT_EQ(a->sz, b->sz);
      }
      EXPECT_EQ(Contents(batch), Contents(one));
      EXPECT_TRUE(batch.CheckInvariants(true));
    }
  }
}

}  // namespace
}  // namespace duet
