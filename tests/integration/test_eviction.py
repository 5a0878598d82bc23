"""An LRU cache run to several times its memory limit, driven by redis-py the
way a web application's cache is: the limit holds, the server keeps
answering, and the keys most of the reads go to stay cached."""
import os
import random
import time

import pytest
import redis

MB = 1024 * 1024

# Eviction measures memory with the allocator's accounting and RSS; the
# sanitizer build (tests/hardened.sh) swaps the allocator for ASan's, whose
# redzones and quarantine make those numbers meaningless.
pytestmark = pytest.mark.skipif(os.environ.get("DUET_SANITIZED") == "1",
                                reason="memory accounting differs under AddressSanitizer")


def connect(port):
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=30)


def info(r, section):
    return r.info(section)


def test_lru_cache_keeps_limit_rss_and_hot_set(start_duet):
    maxmemory = 20 * MB
    d = start_duet("--maxmemory", "20mb", "--maxmemory-policy", "allkeys-lru")
    r = connect(d.port)
    empty_rss = info(r, "memory")["used_memory_rss"]

    value = b"x" * 960          # entry + key + value fit one 1 KB allocation
    capacity = maxmemory // 1024
    total = 4 * capacity        # keys written: four times what fits
    hot = list(range(0, total, 10))  # 10 % of the keys...
    reads_per_write = 5          # ...get 90 % of the reads
    rng = random.Random(7)

    deadline = time.time() + 120
    max_used = 0
    written = 0
    batch = 200
    while written < total:
        assert time.time() < deadline, "fill took too long"
        p = r.pipeline(transaction=False)
        for _ in range(batch):
            p.set(b"key:%d" % written, value)
            written += 1
            for _ in range(reads_per_write):
                if rng.random() < 0.9:
                    # Only hot keys written so far can be read.
                    k = hot[rng.randrange(0, (written + 9) // 10)]
                else:
                    k = rng.randrange(0, written)
                p.get(b"key:%d" % k)
        p.execute()
        if (written // batch) % 20 == 0:
            max_used = max(max_used, info(r, "memory")["used_memory"])

    time.sleep(0.3)  # one cron turn finishes any eviction a write started
    mem = info(r, "memory")
    stats = info(r, "stats")
    assert mem["maxmemory"] == maxmemory
    assert mem["maxmemory_policy"] == "allkeys-lru"
    assert mem["used_memory"] <= maxmemory
    # During the fill: within the limit plus the buffers of one pipeline.
    assert max_used <= maxmemory + 2 * MB, max_used
    assert mem["used_memory_rss"] <= 1.2 * maxmemory + empty_rss, (mem["used_memory_rss"], empty_rss)
    assert stats["evicted_keys"] > total - capacity
    assert r.ping() is True
    kept = r.dbsize()
    assert 0.5 * capacity < kept <= capacity

    p = r.pipeline(transaction=False)
    for k in hot:
        p.exists(b"key:%d" % k)
    present = sum(p.execute())
    assert present >= 0.9 * len(hot), (present, len(hot))
    print("kept %d keys, hot %d/%d, used %d, max used %d, rss %d (empty %d), evicted %d" % (
        kept, present, len(hot), mem["used_memory"], max_used, mem["used_memory_rss"], empty_rss,
        stats["evicted_keys"]))


def test_noeviction_refuses_writes_with_oom_and_keeps_reads(start_duet):
    d = start_duet("--maxmemory", "4mb", "--maxmemory-policy", "noeviction")
    r = connect(d.port)
    value = b"y" * 1000
    with pytest.raises(redis.exceptions.ResponseError) as err:
        for i in range(20000):
            r.set(b"k:%d" % i, value)
    assert str(err.value) == "OOM command not allowed when used memory > 'maxmemory'."
    assert r.get(b"k:0") == value
    assert r.delete(b"k:0", b"k:1", b"k:2") == 3
    assert r.info("stats")["evicted_keys"] == 0


def test_config_set_maxmemory_evicts_at_once(start_duet):
    d = start_duet()
    r = connect(d.port)
    p = r.pipeline(transaction=False)
    for i in range(20000):
        p.set(b"k:%d" % i, b"z" * 500)
    p.execute()
    assert r.config_set("maxmemory-policy", "allkeys-random")
    used = r.info("memory")["used_memory"]
    assert r.config_set("maxmemory", str(used - 4 * MB))
    # Evictions start at once and the background task finishes them.
    deadline = time.time() + 5
    while r.info("memory")["used_memory"] > used - 4 * MB:
        assert time.time() < deadline
        time.sleep(0.05)
    assert r.dbsize() < 20000
    assert r.info("stats")["evicted_keys"] == 20000 - r.dbsize()


def test_object_idletime_and_freq(start_duet):
    d = start_duet()
    r = connect(d.port)
    r.set("k", "v")
    time.sleep(1.1)
    assert r.object("idletime", "k") >= 1
    r.get("k")
    assert r.object("idletime", "k") == 0
    with pytest.raises(redis.exceptions.ResponseError):
        r.object("freq", "k")
    r.config_set("maxmemory-policy", "allkeys-lfu")
    r.set("f", "v")
    assert r.object("freq", "f") == 5
    assert r.memory_usage("f") > 0


def test_evicted_keys_publish_keyspace_events(start_duet):
    import redis as redis_mod
    d = start_duet("--maxmemory", "4mb", "--maxmemory-policy", "allkeys-random",
                   "--notify-keyspace-events", "Ee")
    c = redis_mod.Redis(port=d.port)
    sub = redis_mod.Redis(port=d.port).pubsub()
    sub.subscribe("__keyevent@0__:evicted")
    assert sub.get_message(timeout=5)["type"] == "subscribe"
    value = b"x" * 1000
    for i in range(20000):  # far more than 4 MB: evictions must happen
        c.set(f"k{i}", value)
    msg = sub.get_message(timeout=5)
    assert msg is not None and msg["type"] == "message"
    assert msg["data"].startswith(b"k")
    assert int(c.info("stats")["evicted_keys"]) > 0
    sub.close()
