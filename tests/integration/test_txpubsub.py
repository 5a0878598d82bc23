"""Transactions, Pub/Sub and keyspace notifications as real clients use them:
redis-py pipelines (with and without MULTI), its WATCH retry loop under
concurrent writers, a subscriber thread with pattern subscriptions, expiry
events, and a subscriber that stops reading."""
import socket
import threading
import time

import pytest
import redis


def test_pipeline_without_transaction(r):
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"k{i}", i)
    pipe.get("k42")
    pipe.incr("k42")
    pipe.get("missing")
    res = pipe.execute()
    assert res[:100] == [True] * 100
    assert res[100:] == ["42", 43, None]


def test_pipeline_with_transaction(r):
    pipe = r.pipeline()  # transaction=True: MULTI ... EXEC
    pipe.set("a", "1").incr("a").set("s", "x").incr("s").get("a")
    res = pipe.execute(raise_on_error=False)
    assert res[:3] == [True, 2, True]
    assert isinstance(res[3], redis.ResponseError)  # runtime error, no rollback
    assert res[4] == "2"
    assert r.get("s") == "x"


def test_transaction_with_queueing_error_is_discarded(r):
    pipe = r.pipeline()
    pipe.set("a", "1")
    pipe.execute_command("SET", "a")  # wrong arity: refused while queueing
    with pytest.raises(redis.ResponseError) as e:
        pipe.execute()
    assert "EXECABORT" in str(e.value) or "wrong number of arguments" in str(e.value)
    assert r.get("a") is None


def test_watch_detects_a_concurrent_write(r, duet):
    other = redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True)
    with r.pipeline() as pipe:
        pipe.watch("balance")
        other.set("balance", 100)
        pipe.multi()
        pipe.set("balance", 1)
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert r.get("balance") == "100"
    other.close()


def test_optimistic_locking_under_concurrent_writers(duet):
    threads, per_thread = 4, 150
    retries = [0] * threads

    def worker(n):
        c = redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True,
                        socket_timeout=10)
        with c.pipeline() as pipe:
            done = 0
            while done < per_thread:
                try:
                    pipe.watch("counter")
                    value = int(pipe.get("counter") or 0)
                    pipe.multi()
                    pipe.set("counter", value + 1)
                    pipe.execute()
                    done += 1
                except redis.WatchError:
                    retries[n] += 1
        c.close()

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=120)
        assert not t.is_alive()
    c = redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True)
    # Every increment counted exactly once; some attempts had to retry.
    assert int(c.get("counter")) == threads * per_thread
    assert sum(retries) > 0
    c.close()


def test_transaction_helper(r):
    r.set("x", 5)

    def double(pipe):
        v = int(pipe.get("x"))
        pipe.multi()
        pipe.set("x", v * 2)

    assert r.transaction(double, "x") == [True]
    assert r.get("x") == "10"


def test_subscriber_thread_with_patterns(r, duet):
    sub = redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True)
    p = sub.pubsub()
    p.psubscribe("news.*")
    p.subscribe("alerts")
    got = []
    done = threading.Event()

    def reader():
        deadline = time.time() + 20
        while time.time() < deadline and len(got) < 5:
            m = p.get_message(timeout=0.5)
            if m and m["type"] in ("message", "pmessage"):
                got.append((m["type"], m["pattern"], m["channel"], m["data"]))
        done.set()

    t = threading.Thread(target=reader)
    t.start()
    # Wait until both subscriptions are registered.
    deadline = time.time() + 10
    while r.pubsub_numpat() < 1 or r.pubsub_numsub("alerts") != [("alerts", 1)]:
        assert time.time() < deadline
        time.sleep(0.01)
    assert r.publish("news.sport", "goal") == 1
    assert r.publish("news.tech", "chip") == 1
    assert r.publish("weather", "rain") == 0
    assert r.publish("alerts", "fire") == 1
    assert r.publish("news.alerts", "both") == 1
    assert r.publish("alerts", "again") == 1
    done.wait(20)
    t.join(5)
    assert got == [
        ("pmessage", "news.*", "news.sport", "goal"),
        ("pmessage", "news.*", "news.tech", "chip"),
        ("message", None, "alerts", "fire"),
        ("pmessage", "news.*", "news.alerts", "both"),
        ("message", None, "alerts", "again"),
    ]
    assert r.pubsub_channels() == ["alerts"]
    p.close()
    sub.close()
    deadline = time.time() + 10
    while r.pubsub_numpat() != 0:
        assert time.time() < deadline
        time.sleep(0.01)


