#include "storage/listpack.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace duet {
namespace {

using Bytes = std::vector<unsigned char>;

Bytes Blob(const unsigned char* lp) { return Bytes(lp, lp + lp::Bytes(lp)); }

// A listpack with one entry `s`, as raw bytes.
Bytes OneEntry(std::string_view s) {
  unsigned char* lp = lp::Append(lp::New(), s);
  Bytes b = Blob(lp);
  lp::Free(lp);
  return b;
}

// The entry bytes of a one-entry listpack (header and end byte stripped).
Bytes EntryBytes(std::string_view s) {
  Bytes b = OneEntry(s);
  return Bytes(b.begin() + lp::kHeaderSize, b.end() - 1);
}

Bytes Concat(std::initializer_list<unsigned char> head, std::string_view body,
             std::initializer_list<unsigned char> tail) {
  Bytes out(head);
  out.insert(out.end(), body.begin(), body.end());
  out.insert(out.end(), tail);
  return out;
}

std::vector<std::string> ReadAll(const unsigned char* lp) {
  std::vector<std::string> out;
  char buf[lp::kIntBufSize];
  for (const unsigned char* p = lp::First(lp); p != nullptr; p = lp::Next(lp, p)) {
    out.emplace_back(lp::GetView(p, buf));
  }
  return out;
}

std::vector<std::string> ReadAllBackward(const unsigned char* lp) {
  std::vector<std::string> out;
  char buf[lp::kIntBufSize];
  for (const unsigned char* p = lp::Last(lp); p != nullptr; p = lp::Prev(lp, p)) {
    out.emplace_back(lp::GetView(p, buf));
  }
  return out;
}

TEST(ListpackTest, EmptyLayout) {
  unsigned char* lp = lp::New();
  EXPECT_EQ(Blob(lp), (Bytes{7, 0, 0, 0, 0, 0, 0xFF}));
  EXPECT_EQ(lp::Length(lp), 0u);
  EXPECT_EQ(lp::First(lp), nullptr);
  EXPECT_EQ(lp::Last(lp), nullptr);
  EXPECT_TRUE(lp::Validate(lp, lp::Bytes(lp)));
  lp::Free(lp);
}

TEST(ListpackTest, HeaderOfOneEntry) {
  EXPECT_EQ(OneEntry("123"), (Bytes{9, 0, 0, 0, 1, 0, 0x7B, 0x01, 0xFF}));
}

TEST(ListpackTest, IntegerEncodingsByteExact) {
  // 7-bit unsigned.
  EXPECT_EQ(EntryBytes("0"), (Bytes{0x00, 0x01}));
  EXPECT_EQ(EntryBytes("127"), (Bytes{0x7F, 0x01}));
  // 13-bit signed.
  EXPECT_EQ(EntryBytes("128"), (Bytes{0xC0, 0x80, 0x02}));
  EXPECT_EQ(EntryBytes("4095"), (Bytes{0xCF, 0xFF, 0x02}));
  EXPECT_EQ(EntryBytes("-1"), (Bytes{0xDF, 0xFF, 0x02}));
  EXPECT_EQ(EntryBytes("-4096"), (Bytes{0xD0, 0x00, 0x02}));
  // 16-bit.
  EXPECT_EQ(EntryBytes("4096"), (Bytes{0xF1, 0x00, 0x10, 0x03}));
  EXPECT_EQ(EntryBytes("-4097"), (Bytes{0xF1, 0xFF, 0xEF, 0x03}));
  EXPECT_EQ(EntryBytes("32767"), (Bytes{0xF1, 0xFF, 0x7F, 0x03}));
  EXPECT_EQ(EntryBytes("-32768"), (Bytes{0xF1, 0x00, 0x80, 0x03}));
  // 24-bit.
  EXPECT_EQ(EntryBytes("32768"), (Bytes{0xF2, 0x00, 0x80, 0x00, 0x04}));
  EXPECT_EQ(EntryBytes("8388607"), (Bytes{0xF2, 0xFF, 0xFF, 0x7F, 0x04}));
  EXPECT_EQ(EntryBytes("-8388608"), (Bytes{0xF2, 0x00, 0x00, 0x80, 0x04}));
  // 32-bit.
  EXPECT_EQ(EntryBytes("8388608"), (Bytes{0xF3, 0x00, 0x00, 0x80, 0x00, 0x05}));
  EXPECT_EQ(EntryBytes("-2147483648"), (Bytes{0xF3, 0x00, 0x00, 0x00, 0x80, 0x05}));
  EXPECT_EQ(EntryBytes("2147483647"), (Bytes{0xF3, 0xFF, 0xFF, 0xFF, 0x7F, 0x05}));
  // 64-bit.
  EXPECT_EQ(EntryBytes("2147483648"), (Bytes{0xF4, 0, 0, 0, 0x80, 0, 0, 0, 0, 0x09}));
  EXPECT_EQ(EntryBytes("9223372036854775807"),
            (Bytes{0xF4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x09}));
  EXPECT_EQ(EntryBytes("-9223372036854775808"), (Bytes{0xF4, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x09}));
}

TEST(ListpackTest, NonCanonicalIntegersStayStrings) {
  EXPECT_EQ(EntryBytes("0123"), Concat({0x84}, "0123", {0x05}));
  EXPECT_EQ(EntryBytes("-0"), Concat({0x82}, "-0", {0x03}));
  EXPECT_EQ(EntryBytes("+1"), Concat({0x82}, "+1", {0x03}));
  EXPECT_EQ(EntryBytes(" 1"), Concat({0x82}, " 1", {0x03}));
  EXPECT_EQ(EntryBytes("-"), Concat({0x81}, "-", {0x02}));
  EXPECT_EQ(EntryBytes("9223372036854775808"), Concat({0x93}, "9223372036854775808", {0x14}));
  EXPECT_EQ(EntryBytes(""), (Bytes{0x80, 0x01}));
}

TEST(ListpackTest, StringEncodingsAndBacklenByteExact) {
  std::string s63(63, 'a'), s64(64, 'b'), s126(126, 'c'), s4095(4095, 'd'), s4096(4096, 'e');
  EXPECT_EQ(EntryBytes(s63), Concat({0xBF}, s63, {0x40}));
  EXPECT_EQ(EntryBytes(s64), Concat({0xE0, 0x40}, s64, {0x42}));
  // Entry of 128 bytes: the first two-byte backlen.
  EXPECT_EQ(EntryBytes(s126), Concat({0xE0, 0x7E}, s126, {0x01, 0x80}));
  EXPECT_EQ(EntryBytes(s4095), Concat({0xEF, 0xFF}, s4095, {0x20, 0x81}));
  EXPECT_EQ(EntryBytes(s4096), Concat({0xF0, 0x00, 0x10, 0x00, 0x00}, s4096, {0x20, 0x85}));
  // 16382 is the last length with a two-byte backlen; 16383 takes three.
  std::string s16377(16377, 'f'), s16378(16378, 'g');
  EXPECT_EQ(EntryBytes(s16377), Concat({0xF0, 0xF9, 0x3F, 0x00, 0x00}, s16377, {0x7F, 0xFE}));
  EXPECT_EQ(EntryBytes(s16378), Concat({0xF0, 0xFA, 0x3F, 0x00, 0x00}, s16378, {0x00, 0xFF, 0xFF}));
  std::string big(2097151 - 5, 'h');  // entry of 2097151 bytes: four-byte backlen
  Bytes e = EntryBytes(big);
  EXPECT_EQ(Bytes(e.end() - 4, e.end()), (Bytes{0x00, 0xFF, 0xFF, 0xFF}));
}

// The same hash written by Redis 7.0.15 (HSET h a 1 b -1 c hello d 4096 e 32768
// f 8388608 g 2147483648 h -9223372036854775808 i 0123 j ""; DUMP with
// rdbcompression off) holds exactly this listpack.
TEST(ListpackTest, MatchesRedisDumpOfHash) {
  static const char kRedis[] =
      "\x5c\x00\x00\x00\x14\x00\x81\x61\x02\x01\x01\x81\x62\x02\xdf\xff\x02\x81\x63\x02\x85hello"
      "\x06\x81\x64\x02\xf1\x00\x10\x03\x81\x65\x02\xf2\x00\x80\x00\x04\x81\x66\x02\xf3\x00\x00"
      "\x80\x00\x05\x81\x67\x02\xf4\x00\x00\x00\x80\x00\x00\x00\x00\x09\x81\x68\x02\xf4\x00\x00"
      "\x00\x00\x00\x00\x00\x80\x09\x81\x69\x02\x84\x30\x31\x32\x33\x05\x81\x6a\x02\x80\x01\xff";
  Bytes expected(kRedis, kRedis + sizeof(kRedis) - 1);
  std::vector<std::string_view> items = {
      "a", "1",     "b", "-1",      "c", "hello",      "d", "4096",
      "e", "32768", "f", "8388608", "g", "2147483648", "h", "-9223372036854775808",
      "i", "0123",  "j", ""};
  unsigned char* lp = lp::AppendMany(lp::New(), items.data(), items.size());
  EXPECT_EQ(Blob(lp), expected);
  // One by one gives the same bytes.
  unsigned char* lp2 = lp::New();
  for (auto s : items) lp2 = lp::Append(lp2, s);
  EXPECT_EQ(Blob(lp2), expected);
  EXPECT_TRUE(lp::Validate(expected.data(), expected.size()));
  lp::Free(lp);
  lp::Free(lp2);
}

TEST(ListpackTest, ReadsBackEveryClassBothWays) {
  std::vector<std::string> in = {"0",
                                 "127",
                                 "128",
                                 "-4096",
                                 "4096",
                                 "-32768",
                                 "32768",
                                 "-8388608",
                                 "8388608",
                                 "-2147483648",
                                 "2147483648",
                                 "-9223372036854775808",
                                 "9223372036854775807",
                                 "",
                                 "x",
                                 std::string(63, 'a'),
                                 std::string(64, 'b'),
                                 std::string(4095, 'c'),
                                 std::string(4096, 'd'),
                                 std::string(16378, 'e'),
                                 "0123"};
  unsigned char* lp = lp::New();
  for (const auto& s : in) lp = lp::Append(lp, s);
  EXPECT_EQ(lp::Length(lp), in.size());
  EXPECT_EQ(ReadAll(lp), in);
  std::vector<std::string> rev(in.rbegin(), in.rend());
  EXPECT_EQ(ReadAllBackward(lp), rev);
  EXPECT_TRUE(lp::Validate(lp, lp::Bytes(lp)));
  lp::Value v = lp::Get(lp::Seek(lp, 11));
  ASSERT_TRUE(v.is_int());
  EXPECT_EQ(v.ival, INT64_MIN);
  lp::Free(lp);
}

TEST(ListpackTest, SeekFromBothEnds) {
  unsigned char* lp = lp::New();
  for (int i = 0; i < 10; ++i) lp = lp::Append(lp, "v" + std::to_string(i));
  char buf[lp::kIntBufSize];
  EXPECT_EQ(lp::GetView(lp::Seek(lp, 0), buf), "v0");
  EXPECT_EQ(lp::GetView(lp::Seek(lp, 7), buf), "v7");
  EXPECT_EQ(lp::GetView(lp::Seek(lp, -1), buf), "v9");
  EXPECT_EQ(lp::GetView(lp::Seek(lp, -10), buf), "v0");
  EXPECT_EQ(lp::Seek(lp, 10), nullptr);
  EXPECT_EQ(lp::Seek(lp, -11), nullptr);
  lp::Free(lp);
}

TEST(ListpackTest, InsertPrependReplaceDelete) {
  unsigned char* lp = lp::New();
  lp = lp::Append(lp, "b");
  lp = lp::Prepend(lp, "a");
  lp = lp::Append(lp, "d");
  unsigned char* p = lp::Seek(lp, 1);
  unsigned char* np = nullptr;
  lp = lp::Insert(lp, p, lp::Encoded("c"), lp::Where::kAfter, &np);
  char buf[lp::kIntBufSize];
  EXPECT_EQ(lp::GetView(np, buf), "c");
  lp = lp::Insert(lp, lp::Seek(lp, 0), lp::Encoded("0"), lp::Where::kBefore);
  EXPECT_EQ(ReadAll(lp), (std::vector<std::string>{"0", "a", "b", "c", "d"}));

  // Replace with larger, smaller, and integer values.
  p = lp::Seek(lp, 2);
  lp = lp::Replace(lp, &p, std::string(300, 'x'));
  EXPECT_EQ(lp::GetView(p, buf), std::string(300, 'x'));
  p = lp::Seek(lp, 2);
  lp = lp::Replace(lp, &p, "-77");
  EXPECT_TRUE(lp::Get(p).is_int());
  EXPECT_EQ(ReadAll(lp), (std::vector<std::string>{"0", "a", "-77", "c", "d"}));
  EXPECT_TRUE(lp::Validate(lp, lp::Bytes(lp)));

  p = lp::Seek(lp, 1);
  lp = lp::DeleteAt(lp, &p, 2);
  EXPECT_EQ(lp::GetView(p, buf), "c");
  EXPECT_EQ(ReadAll(lp), (std::vector<std::string>{"0", "c", "d"}));
  p = lp::Seek(lp, -1);
  lp = lp::DeleteAt(lp, &p);
  EXPECT_EQ(p, nullptr);
  lp = lp::DeleteRange(lp, -2, 100);
  EXPECT_EQ(lp::Length(lp), 0u);
  EXPECT_EQ(Blob(lp), (Bytes{7, 0, 0, 0, 0, 0, 0xFF}));
  lp::Free(lp);
}

TEST(ListpackTest, FindWithSkipAndIntegerNeedles) {
  std::vector<std::string_view> kv = {"f1", "10", "10", "f1", "f3", "x"};
  unsigned char* lp = lp::AppendMany(lp::New(), kv.data(), kv.size());
  // Keys only: "10" is a value at index 1 and a key at index 2.
  unsigned char* p = lp::Find(lp, lp::First(lp), lp::Needle("10"), 1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p, lp::Seek(lp, 2));
  // "f1" as a key is index 0; its appearance as a value at 3 is skipped.
  p = lp::Find(lp, lp::Seek(lp, 2), lp::Needle("f1"), 1);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(lp::Find(lp, lp::First(lp), lp::Needle("x"), 0), lp::Seek(lp, 5));
  EXPECT_EQ(lp::Find(lp, lp::First(lp), lp::Needle("010"), 0), nullptr);
  EXPECT_TRUE(lp::Equals(lp::Seek(lp, 1), "10"));
  EXPECT_FALSE(lp::Equals(lp::Seek(lp, 1), "11"));
  EXPECT_FALSE(lp::Equals(lp::Seek(lp, 0), "f2"));
  lp::Free(lp);
}

TEST(ListpackTest, MergeAndSplit) {
  unsigned char* a = lp::New();
  unsigned char* b = lp::New();
  for (int i = 0; i < 5; ++i) a = lp::Append(a, std::to_string(i));
  for (int i = 5; i < 9; ++i) b = lp::Append(b, "s" + std::to_string(i));
  a = lp::Merge(a, b);
  EXPECT_EQ(lp::Length(a), 9u);
  EXPECT_TRUE(lp::Validate(a, lp::Bytes(a)));
  EXPECT_EQ(ReadAll(a),
            (std::vector<std::string>{"0", "1", "2", "3", "4", "s5", "s6", "s7", "s8"}));
  unsigned char* right = lp::Split(&a, 3);
  EXPECT_EQ(ReadAll(a), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(ReadAll(right), (std::vector<std::string>{"3", "4", "s5", "s6", "s7", "s8"}));
  EXPECT_TRUE(lp::Validate(a, lp::Bytes(a)));
  EXPECT_TRUE(lp::Validate(right, lp::Bytes(right)));
  unsigned char* empty = lp::Split(&right, 6);
  EXPECT_EQ(lp::Length(empty), 0u);
  EXPECT_EQ(lp::Length(right), 6u);
  lp::Free(a);
  lp::Free(right);
  lp::Free(empty);
}

TEST(ListpackTest, CountBecomesUnknownAt65535) {
  unsigned char* lp = lp::New();
  for (int i = 0; i < 65534; ++i) lp = lp::AppendInt(lp, i & 63);
  EXPECT_EQ(lp::HeaderCount(lp), 65534);
  lp = lp::AppendInt(lp, 1);
  EXPECT_EQ(lp::HeaderCount(lp), lp::kUnknownCount);
  EXPECT_EQ(lp::Length(lp), 65535u);
  lp = lp::AppendInt(lp, 2);
  EXPECT_EQ(lp::Length(lp), 65536u);
  size_t n = 0;
  EXPECT_TRUE(lp::Validate(lp, lp::Bytes(lp), &n));
  EXPECT_EQ(n, 65536u);
  lp = lp::DeleteRange(lp, 0, 10);
  EXPECT_EQ(lp::Length(lp), 65526u);
  lp::Free(lp);
}

TEST(ListpackTest, IntParsingRules) {
  int64_t v = 0;
  EXPECT_TRUE(lp::StringToInt64("0", 1, &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(lp::StringToInt64("-9223372036854775808", 20, &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_FALSE(lp::StringToInt64("-9223372036854775809", 20, &v));
  EXPECT_FALSE(lp::StringToInt64("18446744073709551616", 20, &v));
  EXPECT_FALSE(lp::StringToInt64("00", 2, &v));
  EXPECT_FALSE(lp::StringToInt64("1a", 2, &v));
  EXPECT_FALSE(lp::StringToInt64("", 0, &v));
  char buf[lp::kIntBufSize];
  EXPECT_EQ(std::string_view(buf, lp::FormatInt64(INT64_MIN, buf)), "-9223372036854775808");
  EXPECT_EQ(std::string_view(buf, lp::FormatInt64(0, buf)), "0");
  EXPECT_EQ(std::string_view(buf, lp::FormatInt64(10, buf)), "10");
  EXPECT_EQ(std::string_view(buf, lp::FormatInt64(-5, buf)), "-5");
}

// --- Validation of untrusted bytes ---------------------------------------------

Bytes SampleBlob() {
  unsigned char* lp = lp::New();
  for (auto s : {"1", "-300", "hello", "70000", "2147483648"}) lp = lp::Append(lp, s);
  lp = lp::Append(lp, std::string(200, 'z'));
  Bytes b = Blob(lp);
  lp::Free(lp);
  return b;
}

TEST(ListpackValidateTest, AcceptsGoodRejectsTruncated) {
  Bytes b = SampleBlob();
  size_t n = 0;
  EXPECT_TRUE(lp::Validate(b.data(), b.size(), &n));
  EXPECT_EQ(n, 6u);
  for (size_t len = 0; len < b.size(); ++len) {
    // Copy into an exact-size buffer so a read past the end shows under ASan.
    std::unique_ptr<unsigned char[]> part(new unsigned char[len + 1]);
    std::memcpy(part.get(), b.data(), len);
    EXPECT_FALSE(lp::Validate(part.get(), len)) << "len " << len;
  }
}

TEST(ListpackValidateTest, RejectsBadHeaderCountAndEnd) {
  Bytes b = SampleBlob();
  Bytes wrong_count = b;
  wrong_count[4] = 5;
  EXPECT_FALSE(lp::Validate(wrong_count.data(), wrong_count.size()));
  Bytes unknown_count = b;
  unknown_count[4] = 0xFF;
  unknown_count[5] = 0xFF;
  EXPECT_TRUE(lp::Validate(unknown_count.data(), unknown_count.size()));
  Bytes wrong_total = b;
  wrong_total[0] += 1;
  EXPECT_FALSE(lp::Validate(wrong_total.data(), wrong_total.size()));
  Bytes no_end = b;
  no_end[no_end.size() - 1] = 0x7F;
  EXPECT_FALSE(lp::Validate(no_end.data(), no_end.size()));
  Bytes bad_enc = b;
  bad_enc[lp::kHeaderSize] = 0xF7;  // unused encoding
  EXPECT_FALSE(lp::Validate(bad_enc.data(), bad_enc.size()));
}

TEST(ListpackValidateTest, EveryByteFlipIsSafe) {
  // Flipping any bit must either be rejected or still decode to a readable
  // listpack; it must never read out of bounds (checked under ASan).
  Bytes b = SampleBlob();
  for (size_t i = 0; i < b.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes c = b;
      c[i] ^= static_cast<unsigned char>(1 << bit);
      std::unique_ptr<unsigned char[]> exact(new unsigned char[c.size()]);
      std::memcpy(exact.get(), c.data(), c.size());
      if (lp::Validate(exact.get(), c.size())) {
        ReadAll(exact.get());
        ReadAllBackward(exact.get());
      }
    }
  }
  // A flip inside a backlen must be caught: the entry size no longer matches.
  Bytes c = b;
  c[lp::kHeaderSize + 1] ^= 0x01;  // backlen of the first entry ("1")
  EXPECT_FALSE(lp::Validate(c.data(), c.size()));
}

TEST(ListpackValidateTest, RejectsStringLongerThanBlob) {
  // 32-bit string length claiming 4 GB.
  Bytes b = {0, 0, 0, 0, 1, 0, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 'a', 0x06, 0xFF};
  b[0] = static_cast<unsigned char>(b.size());
  EXPECT_FALSE(lp::Validate(b.data(), b.size()));
}

TEST(ListpackTest, RandomOpsAgainstVector) {
  std::mt19937 rng(7);
  std::vector<std::string> model;
  unsigned char* lp = lp::New();
  auto random_value = [&]() -> std::string {
    switch (rng() % 4) {
      case 0:
        return std::to_string(static_cast<int64_t>(rng()) - (1LL << 31));
      case 1:
        return std::to_string(rng() % 200);
      case 2:
        return std::string(rng() % 100, 'a' + static_cast<char>(rng() % 26));
      default:
        return std::string(rng() % 5000, 'q');
    }
  };
  for (int step = 0; step < 3000; ++step) {
    int op = static_cast<int>(rng() % 5);
    if (op == 0 || model.empty()) {
      std::string v = random_value();
      size_t at = model.empty() ? 0 : rng() % (model.size() + 1);
      if (at == model.size()) {
        lp = lp::Append(lp, v);
      } else {
        lp = lp::Insert(lp, lp::Seek(lp, static_cast<int64_t>(at)), lp::Encoded(v),
                        lp::Where::kBefore);
      }
      model.insert(model.begin() + static_cast<ptrdiff_t>(at), v);
    } else if (op == 1) {
      size_t at = rng() % model.size();
      size_t n = 1 + rng() % 3;
      lp = lp::DeleteRange(lp, static_cast<int64_t>(at), n);
      model.erase(model.begin() + static_cast<ptrdiff_t>(at),
                  model.begin() + static_cast<ptrdiff_t>(std::min(model.size(), at + n)));
    } else if (op == 2) {
      size_t at = rng() % model.size();
      std::string v = random_value();
      unsigned char* p = lp::Seek(lp, static_cast<int64_t>(at));
      lp = lp::Replace(lp, &p, v);
      model[at] = v;
    } else {
      lp = lp::Append(lp, random_value());
      char buf[lp::kIntBufSize];
      model.emplace_back(lp::GetView(lp::Last(lp), buf));
    }
    ASSERT_EQ(lp::Length(lp), model.size());
  }
  EXPECT_EQ(ReadAll(lp), model);
  EXPECT_TRUE(lp::Validate(lp, lp::Bytes(lp)));
  lp::Free(lp);
}

}  // namespace
}  // namespace duet
