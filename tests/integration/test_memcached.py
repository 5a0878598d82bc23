"""The memcached listener through real memcached clients: python-memcached the
way a Python user drives it, pymemcache with noreply and a serializer, a raw
telnet-like session, libmemcached's memccapable (text and binary) and
memcp/memcat in binary mode, next to redis-py on the RESP port of the same
server."""
import pickle
import shutil
import socket
import subprocess
import time
import zlib

import memcache
import pytest
import redis
from pymemcache import serde
from pymemcache.client.base import Client as PyMemcacheClient

from conftest import ServerExitedEarly, free_port


class Both:
    """A server with both listeners, and a RESP client on it."""

    def __init__(self, start_duet, *args):
        for attempt in range(3):
            self.mc_port = free_port()
            try:
                self.duet = start_duet("--memcached-port", str(self.mc_port), *args)
                break
            except ServerExitedEarly as e:
                if not e.port_was_taken() or attempt == 2:
                    raise
        self.r = redis.Redis(port=self.duet.port, socket_timeout=10)

    def mc(self, **kwargs):
        return memcache.Client(["127.0.0.1:%d" % self.mc_port], **kwargs)


@pytest.fixture
def both(start_duet):
    b = Both(start_duet)
    yield b
    b.r.close()


def wait_port(port, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False


# --- python-memcached, as a Python user writes it ---------------------------


def test_python_memcached_values_of_every_kind(both):
    mc = both.mc()
    assert mc.set("greeting", "hello")
    assert mc.get("greeting") == "hello"
    assert mc.set("answer", 42)
    assert mc.get("answer") == 42
    assert isinstance(mc.get("answer"), int)
    profile = {"name": "ada", "langs": ["c", "python"], "age": 36}
    assert mc.set("profile", profile)
    assert mc.get("profile") == profile
    assert mc.set("items", [1, "two", 3.0])
    assert mc.get("items") == [1, "two", 3.0]
    assert mc.get("nothing") is None
    # Over RESP the item is the bytes python-memcached stored.
    assert both.r.get("greeting") == b"hello"
    assert both.r.get("answer") == b"42"
    assert pickle.loads(both.r.get("profile")) == profile


def test_python_memcached_compresses_large_values(both):
    mc = both.mc()
    text = "memcached and redis share a keyspace. " * 6000
    assert mc.set("big", text, min_compress_len=1000)
    assert mc.get("big") == text
    stored = both.r.get("big")
    assert len(stored) < len(text) // 10
    assert zlib.decompress(stored).decode() == text
    # Above the item limit python-memcached refuses client-side; a raw
    # oversized set is refused by the server.
    assert not mc.set("huge", "x" * (2 * 1024 * 1024))


def test_python_memcached_add_replace_append_prepend(both):
    mc = both.mc()
    assert mc.add("k", "mid")
    assert not mc.add("k", "other")
    assert mc.append("k", ">")
    assert mc.prepend("k", "<")
    assert mc.get("k") == "<mid>"
    assert mc.replace("k", "new")
    assert mc.get("k") == "new"
    assert not mc.replace("missing", "x")
    assert not mc.append("missing", "x")


def test_python_memcached_incr_decr(both):
    mc = both.mc()
    assert mc.set("counter", 10)
    assert mc.incr("counter") == 11
    assert mc.incr("counter", 5) == 16
    assert mc.decr("counter", 6) == 10
    assert mc.decr("counter", 100) == 0
    assert mc.incr("missing") is None
    assert both.r.incr("counter") == 1  # the same key over RESP
    assert mc.get("counter") == 1
    assert mc.set("max", 18446744073709551615)
    assert mc.incr("max", 2) == 1


def test_python_memcached_gets_and_cas(both):
    mc = both.mc(cache_cas=True)
    other = both.mc()
    assert mc.set("doc", "v1")
    assert mc.gets("doc") == "v1"
    assert mc.cas("doc", "v2")
    assert mc.get("doc") == "v2"
    assert mc.gets("doc") == "v2"
    assert other.set("doc", "changed elsewhere")
    assert not mc.cas("doc", "v3")
    assert mc.get("doc") == "changed elsewhere"
    # A RESP write also invalidates a CAS unique.
    assert mc.gets("doc") == "changed elsewhere"
    both.r.append("doc", "!")
    assert not mc.cas("doc", "lost")


def test_python_memcached_multi_with_prefix(both):
    mc = both.mc()
    assert mc.set_multi({"a": 1, "b": "two", "c": [3]}, key_prefix="user:") == []
    assert mc.get_multi(["a", "b", "c", "d"], key_prefix="user:") == {"a": 1, "b": "two", "c": [3]}
    assert both.r.get("user:b") == b"two"
    assert mc.delete_multi(["a", "b"], key_prefix="user:")
    assert mc.get_multi(["a", "b", "c"], key_prefix="user:") == {"c": [3]}


def test_python_memcached_expiry_touch_and_delete(both):
    mc = both.mc()
    assert mc.set("session", "data", time=100)
    assert 98 <= both.r.ttl("session") <= 100
    assert mc.touch("session", 500)
    assert 498 <= both.r.ttl("session") <= 500
    assert mc.set("short", "x", time=1)
    time.sleep(1.2)
    assert mc.get("short") is None
    assert mc.delete("session")
    assert mc.get("session") is None


def test_python_memcached_flush_all_and_stats(both):
    mc = both.mc()
    for i in range(10):
        mc.set("k%d" % i, i)
    mc.get("k1")
    mc.get("nope")
    stats = mc.get_stats()
    assert len(stats) == 1
    name, s = stats[0]
    assert name.startswith("127.0.0.1:%d" % both.mc_port)
    for field in ("pid", "uptime", "time", "version", "curr_connections", "total_connections",
                  "cmd_get", "cmd_set", "get_hits", "get_misses", "curr_items", "total_items",
                  "bytes", "evictions", "limit_maxbytes", "threads"):
        assert field in s, field
    assert s["curr_items"] == "10"
    assert s["get_hits"] == "1"
    assert s["get_misses"] == "1"
    assert s["version"] == "1.6.18"
    assert mc.get_stats("settings")[0][1]["item_size_max"] == "1048576"
    mc.flush_all()
    assert mc.get("k1") is None
    assert both.r.dbsize() == 0


# --- pymemcache with noreply and a serializer -------------------------------


def test_pymemcache_noreply_and_serde(both):
    c = PyMemcacheClient(("127.0.0.1", both.mc_port), serde=serde.pickle_serde,
                         default_noreply=True, timeout=5)
    assert c.set("obj", {"x": [1, 2, 3]}) is True  # noreply: no answer awaited
    assert c.get("obj") == {"x": [1, 2, 3]}
    assert c.set_many({"a": "alpha", "n": 5}) == []
    assert c.get_many(["a", "n", "zz"]) == {"a": "alpha", "n": 5}
    assert c.incr("n", 2, noreply=True) is None
    assert c.get("n") == 7
    assert c.incr("n", 3, noreply=False) == 10
    assert c.add("a", "again") is True  # noreply hides NOT_STORED
    assert c.add("a", "again", noreply=False) is False
    assert c.get("a") == "alpha"
    value, cas = c.gets("a")
    assert value == "alpha"
    assert c.cas("a", "beta", cas, noreply=False) is True
    assert c.cas("a", "gamma", cas, noreply=False) is False
    assert c.delete("a") is True
    assert c.get("a") is None
    assert c.touch("n", 60, noreply=False) is True
    assert 58 <= both.r.ttl("n") <= 60
    assert c.version() == b"1.6.18"
    assert int(c.stats()[b"curr_items"]) == 2
    c.flush_all(noreply=False)
    assert c.get("n") is None
    c.close()


# --- a telnet-like session ----------------------------------------------------


def test_raw_session_like_telnet(both):
    s = socket.create_connection(("127.0.0.1", both.mc_port), timeout=5)
    f = s.makefile("rb")

    def send(line):
        s.sendall(line.encode() + b"\r\n")
        time.sleep(0.02)

    send("set greeting 0 0 5")
    send("hello")
    assert f.readline() == b"STORED\r\n"
    send("get greeting")
    assert f.readline() == b"VALUE greeting 0 5\r\n"
    assert f.readline() == b"hello\r\n"
    assert f.readline() == b"END\r\n"
    send("append greeting 0 0 6")
    send(" world")
    assert f.readline() == b"STORED\r\n"
    send("incr greeting 1")
    assert f.readline() == b"CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"
    send("hello there")
    assert f.readline() == b"ERROR\r\n"
    send("set k 0 0 3")
    send("abcde")  # the block is 3 bytes + 2: "abcde"; the CRLF after it is an empty line
    assert f.readline() == b"CLIENT_ERROR bad data chunk\r\n"
    assert f.readline() == b"ERROR\r\n"
    send("delete greeting")
    assert f.readline() == b"DELETED\r\n"
    send("version")
    assert f.readline() == b"VERSION 1.6.18\r\n"
    send("quit")
    assert f.readline() == b""
    s.close()


def test_both_ports_serve_the_same_keys(both):
    mc = both.mc()
    both.r.set("from-resp", "1")
    assert mc.get("from-resp") == b"1"  # flags 0: python-memcached returns the bytes
    try:
        both.r.hset("h", "f", "v")
    except redis.ResponseError:
        pytest.skip("no hash commands in this build")
    assert mc.get("h") is None  # not a string: a miss
    assert not mc.add("h", "x")  # but the name is taken
    assert mc.set("h", "now a string")
    assert both.r.type("h") == b"string"
    info = both.r.info("keyspace")
    assert info["db0"]["keys"] == 2


def test_memcached_db_setting(start_duet):
    b = Both(start_duet, "--memcached-db", "5")
    mc = b.mc()
    assert mc.set("k", "v")
    assert b.r.get("k") is None
    b.r.select(5) if hasattr(b.r, "select") else None
    r5 = redis.Redis(port=b.duet.port, db=5)
    assert r5.get("k") == b"v"


def test_config_set_memcached_port_at_runtime(duet):
    r = redis.Redis(port=duet.port)
    assert r.config_get("memcached-port") == {"memcached-port": "0"}
    port = free_port()
    assert r.config_set("memcached-port", port) is True
    assert wait_port(port)
    mc = memcache.Client(["127.0.0.1:%d" % port])
    assert mc.set("k", "v")
    assert r.config_set("memcached-port", 0) is True
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_maxconns(start_duet):
    b = Both(start_duet, "--memcached-maxconns", "2")
    a = socket.create_connection(("127.0.0.1", b.mc_port))
    c = socket.create_connection(("127.0.0.1", b.mc_port))
    time.sleep(0.1)
    d = socket.create_connection(("127.0.0.1", b.mc_port), timeout=5)
    assert d.recv(100) == b"ERROR Too many open connections\r\n"
    for s in (a, c, d):
        s.close()


def test_bad_memcached_db_refused_at_start(tmp_path):
    from conftest import SERVER
    out = subprocess.run([SERVER, "--port", str(free_port()), "--memcached-port",
                          str(free_port()), "--memcached-db", "16"],
                         capture_output=True, text=True, timeout=10, cwd=tmp_path)
    assert out.returncode == 1
    assert "memcached-db 16 is out of range" in out.stdout + out.stderr


# --- libmemcached tools ---------------------------------------------------------


@pytest.mark.skipif(shutil.which("memccapable") is None, reason="libmemcached-tools missing")
@pytest.mark.parametrize("mode", ["-a", "-b"])
def test_memccapable(both, mode):
    out = subprocess.run(["memccapable", "-h", "127.0.0.1", "-p", str(both.mc_port), mode],
                         capture_output=True, text=True, timeout=120)
    text = out.stdout + out.stderr
    assert "All tests passed" in text, text
    assert "[FAIL]" not in text
    assert text.count("[pass]") == (27 if mode == "-a" else 27)


@pytest.mark.skipif(shutil.which("memccp") is None, reason="libmemcached-tools missing")
def test_memccp_memccat_binary_protocol(both, tmp_path):
    src = tmp_path / "payload.txt"
    src.write_bytes(b"binary protocol round trip\n" * 100)
    servers = "--servers=127.0.0.1:%d" % both.mc_port
    subprocess.run(["memccp", servers, "--binary", str(src)], check=True, timeout=30)
    out = subprocess.run(["memccat", servers, "--binary", "payload.txt"], capture_output=True,
                         check=True, timeout=30)
    assert out.stdout == src.read_bytes() + b"\n"  # memccat ends each value with a newline
    assert both.r.get("payload.txt") == src.read_bytes()


def non_loopback_address():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: picks the outgoing address
            addr = s.getsockname()[0]
        return None if addr.startswith("127.") else addr
    except OSError:
        return None


@pytest.mark.skipif(non_loopback_address() is None, reason="no non-loopback address")
def test_protected_mode_applies_to_the_memcached_port(start_duet):
    addr = non_loopback_address()
    b = Both(start_duet, "--memcached-bind", "0.0.0.0")
    s = socket.create_connection((addr, b.mc_port), timeout=5)
    reply = s.recv(1000)
    assert reply.startswith(b"SERVER_ERROR Duet is running in protected mode")
    assert s.recv(100) == b""
    s.close()
    local = b.mc()
    assert local.set("k", "v")  # loopback clients are served
    o = Both(start_duet, "--memcached-bind", "0.0.0.0", "--protected-mode", "no")
    s = socket.create_connection((addr, o.mc_port), timeout=5)
    s.sendall(b"version\r\n")
    assert s.recv(100) == b"VERSION 1.6.18\r\n"
    s.close()


def test_password_with_public_memcached_bind_is_refused_at_start(tmp_path):
    from conftest import SERVER
    args = [SERVER, "--port", str(free_port()), "--memcached-port", str(free_port()),
            "--memcached-bind", "0.0.0.0", "--requirepass", "secret"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=10, cwd=tmp_path)
    assert out.returncode == 1
    assert "memcached-unauthenticated yes" in out.stdout + out.stderr
