"""SORT as web applications use it through redis-py: ids kept in a list or a
set, ordered by a field of each object's hash, fetched with GET."""
import threading
import time

import pytest
import redis

USERS = {
    "1": {"name": "Ada", "age": "36", "score": "88.5"},
    "2": {"name": "Linus", "age": "28", "score": "92"},
    "3": {"name": "Grace", "age": "45", "score": "75.25"},
    "4": {"name": "Barbara", "age": "31"},
}


def store_users(r):
    pipe = r.pipeline(transaction=False)
    for uid, fields in USERS.items():
        pipe.hset(f"user:{uid}", mapping=fields)
    pipe.execute()


def test_sort_list_by_hash_field_with_get(r):
    store_users(r)
    r.rpush("recent_users", "3", "1", "4", "2")
    assert r.sort("recent_users", by="user:*->age") == ["2", "4", "1", "3"]
    assert r.sort("recent_users", by="user:*->age", get=["#", "user:*->name"], desc=True) == [
        "3", "Grace", "1", "Ada", "4", "Barbara", "2", "Linus"]
    assert r.sort("recent_users", by="user:*->age", get=["user:*->name", "user:*->age"],
                  groups=True) == [("Linus", "28"), ("Barbara", "31"), ("Ada", "36"),
                                   ("Grace", "45")]
    # Paging: LIMIT offset count.
    assert r.sort("recent_users", by="user:*->name", alpha=True, start=1, num=2,
                  get="user:*->name") == ["Barbara", "Grace"]
    # A missing field weighs 0; a missing GET is nil.
    assert r.sort("recent_users", by="user:*->score", get=["user:*->score"]) == [
        None, "75.25", "88.5", "92"]
    # BY nosort keeps the list's own order.
    assert r.sort("recent_users", by="nosort", get="user:*->name") == [
        "Grace", "Ada", "Barbara", "Linus"]
    assert r.sort_ro("recent_users", by="user:*->age", get="user:*->name", start=0, num=1) == [
        "Linus"]


def test_sort_store_and_errors(r):
    store_users(r)
    r.sadd("team", "1", "2", "3")
    assert r.sort("team", by="user:*->score", desc=True, store="leaderboard") == 3
    assert r.type("leaderboard") == "list"
    assert r.lrange("leaderboard", 0, -1) == ["2", "1", "3"]
    assert r.sort("leaderboard", by="nosort", get="user:*->name") == ["Linus", "Ada", "Grace"]
    assert r.sort("team", by="user:*->name", store="leaderboard", alpha=True,
                  get="user:*->name") == 3
    assert r.lrange("leaderboard", 0, -1) == ["Ada", "Grace", "Linus"]
    with pytest.raises(redis.ResponseError, match="can't be converted into double"):
        r.sort("team", by="user:*->name")
    r.set("plain", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.sort("plain")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("SORT_RO", "team", "STORE", "x")
    assert r.sort("missing", store="leaderboard") == 0
    assert r.exists("leaderboard") == 0


def test_sort_sorted_set_and_store_wakes_a_blocked_pop(duet, r):
    r.zadd("by_score", {"c": 3, "a": 1, "b": 2})
    assert r.sort("by_score", by="nosort", desc=True) == ["c", "b", "a"]
    assert r.sort("by_score", alpha=True, start=0, num=2) == ["a", "b"]
    other = redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True,
                        socket_timeout=10)
    got = []
    t = threading.Thread(target=lambda: got.append(other.blpop("jobs", timeout=5)))
    t.start()
    deadline = time.time() + 5
    while time.time() < deadline and not any(c.get("cmd") == "blpop" for c in r.client_list()):
        time.sleep(0.01)
    assert r.sort("by_score", alpha=True, store="jobs") == 3
    t.join(10)
    other.close()
    assert got == [("jobs", "a")]
    assert r.lrange("jobs", 0, -1) == ["b", "c"]
