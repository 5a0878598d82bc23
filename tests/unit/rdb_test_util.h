#pragma once
// Helpers for the RDB tests: build keys of every type and encoding, and print
// a keyspace as canonical text (type, encoding, expiry, flags, contents) so
// two keyspaces can be compared with one EXPECT_EQ.

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "storage/entry.h"
#include "storage/hash_value.h"
#include "storage/keyspace.h"
#include "storage/list_value.h"
#include "storage/set_value.h"
#include "storage/value_destroy.h"
#include "storage/zset_value.h"

namespace duet::rdbtest {

inline std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

inline std::string Describe(const Entry& e, bool with_encoding = true) {
  std::string out = Quote(e.key()) + " " + ValueTypeName(e.type);
  if (with_encoding) {
    out += " ";
    out += e.type == ValueType::kString ? "string" : CollectionEncodingName(e);
  }
  if (e.expire_ms != 0) out += " px=" + std::to_string(e.expire_ms);
  if (e.mc_flags != 0) out += " flags=" + std::to_string(e.mc_flags);
  out += " :";
  std::vector<std::string> items;
  char score[64];
  switch (e.type) {
    case ValueType::kString:
      items.push_back(Quote(e.str()));
      break;
    case ValueType::kList:
      e.object<ListValue>()->Range(0, -1, [&](std::string_view v) { items.push_back(Quote(v)); });
      break;
    case ValueType::kSet:
      e.object<SetValue>()->ForEach([&](std::string_view m) { items.push_back(Quote(m)); });
      std::sort(items.begin(), items.end());
      break;
    case ValueType::kZSet:
      e.object<ZSetValue>()->ForEach([&](std::string_view m, double s) {
        std::snprintf(score, sizeof(score), "%.17g", s);
        items.push_back(Quote(m) + "=" + score);
      });
      break;
    case ValueType::kHash:
      e.object<HashValue>()->ForEach([&](std::string_view f, std::string_view v) {
        items.push_back(Quote(f) + "=" + Quote(v));
      });
      std::sort(items.begin(), items.end());
      break;
  }
  for (const auto& i : items) out += " " + i;
  return out;
}

inline std::string Describe(const Keyspace& ks, bool with_encoding = true) {
  std::string out;
  for (int i = 0; i < ks.databases(); ++i) {
    std::vector<std::string> keys;
    ks.db(i).ForEach([&](const Entry* e) { keys.push_back(Describe(*e, with_encoding)); });
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys) out += "db" + std::to_string(i) + " " + k + "\n";
  }
  return out;
}

inline void AddString(Database& db, std::string_view key, std::string_view value,
                      int64_t expire_ms = 0) {
  Entry* e = Entry::NewString(key, value);
  e->expire_ms = expire_ms;
  db.Insert(e);
}

inline ListValue* AddList(Database& db, std::string_view key, const CollectionLimits& limits,
                          const std::vector<std::string>& items) {
  auto* l = new ListValue(limits);
  for (const auto& s : items) l->PushBack(s);
  db.Insert(Entry::New(key, l));
  return l;
}

inline SetValue* AddSet(Database& db, std::string_view key, const CollectionLimits& limits,
                        const std::vector<std::string>& members) {
  Entry* e = Entry::New(key, SetValue());
  auto* s = e->object<SetValue>();
  for (const auto& m : members) s->Add(m, limits);
  db.Insert(e);
  return s;  // points into the entry
}

inline ZSetValue* AddZSet(Database& db, std::string_view key, const CollectionLimits& limits,
                          const std::vector<std::pair<std::string, double>>& items) {
  Entry* e = Entry::New(key, ZSetValue::ForNewKey(items.empty() ? "" : items[0].first, limits));
  auto* z = e->object<ZSetValue>();
  for (const auto& [m, s] : items) z->Add(m, s, 0, limits);
  db.Insert(e);
  return z;  // points into the entry
}

inline HashValue* AddHash(Database& db, std::string_view key, const CollectionLimits& limits,
                          const std::vector<std::pair<std::string, std::string>>& pairs) {
  Entry* e = Entry::New(key, HashValue());
  auto* h = e->object<HashValue>();
  for (const auto& [f, v] : pairs) h->Set(f, v, limits);
  db.Insert(e);
  return h;  // points into the entry
}

}  // namespace duet::rdbtest