def test_keyspace_expiry_events(r):
    assert r.config_set("notify-keyspace-events", "Ex")
    assert r.config_get("notify-keyspace-events") == {"notify-keyspace-events": "xE"}
    p = r.pubsub()
    p.subscribe("__keyevent@0__:expired")
    assert p.get_message(timeout=5)["type"] == "subscribe"
    r.set("session:1", "data", px=100)
    r.set("session:2", "data", px=150)
    r.set("forever", "data")
    expired = set()
    deadline = time.time() + 10
    # Nobody reads the keys: the active expiry cycle must find them.
    while len(expired) < 2 and time.time() < deadline:
        m = p.get_message(timeout=0.5)
        if m and m["type"] == "message":
            assert m["channel"] == "__keyevent@0__:expired"
            expired.add(m["data"])
    assert expired == {"session:1", "session:2"}
    assert r.exists("forever") == 1
    p.close()


def test_keyspace_channel_events(r):
    r.config_set("notify-keyspace-events", "KA")
    p = r.pubsub()
    p.psubscribe("__keyspace@0__:user:*")
    p.get_message(timeout=5)
    r.set("user:1", "a")
    r.expire("user:1", 100)
    r.rename("user:1", "user:2")
    r.delete("user:2")
    events = []
    deadline = time.time() + 10
    while len(events) < 5 and time.time() < deadline:
        m = p.get_message(timeout=0.5)
        if m and m["type"] == "pmessage":
            events.append((m["channel"], m["data"]))
    assert events == [
        ("__keyspace@0__:user:1", "set"),
        ("__keyspace@0__:user:1", "expire"),
        ("__keyspace@0__:user:1", "rename_from"),
        ("__keyspace@0__:user:2", "rename_to"),
        ("__keyspace@0__:user:2", "del"),
    ]
    p.close()


def read_until(sock, want, timeout=10):
    sock.settimeout(timeout)
    data = b""
    while want not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_resp3_push_frames_and_commands_while_subscribed(duet):
    with socket.create_connection(("127.0.0.1", duet.port)) as s:
        s.sendall(b"HELLO 3\r\nSUBSCRIBE ch\r\nGET nope\r\n")
        data = read_until(s, b"_\r\n")
        assert b">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n_\r\n" in data
        pub = redis.Redis(host="127.0.0.1", port=duet.port)
        assert pub.publish("ch", "hello") == 1
        assert read_until(s, b"hello\r\n").endswith(b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n")
        pub.close()


def test_resp2_subscriber_context(duet):
    with socket.create_connection(("127.0.0.1", duet.port)) as s:
        s.sendall(b"SUBSCRIBE ch\r\nGET x\r\nPING\r\n")
        data = read_until(s, b"pong\r\n$0\r\n\r\n")
        assert data == (b"*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
                        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                        b"PING / QUIT / RESET are allowed in this context\r\n"
                        b"*2\r\n$4\r\npong\r\n$0\r\n\r\n")
        s.sendall(b"RESET\r\nGET x\r\n")
        assert read_until(s, b"$-1\r\n") == b"+RESET\r\n$-1\r\n"


def test_slow_subscriber_is_disconnected(r, duet):
    r.config_set("client-output-buffer-limit", "pubsub 1mb 256kb 1")
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", duet.port))
    s.sendall(b"SUBSCRIBE ch\r\n")
    read_until(s, b":1\r\n")
    msg = "x" * 10000
    # The subscriber never reads. The server must drop it rather than buffer
    # 20 MB for it.
    dropped_after = None
    for i in range(2000):
        if r.publish("ch", msg) == 0:
            dropped_after = i
            break
    assert dropped_after is not None
    assert dropped_after * len(msg) < 8 * 1024 * 1024
    assert "scheduled to be closed ASAP for overcoming of output buffer limits" in duet.read_log()
    assert r.pubsub_numsub("ch") == [("ch", 0)]
    s.close()


def test_multi_exec_with_redis_cli(duet):
    from conftest import cli
    out = cli(duet.port, input_text="MULTI\nSET a 1\nINCR a\nEXEC\n")
    assert out.split("\n")[:5] == ["OK", "QUEUED", "QUEUED", "OK", "2"]
