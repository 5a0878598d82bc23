"""List commands the way applications use them through redis-py: queues,
stacks, capped "latest items" lists, reliable queues with LMOVE."""
import pytest
import redis


def test_queue_and_stack(r):
    assert r.rpush("queue", "job1", "job2", "job3") == 3
    assert r.lpop("queue") == "job1"
    assert r.llen("queue") == 2
    assert r.lpush("stack", "a", "b") == 2
    assert r.lpop("stack") == "b"
    assert r.rpop("queue", 5) == ["job3", "job2"]
    assert r.exists("queue") == 0
    assert r.lpop("queue") is None
    assert r.lpop("queue", 2) is None


def test_capped_latest_items(r):
    for i in range(20):
        r.lpush("latest", "item%d" % i)
        r.ltrim("latest", 0, 9)
    assert r.llen("latest") == 10
    assert r.lrange("latest", 0, 2) == ["item19", "item18", "item17"]
    assert r.lindex("latest", -1) == "item10"


def test_pagination_and_edits(r):
    r.rpush("l", *["v%d" % i for i in range(10)])
    assert r.lrange("l", 0, 4) == ["v0", "v1", "v2", "v3", "v4"]
    assert r.lrange("l", 5, 100) == ["v5", "v6", "v7", "v8", "v9"]
    assert r.lset("l", 0, "first") is True
    assert r.linsert("l", "AFTER", "first", "second") == 11
    assert r.lrange("l", 0, 1) == ["first", "second"]
    r.rpush("l", "v3")
    assert r.lpos("l", "v3") == 4
    assert r.lpos("l", "v3", rank=-1) == 11
    assert r.lpos("l", "v3", count=0) == [4, 11]
    assert r.lpos("l", "nothere") is None
    assert r.lrem("l", 0, "v3") == 2
    assert r.llen("l") == 10


def test_reliable_queue_with_lmove(r):
    r.rpush("jobs", "a", "b")
    assert r.lmove("jobs", "processing", "LEFT", "RIGHT") == "a"
    assert r.rpoplpush("jobs", "processing") == "b"
    assert r.lrange("processing", 0, -1) == ["b", "a"]
    assert r.lrem("processing", 1, "a") == 1
    assert r.lmove("jobs", "processing") is None
    assert r.exists("jobs") == 0


def test_lmpop(r):
    r.rpush("b", "1", "2", "3")
    assert r.lmpop(2, "a", "b", direction="RIGHT", count=2) == ["b", ["3", "2"]]
    assert r.lmpop(1, "a", direction="LEFT") is None


def test_errors(r):
    r.set("s", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.lpush("s", "a")
    with pytest.raises(redis.ResponseError, match="no such key"):
        r.lset("missing", 0, "x")
    r.rpush("l", "a")
    with pytest.raises(redis.ResponseError, match="index out of range"):
        r.lset("l", 5, "x")
    with pytest.raises(redis.ResponseError, match="RANK can't be zero"):
        r.lpos("l", "a", rank=0)
    with pytest.raises(redis.ResponseError, match="must be positive"):
        r.lpop("l", -1)
    assert r.lrange("l", 0, -1) == ["a"]


def test_pipelined_pushes(r):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.rpush("big", "x%d" % i)
    results = p.execute()
    assert results[-1] == 1000
    assert r.lindex("big", 500) == "x500"
    assert r.lrange("big", -2, -1) == ["x998", "x999"]
    assert r.type("big") == "list"
    assert r.object("encoding", "big") == "quicklist"
