"""Hashes as a web application uses them through redis-py: sessions stored
as hashes with a TTL, counters bumped with HINCRBY, partial reads."""
import time

import pytest
import redis


def test_session_lifecycle(r):
    sid = "session:9f2c"
    assert r.hset(sid, mapping={"user_id": "42", "name": "Ada", "csrf": "x1y2",
                                "views": 0}) == 4
    assert r.expire(sid, 1800) is True
    assert r.hgetall(sid) == {"user_id": "42", "name": "Ada", "csrf": "x1y2", "views": "0"}
    assert r.hincrby(sid, "views") == 1
    assert r.hincrby(sid, "views", 5) == 6
    assert r.hincrbyfloat(sid, "cart_total", 19.99) == pytest.approx(19.99)
    assert r.hincrbyfloat(sid, "cart_total", 0.01) == pytest.approx(20.0)
    assert r.hget(sid, "cart_total") == "20"
    assert 1790 <= r.ttl(sid) <= 1800  # field writes keep the session's TTL
    assert r.hmget(sid, ["user_id", "missing", "name"]) == ["42", None, "Ada"]
    assert r.hexists(sid, "csrf") is True
    assert r.hdel(sid, "csrf") == 1
    assert r.hexists(sid, "csrf") is False
    assert r.hlen(sid) == 4
    assert sorted(r.hkeys(sid)) == ["cart_total", "name", "user_id", "views"]
    assert r.hstrlen(sid, "name") == 3
    # Logout: the session disappears with its last field.
    assert r.hdel(sid, "cart_total", "name", "user_id", "views") == 4
    assert r.exists(sid) == 0


def test_session_expires(r):
    r.hset("session:short", mapping={"user_id": "7"})
    assert r.pexpire("session:short", 50) is True
    deadline = time.time() + 5
    while r.exists("session:short") and time.time() < deadline:
        time.sleep(0.02)
    assert r.hgetall("session:short") == {}
    assert r.hget("session:short", "user_id") is None


def test_counters_in_a_pipeline(r):
    pipe = r.pipeline(transaction=False)
    for page in ["/", "/about", "/", "/blog", "/"]:
        pipe.hincrby("hits:2024-05-01", page, 1)
    assert pipe.execute() == [1, 1, 2, 1, 3]
    assert r.hgetall("hits:2024-05-01") == {"/": "3", "/about": "1", "/blog": "1"}
    assert r.hsetnx("hits:2024-05-01", "/", 100) == 0
    assert r.hsetnx("hits:2024-05-01", "/new", 100) == 1


def test_errors_reach_the_client(r):
    r.hset("h", "name", "Ada")
    with pytest.raises(redis.ResponseError, match="hash value is not an integer"):
        r.hincrby("h", "name", 1)
    with pytest.raises(redis.ResponseError, match="hash value is not a float"):
        r.hincrbyfloat("h", "name", 1.5)
    r.set("plain", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.hgetall("plain")


def test_large_profile_and_scan(r):
    fields = {f"pref:{i}": f"value-{i}" for i in range(1000)}
    assert r.hset("profile:1", mapping=fields) == 1000
    assert r.object("encoding", "profile:1") == "hashtable"
    assert dict(r.hscan_iter("profile:1")) == fields
    assert dict(r.hscan_iter("profile:1", match="pref:99*")) == {
        k: v for k, v in fields.items() if k.startswith("pref:99")}
    picked = r.hrandfield("profile:1", 5, withvalues=True)
    assert len(picked) == 10
    for k, v in zip(picked[::2], picked[1::2]):
        assert fields[k] == v


def test_resp3_shapes_with_redis_cli(duet):
    from conftest import cli
    p = duet.port
    cli(p, "HSET", "h", "a", "1", "b", "2")
    out = cli(p, "-3", "--no-raw", "HGETALL", "h")
    assert out.splitlines() == ['1# "a" => "1"', '2# "b" => "2"']
    out = cli(p, "-3", "--no-raw", "HRANDFIELD", "h", "-1", "WITHVALUES")
    assert out.startswith("1) 1) ")
