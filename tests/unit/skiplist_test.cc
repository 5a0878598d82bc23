#include "storage/skiplist.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/random.h"

namespace duet {
namespace {

using Model = std::set<std::pair<double, std::string>>;

// Keeps the nodes by member, as ZSetValue's index does.
struct Harness {
  ZSkipList zsl;
  std::map<std::string, ZSkipNode*> index;
  Model model;

  void Insert(double score, const std::string& m) {
    index[m] = zsl.Insert(score, m);
    model.insert({score, m});
  }
  void Delete(const std::string& m) {
    ZSkipNode* n = index.at(m);
    model.erase({n->score, m});
    zsl.Delete(n);
    index.erase(m);
  }
  void Update(const std::string& m, double score) {
    ZSkipNode* n = index.at(m);
    model.erase({n->score, m});
    zsl.UpdateScore(n, score);
    EXPECT_EQ(n->score, score);
    model.insert({score, m});
  }
  void Check() {
    std::string why;
    ASSERT_TRUE(zsl.CheckInvariants(&why)) << why;
    ASSERT_EQ(zsl.length(), model.size());
    const ZSkipNode* x = zsl.first();
    uint64_t rank = 1;
    for (const auto& [score, m] : model) {
      ASSERT_NE(x, nullptr);
      ASSERT_EQ(x->score, score);
      ASSERT_EQ(x->member(), m);
      ASSERT_EQ(zsl.Rank(score, m), rank);
      ASSERT_EQ(zsl.ByRank(rank), x);
      x = x->forward(0);
      ++rank;
    }
    ASSERT_EQ(x, nullptr);
  }
  const std::string RandomMember() const {
    auto it = index.begin();
    std::advance(it, static_cast<long>(RandomBelow(index.size())));
    return it->first;
  }
};

TEST(SkipListTest, EmptyList) {
  ZSkipList zsl;
  EXPECT_EQ(zsl.length(), 0u);
  EXPECT_EQ(zsl.first(), nullptr);
  EXPECT_EQ(zsl.tail(), nullptr);
  EXPECT_EQ(zsl.Rank(1, "a"), 0u);
  EXPECT_EQ(zsl.ByRank(1), nullptr);
  EXPECT_EQ(zsl.FirstInRange({0, 1, false, false}), nullptr);
  std::string why;
  EXPECT_TRUE(zsl.CheckInvariants(&why)) << why;
}

TEST(SkipListTest, OrdersByScoreThenMemberBytes) {
  Harness h;
  h.Insert(2, "a");
  h.Insert(1, "b");
  h.Insert(1, "a");
  h.Insert(1, std::string("a\0", 2));
  h.Insert(1, "\xff");
  h.Insert(-0.5, "z");
  h.Check();
  std::vector<std::string> order;
  for (auto* x = h.zsl.first(); x; x = x->forward(0)) order.emplace_back(x->member());
  EXPECT_EQ(order, (std::vector<std::string>{"z", "a", std::string("a\0", 2), "b", "\xff", "a"}));
  EXPECT_EQ(h.zsl.tail()->member(), "a");
  EXPECT_EQ(h.zsl.tail()->backward->member(), "\xff");
}

TEST(SkipListTest, RandomOperationsKeepInvariants) {
  SeedRandom(1234);
  Harness h;
  for (int step = 0; step < 6000; ++step) {
    const uint64_t op = RandomBelow(10);
    // Few distinct scores so that ties (ordered by member) are common.
    const double score = static_cast<double>(RandomBelow(40)) / 2 - 5;
    if (op < 5 || h.index.empty()) {
      std::string m = "m" + std::to_string(RandomBelow(3000));
      if (h.index.count(m)) {
        h.Update(m, score);
      } else {
        h.Insert(score, m);
      }
    } else if (op < 8) {
      h.Delete(h.RandomMember());
    } else {
      h.Update(h.RandomMember(), score);
    }
    if (step % 500 == 0) h.Check();
  }
  h.Check();
  while (!h.index.empty()) h.Delete(h.RandomMember());
  h.Check();
  EXPECT_EQ(h.zsl.level(), 1);
}

TEST(SkipListTest, LevelsFollowQuarterProbability) {
  SeedRandom(99);
  ZSkipList zsl;
  const int n = 40000;
  for (int i = 0; i < n; ++i) zsl.Insert(i, "x" + std::to_string(i));
  int counts[ZSkipList::kMaxLevel + 1] = {};
  for (auto* x = zsl.first(); x; x = x->forward(0)) {
    ASSERT_GE(x->level(), 1);
    ASSERT_LE(x->level(), ZSkipList::kMaxLevel);
    ++counts[x->level()];
  }
  // About 3/4 of nodes have one level, 3/16 two.
  EXPECT_NEAR(counts[1] / double(n), 0.75, 0.02);
  EXPECT_NEAR(counts[2] / double(n), 0.1875, 0.02);
  EXPECT_GE(zsl.level(), 5);
  EXPECT_LE(zsl.level(), 14);
}

TEST(SkipListTest, ScoreRangesMatchModel) {
  SeedRandom(5);
  Harness h;
  for (int i = 0; i < 300; ++i)
    h.Insert(static_cast<double>(RandomBelow(100)), "k" + std::to_string(i));
  h.Check();
  const double inf = std::numeric_limits<double>::infinity();
  for (int q = 0; q < 2000; ++q) {
    ScoreRange r;
    r.min = q % 50 == 0 ? -inf : static_cast<double>(RandomBelow(110)) - 5;
    r.max = q % 70 == 0 ? inf : static_cast<double>(RandomBelow(110)) - 5;
    r.min_exclusive = RandomBelow(2);
    r.max_exclusive = RandomBelow(2);
    // Model: first/last in range with ranks.
    uint64_t rank = 0, first_rank = 0, last_rank = 0;
    const std::pair<double, std::string>*first = nullptr, *last = nullptr;
    for (const auto& e : h.model) {
      ++rank;
      if (r.Contains(e.first)) {
        if (!first) first = &e, first_rank = rank;
        last = &e, last_rank = rank;
      }
    }
    uint64_t got_rank = 0;
    ZSkipNode* f = h.zsl.FirstInRange(r, &got_rank);
    ASSERT_EQ(f != nullptr, first != nullptr) << q;
    if (f) {
      EXPECT_EQ(f->member(), first->second);
      EXPECT_EQ(got_rank, first_rank);
    }
    ZSkipNode* l = h.zsl.LastInRange(r, &got_rank);
    ASSERT_EQ(l != nullptr, last != nullptr);
    if (l) {
      EXPECT_EQ(l->member(), last->second);
      EXPECT_EQ(got_rank, last_rank);
    }
  }
}

TEST(SkipListTest, LexRangesMatchModel) {
  SeedRandom(6);
  Harness h;
  std::vector<std::string> words;
  for (int i = 0; i < 200; ++i) {
    std::string w;
    const uint64_t len = RandomBelow(4);
    for (uint64_t k = 0; k < len; ++k) w.push_back(static_cast<char>('a' + RandomBelow(4)));
    if (!h.index.count(w)) h.Insert(0, w);
    words.push_back(w);
  }
  h.Check();
  auto bound = [&](int which) {
    LexBound b;
    switch (RandomBelow(6)) {
      case 0:
        b = {LexBound::Kind::kNegInf, true, {}};
        break;
      case 1:
        b = {LexBound::Kind::kPosInf, true, {}};
        break;
      default:
        b = {LexBound::Kind::kValue, RandomBelow(2) == 1, words[RandomBelow(words.size())]};
    }
    (void)which;
    return b;
  };
  for (int q = 0; q < 2000; ++q) {
    LexRange r{bound(0), bound(1)};
    std::vector<std::string> want;
    for (const auto& e : h.model) {
      if (r.Contains(e.second)) want.push_back(e.second);
    }
    if (r.Empty()) {
      EXPECT_TRUE(want.empty());
    }
    uint64_t fr = 0, lr = 0;
    ZSkipNode* f = h.zsl.FirstInLexRange(r, &fr);
    ZSkipNode* l = h.zsl.LastInLexRange(r, &lr);
    ASSERT_EQ(f != nullptr, !want.empty()) << q;
    ASSERT_EQ(l != nullptr, !want.empty());
    if (f) {
      EXPECT_EQ(f->member(), want.front());
      EXPECT_EQ(l->member(), want.back());
      EXPECT_EQ(lr - fr + 1, want.size());
    }
  }
}

TEST(SkipListTest, DeleteRangesMatchModel) {
  SeedRandom(77);
  for (int kind = 0; kind < 3; ++kind) {
    for (int round = 0; round < 30; ++round) {
      Harness h;
      for (int i = 0; i < 200; ++i) {
        const double score = kind == 1 ? 0 : static_cast<double>(RandomBelow(50));
        h.Insert(score, "d" + std::to_string(1000 + RandomBelow(9000)) + "_" + std::to_string(i));
      }
      std::vector<std::string> deleted;
      auto on_delete = [&](ZSkipNode* n) {
        deleted.emplace_back(n->member());
        h.index.erase(std::string(n->member()));
      };
      std::vector<std::string> want;
      uint64_t removed = 0;
      if (kind == 0) {
        ScoreRange r{static_cast<double>(RandomBelow(50)), static_cast<double>(RandomBelow(50)),
                     RandomBelow(2) == 1, RandomBelow(2) == 1};
        for (const auto& e : h.model) {
          if (r.Contains(e.first)) want.push_back(e.second);
        }
        removed = h.zsl.DeleteRangeByScore(r, on_delete);
      } else if (kind == 1) {
        LexRange r{{LexBound::Kind::kValue, RandomBelow(2) == 1, "d3"},
                   {LexBound::Kind::kValue, RandomBelow(2) == 1, "d7"}};
        for (const auto& e : h.model) {
          if (r.Contains(e.second)) want.push_back(e.second);
        }
        removed = h.zsl.DeleteRangeByLex(r, on_delete);
      } else {
        const uint64_t a = 1 + RandomBelow(200), b = 1 + RandomBelow(220);
        uint64_t rank = 0;
        for (const auto& e : h.model) {
          ++rank;
          if (rank >= a && rank <= b) want.push_back(e.second);
        }
        removed = h.zsl.DeleteRangeByRank(a, b, on_delete);
      }
      EXPECT_EQ(removed, want.size());
      EXPECT_EQ(deleted, want);
      for (auto it = h.model.begin(); it != h.model.end();) {
        it = h.index.count(it->second) ? std::next(it) : h.model.erase(it);
      }
      h.Check();
    }
  }
}

TEST(SkipListTest, UpdateScoreKeepsNode) {
  Harness h;
  for (int i = 0; i < 50; ++i) h.Insert(i, "u" + std::to_string(i));
  ZSkipNode* n = h.index["u10"];
  h.Update("u10", 10.5);  // stays in place
  EXPECT_EQ(h.index["u10"], n);
  h.Update("u10", 100);  // moves to the end
  EXPECT_EQ(h.zsl.tail(), n);
  h.Update("u10", -1);  // moves to the front
  EXPECT_EQ(h.zsl.first(), n);
  h.Check();
}

TEST(SkipListTest, MoveTransfersNodes) {
  ZSkipList a;
  a.Insert(1, "x");
  ZSkipList b(std::move(a));
  EXPECT_EQ(b.length(), 1u);
  ZSkipList c;
  c = std::move(b);
  EXPECT_EQ(c.first()->member(), "x");
  std::string why;
  EXPECT_TRUE(c.CheckInvariants(&why)) << why;
}

}  // namespace
}  // namespace duet
