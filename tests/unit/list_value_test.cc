#include "storage/list_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace duet {
namespace {

using Strs = std::vector<std::string>;
using Ints = std::vector<int64_t>;

// Expected values in these tests were taken from redis-server 7.0.15.
class ListValueTest : public ::testing::Test {
 protected:
  static CollectionLimits Tiny() {
    CollectionLimits l;
    l.list_max_listpack_size = 3;  // many small nodes
    l.list_compress_depth = 1;
    return l;
  }

  static ListValue Make(const Strs& items, const CollectionLimits& limits = Tiny()) {
    ListValue l(limits);
    for (const auto& s : items) l.PushBack(s);
    return l;
  }

  static Strs All(const ListValue& l) { return Range(l, 0, -1); }

  static Strs Range(const ListValue& l, int64_t start, int64_t stop) {
    Strs out;
    size_t n = l.Range(start, stop, [&](std::string_view v) { out.emplace_back(v); });
    EXPECT_EQ(n, out.size());
    EXPECT_EQ(l.RangeLength(start, stop), out.size());
    return out;
  }

  static Ints Pos(const ListValue& l, std::string_view v, int64_t rank, int64_t count,
                  int64_t maxlen) {
    Ints out;
    l.Pos(v, rank, count, maxlen, [&](int64_t i) { out.push_back(i); });
    return out;
  }
};

TEST_F(ListValueTest, PushManyKeepsCommandOrder) {
  ListValue l(Tiny());
  std::vector<std::string_view> a = {"a", "b", "c"};
  l.PushFront(a.data(), a.size());  // LPUSH l a b c
  std::vector<std::string_view> b = {"x", "y"};
  l.PushBack(b.data(), b.size());  // RPUSH l x y
  EXPECT_EQ(All(l), (Strs{"c", "b", "a", "x", "y"}));
  EXPECT_EQ(l.Length(), 5u);
  EXPECT_STREQ(l.EncodingName(), "quicklist");
}

TEST_F(ListValueTest, PopCount) {
  ListValue l = Make({"1", "2", "3", "4", "5"});
  Strs got;
  EXPECT_EQ(l.PopFront(2, [&](std::string_view v) { got.emplace_back(v); }), 2u);
  EXPECT_EQ(l.PopBack(10, [&](std::string_view v) { got.emplace_back(v); }), 3u);
  EXPECT_EQ(got, (Strs{"1", "2", "5", "4", "3"}));
  EXPECT_EQ(l.Length(), 0u);
}

TEST_F(ListValueTest, IndexAndSet) {
  ListValue l = Make({"a", "b", "c", "d", "e", "f", "g"});
  std::string got;
  EXPECT_TRUE(l.Index(-1, [&](std::string_view v) { got = v; }));
  EXPECT_EQ(got, "g");
  EXPECT_TRUE(l.Index(3, [&](std::string_view v) { got = v; }));
  EXPECT_EQ(got, "d");
  EXPECT_FALSE(l.Index(7, [&](std::string_view) {}));
  EXPECT_FALSE(l.Index(-8, [&](std::string_view) {}));
  EXPECT_EQ(l.Set(-2, "F"), OpStatus::kOk);
  EXPECT_EQ(l.Set(3, std::string(100, 'D')), OpStatus::kOk);
  EXPECT_EQ(l.Set(7, "x"), OpStatus::kOutOfRange);
  EXPECT_EQ(l.Set(-8, "x"), OpStatus::kOutOfRange);
  EXPECT_EQ(All(l), (Strs{"a", "b", "c", std::string(100, 'D'), "e", "F", "g"}));
  EXPECT_TRUE(l.quicklist().CheckInvariants());
}

TEST_F(ListValueTest, RangeEdges) {
  ListValue l = Make({"0", "1", "2"});
  EXPECT_EQ(Range(l, -100, 100), (Strs{"0", "1", "2"}));
  EXPECT_EQ(Range(l, 1, 100), (Strs{"1", "2"}));
  EXPECT_EQ(Range(l, 5, 10), Strs{});
  EXPECT_EQ(Range(l, 1, 0), Strs{});
  EXPECT_EQ(Range(l, -1, -2), Strs{});
  EXPECT_EQ(Range(l, -2, -1), (Strs{"1", "2"}));
  EXPECT_EQ(Range(l, 0, 0), (Strs{"0"}));
}

TEST_F(ListValueTest, InsertBeforeAfter) {
  ListValue l = Make({"a", "b", "c", "b"});
  EXPECT_EQ(l.Insert("b", "X", /*before=*/true), 5);
  EXPECT_EQ(l.Insert("c", "Y", /*before=*/false), 6);
  EXPECT_EQ(l.Insert("zz", "W", true), -1);
  EXPECT_EQ(All(l), (Strs{"a", "X", "b", "c", "Y", "b"}));
  // Integer pivots and values.
  EXPECT_EQ(l.Insert("Y", "42", true), 7);
  EXPECT_EQ(l.Insert("42", "-7", false), 8);
  EXPECT_EQ(All(l), (Strs{"a", "X", "b", "c", "42", "-7", "Y", "b"}));
  EXPECT_TRUE(l.quicklist().CheckInvariants());
}

TEST_F(ListValueTest, RemoveCountSemantics) {
  // RPUSH l a b c a b c a 1 2 1
  ListValue l = Make({"a", "b", "c", "a", "b", "c", "a", "1", "2", "1"});
  EXPECT_EQ(l.Remove(-2, "a"), 2u);
  EXPECT_EQ(All(l), (Strs{"a", "b", "c", "b", "c", "1", "2", "1"}));
  EXPECT_EQ(l.Remove(1, "1"), 1u);
  EXPECT_EQ(All(l), (Strs{"a", "b", "c", "b", "c", "2", "1"}));
  EXPECT_EQ(l.Remove(0, "b"), 2u);
  EXPECT_EQ(All(l), (Strs{"a", "c", "c", "2", "1"}));
  EXPECT_EQ(l.Remove(0, "nope"), 0u);
  EXPECT_EQ(l.Remove(INT64_MIN, "c"), 2u);
  EXPECT_EQ(All(l), (Strs{"a", "2", "1"}));
  EXPECT_TRUE(l.quicklist().CheckInvariants());
}

TEST_F(ListValueTest, TrimSemantics) {
  ListValue a = Make({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
  a.Trim(-3, -1);
  EXPECT_EQ(All(a), (Strs{"7", "8", "9"}));
  ListValue b = Make({"0", "1", "2", "3", "4", "5"});
  b.Trim(-100, 2);
  EXPECT_EQ(All(b), (Strs{"0", "1", "2"}));
  b.Trim(2, 1);  // start > stop: empties the list
  EXPECT_EQ(b.Length(), 0u);
  ListValue c = Make({"0", "1", "2"});
  c.Trim(1, 100);
  EXPECT_EQ(All(c), (Strs{"1", "2"}));
  c.Trim(5, 10);
  EXPECT_EQ(c.Length(), 0u);
  ListValue d = Make({"0", "1", "2", "3"});
  d.Trim(1, -2);
  EXPECT_EQ(All(d), (Strs{"1", "2"}));
  EXPECT_TRUE(d.quicklist().CheckInvariants());
}

TEST_F(ListValueTest, PosRankCountMaxlen) {
  ListValue l = Make({"a", "b", "c", "a", "b", "c", "a", "1", "2", "1"});
  EXPECT_EQ(Pos(l, "a", 1, 1, 0), (Ints{0}));      // LPOS l a
  EXPECT_EQ(Pos(l, "a", -1, 1, 0), (Ints{6}));     // RANK -1
  EXPECT_EQ(Pos(l, "a", 2, 1, 0), (Ints{3}));      // RANK 2
  EXPECT_EQ(Pos(l, "a", -2, 0, 0), (Ints{3, 0}));  // RANK -2 COUNT 0
  EXPECT_EQ(Pos(l, "a", 1, 2, 0), (Ints{0, 3}));   // COUNT 2
  EXPECT_EQ(Pos(l, "a", 1, 0, 4), (Ints{0, 3}));   // COUNT 0 MAXLEN 4
  EXPECT_EQ(Pos(l, "a", -1, 1, 3), Ints{});        // RANK -1 MAXLEN 3
  EXPECT_EQ(Pos(l, "a", -1, 0, 4), (Ints{6}));     // RANK -1 MAXLEN 4 COUNT 0
  EXPECT_EQ(Pos(l, "1", 1, 0, 0), (Ints{7, 9}));   // integers
  EXPECT_EQ(Pos(l, "a", 5, 1, 0), Ints{});         // RANK beyond matches
  EXPECT_EQ(Pos(l, "a", 3, 1, 0), (Ints{6}));      // COUNT 1 RANK 3
  EXPECT_EQ(Pos(l, "a", INT64_MIN + 1, 0, 0), Ints{});
  EXPECT_EQ(Pos(l, "01", 1, 0, 0), Ints{});
}

TEST_F(ListValueTest, LargeCompressedListRoundTrip) {
  CollectionLimits limits;
  limits.list_max_listpack_size = -1;
  limits.list_compress_depth = 2;
  ListValue l(limits);
  Strs model;
  for (int i = 0; i < 5000; ++i) {
    model.push_back("item:" + std::to_string(i % 50) + ":payload-payload-payload");
    l.PushBack(model.back());
  }
  EXPECT_EQ(All(l), model);
  EXPECT_EQ(Range(l, 2500, 2599), Strs(model.begin() + 2500, model.begin() + 2600));
  EXPECT_EQ(l.Remove(0, model[7]), 100u);
  std::erase(model, std::string(model[7]));
  EXPECT_EQ(All(l), model);
  EXPECT_TRUE(l.quicklist().CheckInvariants());
  // Compression makes the list much smaller than its raw listpacks.
  size_t raw = 0;
  for (const QuicklistNode* n = l.quicklist().head(); n != nullptr; n = n->next) raw += n->sz;
  EXPECT_LT(l.MemoryUsage(), raw / 2);
  ListValue copy = l.Clone();
  EXPECT_EQ(All(copy), model);
}

}  // namespace
}  // namespace duet
