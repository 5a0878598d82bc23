"""Sets as a web application uses them through redis-py: tags on articles,
tag indexes intersected for filtering, cached intersections with a TTL."""
import pytest
import redis

ARTICLES = {
    "1": ["python", "redis", "databases"],
    "2": ["python", "web"],
    "3": ["redis", "web", "caching"],
    "4": ["python", "redis", "web"],
}


def index_articles(r):
    pipe = r.pipeline(transaction=False)
    for aid, tags in ARTICLES.items():
        pipe.sadd(f"article:{aid}:tags", *tags)
        for tag in tags:
            pipe.sadd(f"tag:{tag}", aid)
    pipe.execute()


def test_tag_filtering(r):
    index_articles(r)
    assert r.smembers("article:1:tags") == {"python", "redis", "databases"}
    assert r.sinter("tag:python", "tag:redis") == {"1", "4"}
    assert r.sinter("tag:python", "tag:redis", "tag:web") == {"4"}
    assert r.sinter("tag:python", "tag:nonexistent") == set()
    assert r.sunion("tag:databases", "tag:caching") == {"1", "3"}
    assert r.sdiff("tag:web", "tag:python") == {"3"}
    assert r.sintercard(2, ["tag:python", "tag:web"]) == 2
    assert r.sintercard(2, ["tag:python", "tag:web"], limit=1) == 1
    assert r.scard("tag:python") == 3
    assert r.sismember("tag:web", "2") is True
    assert r.smismember("tag:web", ["1", "2", "3"]) == [0, 1, 1]


def test_cached_intersection(r):
    index_articles(r)
    assert r.sinterstore("cache:python+redis", ["tag:python", "tag:redis"]) == 2
    assert r.expire("cache:python+redis", 60) is True
    assert r.smembers("cache:python+redis") == {"1", "4"}
    assert r.object("encoding", "cache:python+redis") == "intset"
    # Recomputing replaces the cached set and its TTL.
    assert r.sinterstore("cache:python+redis", ["tag:python", "tag:redis", "tag:web"]) == 1
    assert r.ttl("cache:python+redis") == -1
    # An empty result removes the cache key.
    assert r.sinterstore("cache:python+redis", ["tag:python", "tag:none"]) == 0
    assert r.exists("cache:python+redis") == 0
    assert r.sunionstore("cache:all", ["tag:python", "tag:web"]) == 4
    assert r.sdiffstore("cache:only-web", ["tag:web", "tag:python"]) == 1


def test_retagging_and_cleanup(r):
    index_articles(r)
    assert r.smove("article:2:tags", "article:3:tags", "python") is True
    assert r.smembers("article:2:tags") == {"web"}
    assert r.srem("article:2:tags", "web") == 1
    assert r.exists("article:2:tags") == 0
    popped = r.spop("tag:redis", 2)
    assert len(popped) == 2 and set(popped) <= {"1", "3", "4"}
    assert r.scard("tag:redis") == 1
    assert r.srandmember("tag:redis") in {"1", "3", "4"}
    assert len(r.srandmember("tag:python", -5)) == 5


def test_large_set_scan(r):
    members = {f"user:{i}" for i in range(2000)}
    assert r.sadd("online", *members) == 2000
    assert set(r.sscan_iter("online", count=100)) == members
    assert set(r.sscan_iter("online", match="user:19??")) == {f"user:{i}" for i in range(1900, 2000)}
    r.set("plain", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.sadd("plain", "x")


def test_resp3_sets_with_redis_cli(duet):
    from conftest import cli
    p = duet.port
    cli(p, "SADD", "s", "3", "1", "2")
    assert cli(p, "-3", "--no-raw", "SMEMBERS", "s").splitlines() == ['1~ "1"', '2~ "2"', '3~ "3"']
    assert cli(p, "-3", "--no-raw", "SMEMBERS", "missing") == "(empty set)\n"
    assert cli(p, "-3", "--no-raw", "SRANDMEMBER", "s", "-2").startswith("1) ")
