"""Blocking commands against the real server: worker threads blocked in
BRPOP / BLMOVE receiving jobs another client pushes, timeouts, CLIENT
UNBLOCK, disconnects while blocked, FIFO order of waiters. Every wait is
bounded (timeouts on commands, sockets and joins)."""
import socket
import threading
import time

import pytest
import redis


def client(duet, **kw):
    return redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True,
                       socket_timeout=10, **kw)


def blocked_clients(r):
    return int(r.info("clients")["blocked_clients"])


def wait_until(cond, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return False


def resp(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def recv_until(sock, expected, timeout=5.0):
    sock.settimeout(timeout)
    buf = b""
    deadline = time.time() + timeout
    while len(buf) < len(expected) and time.time() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def test_job_queue_worker_in_brpop(duet, r):
    jobs = ["job%d" % i for i in range(50)]
    received = []

    def worker():
        w = client(duet)
        try:
            while len(received) < len(jobs):
                item = w.brpop("jobs", timeout=5)
                if item is None:
                    return  # bounded: the producer stopped
                received.append(item[1])
        finally:
            w.close()

    t = threading.Thread(target=worker)
    t.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    for job in jobs:
        r.lpush("jobs", job)
        if len(received) % 10 == 0:
            time.sleep(0.005)  # let the worker block again now and then
    t.join(15)
    assert not t.is_alive()
    assert received == jobs
    assert r.exists("jobs") == 0
    assert blocked_clients(r) == 0


def test_reliable_queue_worker_in_blmove(duet, r):
    done = []

    def worker():
        w = client(duet)
        try:
            for _ in range(3):
                job = w.blmove("pending", "processing", 5, "RIGHT", "LEFT")
                if job is None:
                    return
                done.append(job)
                w.lrem("processing", 1, job)  # acknowledge
        finally:
            w.close()

    t = threading.Thread(target=worker)
    t.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    r.lpush("pending", "a")
    assert wait_until(lambda: len(done) == 1)
    r.lpush("pending", "b", "c")
    t.join(15)
    assert not t.is_alive()
    assert done == ["a", "b", "c"]
    assert r.exists("pending", "processing") == 0


def test_fractional_timeouts(r):
    t0 = time.time()
    assert r.blpop("nothing", timeout=0.2) is None
    took = time.time() - t0
    assert 0.18 <= took < 2.0
    t0 = time.time()
    assert r.brpoplpush("nothing", "dst", timeout=0.05) is None
    assert r.blmpop(0.05, 1, "nothing", direction="LEFT") is None
    assert time.time() - t0 < 2.0
    assert r.exists("dst") == 0
    with pytest.raises(redis.ResponseError, match="timeout is negative"):
        r.blpop("nothing", timeout=-1)
    with pytest.raises(redis.ResponseError, match="timeout is not a float or out of range"):
        r.execute_command("BLPOP", "nothing", "soon")


def test_timeout_fires_without_other_traffic(duet):
    # The deadline timer wakes the server; nothing else is happening.
    s = socket.create_connection(("127.0.0.1", duet.port))
    try:
        t0 = time.time()
        s.sendall(resp("BLPOP", "k", "0.3"))
        assert recv_until(s, b"*-1\r\n") == b"*-1\r\n"
        assert 0.28 <= time.time() - t0 < 2.0
    finally:
        s.close()


def test_client_unblock(duet, r):
    w = client(duet)
    wid = w.client_id()
    result = {}

    def wait(kind):
        try:
            result[kind] = w.blpop("k", timeout=10)
        except redis.ResponseError as e:
            result[kind] = "error: %s" % e

    t = threading.Thread(target=wait, args=("timeout",))
    t.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    assert "flags=b" in r.execute_command("CLIENT", "LIST", "ID", wid)
    assert r.client_unblock(wid) is True
    t.join(5)
    assert result["timeout"] is None

    t = threading.Thread(target=wait, args=("error",))
    t.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    assert r.client_unblock(wid, error=True) is True
    t.join(5)
    assert result["error"] == "error: UNBLOCKED client unblocked via CLIENT UNBLOCK"
    assert r.client_unblock(wid) is False
    # The unblocked connection is usable again.
    assert w.ping() is True
    w.close()


def test_disconnect_while_blocked_leaves_nothing(duet, r):
    s = socket.create_connection(("127.0.0.1", duet.port))
    s.sendall(resp("BLPOP", "k", "0"))
    assert wait_until(lambda: blocked_clients(r) == 1)
    s.close()
    assert wait_until(lambda: blocked_clients(r) == 0)
    assert r.rpush("k", "a") == 1
    time.sleep(0.05)
    assert r.llen("k") == 1


def test_fifo_order_of_waiting_clients(duet, r):
    results = {}
    conns = [client(duet) for _ in range(3)]

    def wait(i):
        results[i] = conns[i].blpop("q", timeout=10)

    threads = []
    for i in range(3):
        t = threading.Thread(target=wait, args=(i,))
        t.start()
        threads.append(t)
        assert wait_until(lambda: blocked_clients(r) == i + 1)
    assert r.rpush("q", "first", "second", "third") == 3
    for t in threads:
        t.join(5)
        assert not t.is_alive()
    assert [results[i][1] for i in range(3)] == ["first", "second", "third"]
    for c in conns:
        c.close()


def test_requests_behind_a_blocked_one_wait(duet, r):
    s = socket.create_connection(("127.0.0.1", duet.port))
    try:
        s.sendall(resp("BLPOP", "k", "5") + resp("PING") + resp("LLEN", "k"))
        assert wait_until(lambda: blocked_clients(r) == 1)
        s.settimeout(0.1)
        with pytest.raises(socket.timeout):
            s.recv(100)  # nothing yet: PING waits behind BLPOP
        r.rpush("k", "a", "b")
        expected = b"*2\r\n$1\r\nk\r\n$1\r\na\r\n+PONG\r\n:1\r\n"
        assert recv_until(s, expected) == expected
    finally:
        s.close()


def test_blmove_chain_and_wrong_destination(duet, r):
    a, b = client(duet), client(duet)
    out = {}
    ta = threading.Thread(target=lambda: out.setdefault("a", a.blmove("src", "mid", 5)))
    ta.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    tb = threading.Thread(target=lambda: out.setdefault("b", b.blpop("mid", timeout=5)))
    tb.start()
    assert wait_until(lambda: blocked_clients(r) == 2)
    r.rpush("src", "x")
    ta.join(5)
    tb.join(5)
    assert out == {"a": "x", "b": ("mid", "x")}
    assert r.dbsize() == 0

    r.set("dst", "string")
    errors = []

    def move():
        try:
            a.blmove("src", "dst", 5)
        except redis.ResponseError as e:
            errors.append(str(e))

    t = threading.Thread(target=move)
    t.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    r.rpush("src", "y")
    t.join(5)
    assert errors and errors[0].startswith("WRONGTYPE")
    assert r.lrange("src", 0, -1) == ["y"]
    a.close()
    b.close()


def test_resp3_timeout_shape(duet):
    s = socket.create_connection(("127.0.0.1", duet.port))
    try:
        s.sendall(resp("HELLO", "3"))
        s.settimeout(5)
        assert s.recv(4096).startswith(b"%7")
        s.sendall(resp("BRPOP", "k", "0.05"))
        assert recv_until(s, b"_\r\n") == b"_\r\n"
    finally:
        s.close()


def test_bzpopmin_waiter_served_by_zadd(duet, r):
    try:
        r.zadd("probe", {"m": 1})
    except redis.ResponseError:
        pytest.skip("ZADD is not in this build yet")
    r.delete("probe")
    w = client(duet)
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("v", w.bzpopmin("z", timeout=5)))
    t.start()
    assert wait_until(lambda: blocked_clients(r) == 1)
    r.zadd("z", {"a": 1.5, "b": 2})
    t.join(5)
    assert out["v"] == ("z", "a", 1.5)
    assert r.zcard("z") == 1
    w.close()
