"""Faults on the AOF side: a BGREWRITEAOF child killed with SIGKILL, and a
disk that fills up under appendfsync everysec. In both, the failure shows
(aof_last_bgrewrite_status / aof_last_write_status err, MISCONF while the AOF
cannot be written), no temp file is left behind, and after a crash every
write the server acknowledged is loaded again."""
import os
import signal
import socket
import time

import redis

AOF_MISCONF = "MISCONF Errors writing to the AOF file: No space left on device"


def wait_for(predicate, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def rewrite_idle(r):
    info = r.info("persistence")
    return info["aof_rewrite_in_progress"] == 0 and info["aof_rewrite_scheduled"] == 0


def children_of(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def temp_files(path):
    found = []
    for root, _, files in os.walk(path):
        found += [f for f in files if f.startswith("temp-")]
    return found


def test_killed_rewrite_child_loses_nothing(start_duet):
    d = start_duet("--appendonly", "yes", "--appendfsync", "always", subdir="kill")
    r = redis.Redis(port=d.port, socket_timeout=30)
    r.mset({f"a{i}": i for i in range(50)})
    assert r.bgrewriteaof()
    wait_for(lambda: rewrite_idle(r), what="the first rewrite")
    assert r.info("persistence")["aof_last_bgrewrite_status"] == "ok"
    r.mset({f"b{i}": i for i in range(50)})

    r.config_set("rdb-key-save-delay", 100000)  # 0.1 s per key: a long rewrite
    assert r.bgrewriteaof()
    wait_for(lambda: children_of(d.proc.pid), timeout=5, what="the rewrite child")
    time.sleep(0.3)  # let it write part of the new base
    os.kill(children_of(d.proc.pid)[0], signal.SIGKILL)
    wait_for(lambda: rewrite_idle(r), what="the parent to notice")
    assert r.info("persistence")["aof_last_bgrewrite_status"] == "err"
    r.config_set("rdb-key-save-delay", 0)
    # Writes go on into the AOF (a failed rewrite does not stop them).
    r.mset({f"c{i}": i for i in range(10)})
    assert temp_files(d.dir) == []

    d.stop(signal.SIGKILL)  # a crash: nothing but what is on disk survives
    again = start_duet("--appendonly", "yes", subdir="kill")
    r2 = redis.Redis(port=again.port, socket_timeout=30)
    assert r2.dbsize() == 110
    assert r2.get("a7") == b"7" and r2.get("b49") == b"49" and r2.get("c9") == b"9"
    # And a later rewrite succeeds.
    assert r2.bgrewriteaof()
    wait_for(lambda: rewrite_idle(r2), what="the next rewrite")
    assert r2.info("persistence")["aof_last_bgrewrite_status"] == "ok"


def read_lines(sock, n):
    data = b""
    while data.count(b"\r\n") < n:
        chunk = sock.recv(4096)
        assert chunk, "connection closed"
        data += chunk
    return data.split(b"\r\n")[:n]


def test_disk_full_refuses_writes_then_recovers(start_duet, small_disk):
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (512 * 1024))  # room to give back later
    d = start_duet("--dir", str(small_disk), "--appendonly", "yes", "--appendfsync",
                   "everysec", "--save", "")
    r = redis.Redis(port=d.port, socket_timeout=30)
    # A transaction queued while the disk still had room: its EXEC comes
    # after the failure and is refused with the reason (Redis counts the
    # queued writes as EXEC's own).
    tx = socket.create_connection(("127.0.0.1", d.port), timeout=30)
    tx.sendall(b"MULTI\r\nSET queued 1\r\n")
    assert read_lines(tx, 2) == [b"+OK", b"+QUEUED"]
    value = os.urandom(64 * 1024)
    acknowledged = []
    refused = None
    for i in range(64):  # 4 MB at most: twice what the disk holds
        try:
            r.set(f"k{i}", value)
            acknowledged.append(f"k{i}")
        except redis.ResponseError as e:
            refused = str(e)
            break
        time.sleep(0.01)
    assert refused == AOF_MISCONF, refused
    assert r.info("persistence")["aof_last_write_status"] == "err"
    tx.sendall(b"EXEC\r\nDISCARD\r\n")
    assert read_lines(tx, 2) == [
        b"-EXECABORT Transaction discarded because of: " + AOF_MISCONF.encode(),
        b"-ERR DISCARD without MULTI"]
    tx.close()
    assert r.get(acknowledged[0]) == value  # reads still work

    filler.unlink()  # the operator frees space: the pending write is retried
    wait_for(lambda: r.info("persistence")["aof_last_write_status"] == "ok",
             what="the AOF write to be retried")
    assert r.set("after", "ok") is True
    time.sleep(1.5)  # everysec: let the fsync thread run

    d.stop(signal.SIGKILL)
    again = start_duet("--dir", str(small_disk), "--appendonly", "yes", "--save", "")
    r2 = redis.Redis(port=again.port, socket_timeout=30)
    for k in acknowledged:
        assert r2.get(k) == value, k
    assert r2.get("after") == b"ok"
    assert r2.get("queued") is None  # the refused EXEC ran nothing
    assert temp_files(str(small_disk)) == []
