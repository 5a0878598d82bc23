"""Sorted sets the way web applications use them through redis-py: a game
leaderboard, weekly totals merged with weights, a sliding-window rate limiter
and a delayed-job queue."""
import redis

from conftest import cli


def test_leaderboard(r):
    scores = {"alice": 1200, "bob": 950, "carol": 1430, "dave": 950, "erin": 300}
    assert r.zadd("lb", scores) == 5
    # Points won in matches.
    assert r.zincrby("lb", 75, "bob") == 1025.0
    assert r.zincrby("lb", 0.5, "erin") == 300.5
    assert r.zincrby("lb", 100, "frank") == 100.0  # a newcomer

    top3 = r.zrevrange("lb", 0, 2, withscores=True)
    assert top3 == [("carol", 1430.0), ("alice", 1200.0), ("bob", 1025.0)]
    # Rank 0 is the best player.
    assert r.zrevrank("lb", "carol") == 0
    assert r.zrevrank("lb", "frank") == 5
    assert r.zrank("lb", "frank") == 0
    assert r.zrank("lb", "nobody") is None
    assert r.zscore("lb", "erin") == 300.5
    assert r.zscore("lb", "nobody") is None
    assert r.zcard("lb") == 6
    assert r.zcount("lb", 1000, "+inf") == 3
    # Players around dave (a page of the table).
    rank = r.zrevrank("lb", "dave")
    around = r.zrevrange("lb", max(rank - 1, 0), rank + 1)
    assert around == ["bob", "dave", "erin"]
    # Only raise a high score, never lower it.
    assert r.zadd("lb", {"alice": 1100}, gt=True, ch=True) == 0
    assert r.zadd("lb", {"alice": 1500}, gt=True, ch=True) == 1
    assert r.zrevrange("lb", 0, 0, withscores=True) == [("alice", 1500.0)]
    # A score per player, in one round trip.
    assert r.zmscore("lb", ["alice", "nobody", "erin"]) == [1500.0, None, 300.5]
    # Score bands with paging.
    assert r.zrevrangebyscore("lb", "+inf", 1000, start=0, num=2, withscores=True) == [
        ("alice", 1500.0), ("carol", 1430.0)]
    assert r.zrangebyscore("lb", "(300.5", 1000) == ["dave"]
    # Banned players leave the board.
    assert r.zrem("lb", "erin", "nobody") == 1
    assert r.zremrangebyrank("lb", 0, 0) == 1  # the lowest score (frank)
    assert r.zrange("lb", 0, -1) == ["dave", "bob", "carol", "alice"]


def test_weekly_totals_with_weights(r):
    r.zadd("week:1", {"alice": 10, "bob": 20, "carol": 5})
    r.zadd("week:2", {"alice": 30, "carol": 15, "dave": 1})
    # Last week counts double.
    assert r.zunionstore("total", {"week:1": 1, "week:2": 2}) == 4
    assert r.zrevrange("total", 0, -1, withscores=True) == [
        ("alice", 70.0), ("carol", 35.0), ("bob", 20.0), ("dave", 2.0)]
    # Best weekly result per player.
    assert r.zunionstore("best", ["week:1", "week:2"], aggregate="MAX") == 4
    assert r.zscore("best", "alice") == 30.0
    # Players active both weeks.
    assert r.zinterstore("both", ["week:1", "week:2"]) == 2
    assert r.zrange("both", 0, -1, withscores=True) == [("carol", 20.0), ("alice", 40.0)]
    assert r.zunion(["week:1", "week:2"], withscores=True)[-1] == ("alice", 40.0)
    assert r.zinter(["week:1", "week:2"]) == ["carol", "alice"]
    # redis-py 4.3 leaves ZDIFF WITHSCORES unparsed: the flat RESP2 list.
    assert r.zdiff(["week:1", "week:2"], withscores=True) == ["bob", "20"]
    assert r.zintercard(2, ["week:1", "week:2"]) == 2
    # An empty result removes the destination key.
    assert r.zinterstore("both", ["week:1", "missing"]) == 0
    assert r.exists("both") == 0


