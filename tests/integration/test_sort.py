"""SORT as web applications use it through redis-py: ids kept in a list or a
set, ordered by a field of each object's hash, fetched with GET."""
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


def make_list(r, key, items):
    """A list of ids built with RPUSH, or, while list commands are missing from
    this build, with SORT ... STORE over a set (same elements, same order)."""
    try:
        r.rpush(key, *items)
        return
    except redis.ResponseError as e:
        if "unknown command" not in str(e):
            raise
    for i, item in enumerate(items):
        r.sadd(key + ":tmp", i)
        r.set(f"{key}:tmp:{i}", item)
    r.sort(key + ":tmp", get=[f"{key}:tmp:*"], store=key)


def test_sort_list_by_hash_field_with_get(r):
    store_users(r)
    make_list(r, "recent_users", ["3", "1", "4", "2"])
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
    assert r.sort("leaderboard", by="nosort", get="user:*->name") == ["Linus", "Ada", "Grace"]
    assert r.sort("team", by="user:*->name", store="leaderboard", alpha=True,
                  get="user:*->name") == 3
    assert r.sort("leaderboard", by="nosort") == ["Ada", "Grace", "Linus"]
    with pytest.raises(redis.ResponseError, match="can't be converted into double"):
        r.sort("team", by="user:*->name")
    r.set("plain", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.sort("plain")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("SORT_RO", "team", "STORE", "x")
    assert r.sort("missing", store="leaderboard") == 0
    assert r.exists("leaderboard") == 0