def test_sliding_window_rate_limiter(r):
    # Each request is a member scored by its timestamp (ms); the window is 1000 ms.
    def allow(user, now_ms, limit=3):
        key = "rl:" + user
        pipe = r.pipeline(transaction=False)
        pipe.zremrangebyscore(key, 0, now_ms - 1000)
        pipe.zcard(key)
        _, count = pipe.execute()
        if count >= limit:
            return False
        r.zadd(key, {f"req-{now_ms}": now_ms})
        r.pexpire(key, 1000)
        return True

    assert [allow("u", t) for t in (0, 100, 200, 300, 900)] == [True, True, True, False, False]
    assert allow("u", 1050) is True  # the request at 0 has left the window
    assert allow("u", 1060) is False
    assert r.zrange("rl:u", 0, -1) == ["req-100", "req-200", "req-1050"]


def test_delayed_job_queue(r):
    r.zadd("jobs", {"send-mail": 30, "resize": 10, "cleanup": 20, "report": 40})
    # Workers take what is due, oldest first.
    due = r.zrangebyscore("jobs", "-inf", 25)
    assert due == ["resize", "cleanup"]
    assert r.zpopmin("jobs") == [("resize", 10.0)]
    assert r.zpopmin("jobs", 2) == [("cleanup", 20.0), ("send-mail", 30.0)]
    assert r.zpopmax("jobs") == [("report", 40.0)]
    assert r.exists("jobs") == 0
    assert r.zpopmin("jobs") == []
    # ZMPOP over several queues, first non-empty wins.
    r.zadd("q:low", {"a": 1, "b": 2})
    assert r.execute_command("ZMPOP", 2, "q:high", "q:low", "MIN", "COUNT", 5) == [
        "q:low", [["a", "1"], ["b", "2"]]]
    assert r.execute_command("ZMPOP", 2, "q:high", "q:low", "MIN") is None


def test_scan_range_store_and_errors(r):
    members = {f"user:{i}": i for i in range(500)}
    r.zadd("big", members)
    assert r.object("encoding", "big") == "skiplist"
    seen = dict(r.zscan_iter("big", count=50))
    assert seen == {k: float(v) for k, v in members.items()}
    assert sorted(m for m, _ in r.zscan_iter("big", match="user:4?")) == [
        f"user:4{i}" for i in range(10)]
    assert r.zrangestore("top10", "big", 0, 9, desc=True) == 10
    assert r.zrange("top10", 0, 0) == ["user:490"]
    assert r.zlexcount("big", "-", "+") == 500
    r.zadd("names", {"ann": 0, "bea": 0, "cid": 0, "dan": 0})
    assert r.zrangebylex("names", "[b", "(d") == ["bea", "cid"]
    assert r.zrevrangebylex("names", "+", "-", start=0, num=1) == ["dan"]
    assert r.zremrangebylex("names", "-", "[bea") == 2
    picked = r.zrandmember("big", 5, withscores=True)
    assert len(picked) == 10
    r.set("str", "x")
    try:
        r.zadd("str", {"a": 1})
        assert False, "expected WRONGTYPE"
    except redis.ResponseError as e:
        assert str(e).startswith("WRONGTYPE")
    try:
        r.zadd("lb", {"a": 1}, nx=True, xx=True)
    except redis.DataError:
        pass  # redis-py refuses this itself
    try:
        r.execute_command("ZADD", "lb", "NX", "XX", 1, "a")
        assert False
    except redis.ResponseError as e:
        assert "XX and NX options at the same time are not compatible" in str(e)
    try:
        r.zincrby("lb", float("inf"), "m")
        r.zincrby("lb", float("-inf"), "m")
        assert False
    except redis.ResponseError as e:
        assert str(e) == "resulting score is not a number (NaN)"


def test_redis_cli_resp3_shapes(duet):
    p = duet.port
    cli(p, "ZADD", "z", "1", "a", "2.5", "b")
    out = cli(p, "--no-raw", "-3", "ZRANGE", "z", "0", "-1", "WITHSCORES")
    assert out.split("\n")[:4] == ["1) 1) \"a\"", "   2) (double) 1", "2) 1) \"b\"",
                                   "   2) (double) 2.5"]
    assert cli(p, "--no-raw", "-3", "ZSCORE", "z", "b").strip() == "(double) 2.5"
