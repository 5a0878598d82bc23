"""Hostile input over the wire, against the running binary: malformed RESP,
huge counts, endless lines, slow and silent clients, idle and half-closed
sockets, and the memcached port's own list.

Each case runs on a fresh connection. After each one another client must
still get PONG (the event loop is alive) and the server's RSS must come back
near where it was. Where the real redis-server 7.0 / memcached 1.6 is
installed, the same bytes go to it too and the replies (and whether the
connection was closed) must be equal; otherwise the expected bytes written
here, which were taken from those servers, are checked."""
import os
import resource
import shutil
import socket
import subprocess
import time

import pytest
import redis

from conftest import DuetProcess, free_port

# ASan's quarantine keeps freed memory resident: sanitizer runs allow more.
RSS_SLACK = int(os.environ.get("DUET_RSS_SLACK_MB", "48")) * 1024 * 1024


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def exchange(port, data, quiet=0.25, limit=5.0, chunks=None):
    """Sends `data` on a fresh connection; returns (reply bytes, closed by
    the server). Reading stops after `quiet` seconds without bytes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    out = b""
    closed = False
    try:
        for piece in chunks or [data]:
            try:
                s.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        s.settimeout(quiet)
        deadline = time.time() + limit
        while time.time() < deadline:
            try:
                got = s.recv(1 << 20)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not got:
                closed = True
                break
            out += got
    finally:
        s.close()
    return out, closed


def start_real_redis(tmp_path):
    if shutil.which("redis-server") is None:
        return None, None
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.02)
    proc.kill()
    return None, None


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    duet = DuetProcess(tmp_path_factory.mktemp("duet"))
    proc, real_port = start_real_redis(tmp_path_factory.mktemp("redis"))
    yield duet, real_port
    duet.stop()
    if proc is not None:
        proc.terminate()
        proc.wait(10)


class Watch:
    """Liveness and memory check around one hostile case."""

    def __init__(self, duet):
        self.duet = duet
        self.client = redis.Redis(port=duet.port, socket_timeout=10)
        self.base = rss(duet.proc.pid)

    def check(self, what):
        assert self.duet.proc.poll() is None, f"server died after {what}"
        assert self.client.ping() is True, what
        deadline = time.time() + 5
        while rss(self.duet.proc.pid) > self.base + RSS_SLACK and time.time() < deadline:
            time.sleep(0.1)  # jemalloc gives dirty pages back within a second
        assert rss(self.duet.proc.pid) <= self.base + RSS_SLACK, (what, self.base)


# (name, bytes, expected reply, closed). The expected bytes are Redis 7.0.15's.
RESP_CASES = [
    ("negative count is an empty request", b"*-5\r\nPING\r\n", b"+PONG\r\n", False),
    ("count not a number", b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n",
     True),
    ("count too large", b"*99999999999\r\n",
     b"-ERR Protocol error: invalid multibulk length\r\n", True),
    ("bulk length over 2^31", b"*1\r\n$2147483648\r\n",
     b"-ERR Protocol error: invalid bulk length\r\n", True),
    ("bulk length past proto-max-bulk-len", b"*2\r\n$4\r\nECHO\r\n$536870913\r\n",
     b"-ERR Protocol error: invalid bulk length\r\n", True),
    ("negative bulk length", b"*1\r\n$-1\r\n", b"-ERR Protocol error: invalid bulk length\r\n",
     True),
    ("bulk header without $", b"*1\r\nPING\r\n", b"-ERR Protocol error: expected '$', got 'P'\r\n",
     True),
    ("missing CRLF after a bulk", b"*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", b"+PONG\r\n+PONG\r\n",
     False),
    ("LF-only multibulk header", b"*1\n$4\nPING\n", None, None),
    ("unbalanced quotes", b"SET \"k v\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n",
     True),
    ("100 KB inline line", b"x" * 100 * 1024 + b"\r\n",
     b"-ERR Protocol error: too big inline request\r\n", True),
    ("NUL in an inline command", b"SET k a\x00b\r\nPING\r\n", b"", False),
    ("quoted NUL escape", b"ECHO \"a\\x00b\"\r\n", b"$3\r\na\x00b\r\n", False),
    ("unknown command", b"FOO bar baz\r\n",
     b"-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n", False),
    ("empty inline and *0", b"\r\n*0\r\nPING\r\n", b"+PONG\r\n", False),
    ("errors inside MULTI",
     b"MULTI\r\nSET k\r\nFOO\r\nINCR k\r\nEXEC\r\nMULTI\r\nSET s abc\r\nINCR s\r\nEXEC\r\n"
     b"DEL s\r\n",
     b"+OK\r\n-ERR wrong number of arguments for 'set' command\r\n"
     b"-ERR unknown command 'FOO', with args beginning with: \r\n+QUEUED\r\n"
     b"-EXECABORT Transaction discarded because of previous errors.\r\n"
     b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n-ERR value is not an integer or out of range\r\n"
     b":1\r\n", False),
    ("nested MULTI and bare EXEC", b"EXEC\r\nDISCARD\r\nMULTI\r\nMULTI\r\nDISCARD\r\n",
     b"-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n+OK\r\n"
     b"-ERR MULTI calls can not be nested\r\n+OK\r\n", False),
]


@pytest.mark.parametrize("name,data,expected,closed", RESP_CASES, ids=[c[0] for c in RESP_CASES])
def test_malformed_resp(servers, name, data, expected, closed):
    duet, real_port = servers
    w = Watch(duet)
    got = exchange(duet.port, data)
    if real_port is not None:
        assert got == exchange(real_port, data), name
    if expected is not None:
        assert got == (expected, closed), name
    w.check(name)


def test_ten_thousand_arguments(servers):
    duet, real_port = servers
    w = Watch(duet)
    keys = [b"k%d" % i for i in range(5000)]
    args = [b"MSET"] + [x for k in keys for x in (k, b"v")]
    req = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
    dels = [b"DEL"] + keys + keys[:4999]  # 10,000 arguments
    req += b"*%d\r\n" % len(dels) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in dels)
    got = exchange(duet.port, req)
    assert got == (b"+OK\r\n:5000\r\n", False)
    if real_port is not None:
        assert exchange(real_port, req) == got
    w.check("10,000 arguments")


def _commands(client):
    return {name: int(info["arity"]) for name, info in client.command().items()}


def test_wrong_arity_everywhere(servers):
    duet, real_port = servers
    if real_port is None:
        pytest.skip("redis-server not installed")
    ours = _commands(redis.Redis(port=duet.port))
    theirs = _commands(redis.Redis(port=real_port))
    req = b""
    names = sorted(n for n in ours if n in theirs and ours[n] == theirs[n] and ours[n] != -1)
    for name in names:
        # Words including the name: one too many for a fixed arity, one too
        # few for a minimum.
        arity = ours[name]
        words = arity + 1 if arity > 0 else -arity - 1
        args = [name.encode()] + [b"x"] * (words - 1)
        req += b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
    w = Watch(duet)
    got = exchange(duet.port, req, quiet=0.5)
    assert got == exchange(real_port, req, quiet=0.5)
    assert got[0].count(b"wrong number of arguments") == len(names)
    w.check("wrong arity")


WRONGTYPE_CALLS = [
    "GET {k}", "APPEND {k} x", "INCR {k}", "GETRANGE {k} 0 1", "STRLEN {k}", "SETRANGE {k} 0 x",
    "GETDEL {k}", "GETEX {k}", "BITCOUNT {k}", "SETBIT {k} 1 1", "LPUSH {k} x", "RPOP {k}",
    "LRANGE {k} 0 -1", "LLEN {k}", "LINDEX {k} 0", "LSET {k} 0 x", "LREM {k} 0 x",
    "LINSERT {k} BEFORE a b", "LPOS {k} x", "LMOVE {k} {k} LEFT LEFT", "SADD {k} x",
    "SMEMBERS {k}", "SISMEMBER {k} x", "SCARD {k}", "SPOP {k}", "SRANDMEMBER {k}",
    "SINTER {k} {k}", "SUNIONSTORE d {k}", "ZADD {k} 1 x", "ZRANGE {k} 0 -1", "ZSCORE {k} x",
    "ZINCRBY {k} 1 x", "ZCARD {k}", "ZRANK {k} x", "ZPOPMIN {k}", "ZUNIONSTORE d 1 {k}",
    "HSET {k} f v", "HGET {k} f", "HGETALL {k}", "HINCRBY {k} f 1", "HLEN {k}", "HDEL {k} f",
    "HSCAN {k} 0", "SSCAN {k} 0", "ZSCAN {k} 0", "SORT {k}",
]


def test_wrongtype_everywhere(servers):
    duet, real_port = servers
    if real_port is None:
        pytest.skip("redis-server not installed")
    # Every call starts from the same five keys, so that no reply depends on
    # the order of a hash table (Redis's is seeded at random).
    setup = (b"DEL str list set zset hash d\r\nSET str abc\r\nRPUSH list a\r\nSADD set a\r\n"
             b"ZADD zset 1 a\r\nHSET hash f v\r\n")
    req = b""
    for key in ("str", "list", "set", "zset", "hash"):
        for call in WRONGTYPE_CALLS:
            req += setup + call.format(k=key).encode() + b"\r\n"
    w = Watch(duet)
    got = exchange(duet.port, req, quiet=0.5)
    assert got == exchange(real_port, req, quiet=0.5)
    assert got[0].count(b"-WRONGTYPE") > 150
    w.check("WRONGTYPE")


def test_one_byte_per_100ms(servers):
    duet, _ = servers
    w = Watch(duet)
    req = b"*1\r\n$4\r\nPING\r\n"
    s = socket.create_connection(("127.0.0.1", duet.port), timeout=5)
    other = redis.Redis(port=duet.port, socket_timeout=5)
    for i in range(len(req)):
        s.sendall(req[i:i + 1])
        assert other.ping() is True  # the loop serves others meanwhile
        time.sleep(0.1)
    assert s.recv(100) == b"+PONG\r\n"
    s.close()
    w.check("slow client")


def test_client_that_never_reads(servers):
    duet, real_port = servers
    w = Watch(duet)
    admin = redis.Redis(port=duet.port)
    admin.delete("big")
    for i in range(10):
        admin.rpush("big", *[b"x" * 100] * 1000)  # 1 MB of list
    admin.config_set("client-output-buffer-limit", "normal 4mb 2mb 1")
    try:
        s = socket.create_connection(("127.0.0.1", duet.port), timeout=5)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        closed = False
        for _ in range(200):  # 200 MB of replies asked for, none read
            try:
                s.sendall(b"LRANGE big 0 -1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        deadline = time.time() + 10
        while not closed and time.time() < deadline:
            clients = admin.client_list()
            if len(clients) == 1:
                closed = True
            time.sleep(0.1)
        assert closed, "the output buffer limit did not close the client"
        s.close()
    finally:
        admin.config_set("client-output-buffer-limit", "normal 0 0 0")
        admin.delete("big")
    w.check("never-reading client")


def test_thousand_idle_connections(servers):
    duet, _ = servers
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
        if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 1100:
            pytest.skip("not enough file descriptors for the client side")
    w = Watch(duet)
    admin = redis.Redis(port=duet.port)
    base = len(admin.client_list())
    socks = [socket.create_connection(("127.0.0.1", duet.port), timeout=5) for _ in range(1000)]
    try:
        deadline = time.time() + 10
        while len(admin.client_list()) < base + 1000 and time.time() < deadline:
            time.sleep(0.05)
        assert len(admin.client_list()) == base + 1000
        for s in socks[::100]:
            s.sendall(b"PING\r\n")
            assert s.recv(10) == b"+PONG\r\n"
    finally:
        for s in socks:
            s.close()
    deadline = time.time() + 10
    while len(admin.client_list()) > base and time.time() < deadline:
        time.sleep(0.05)
    assert len(admin.client_list()) == base
    w.check("1000 idle connections")


def test_half_closed_sockets(servers):
    duet, _ = servers
    w = Watch(duet)
    admin = redis.Redis(port=duet.port)
    base = len(admin.client_list())
    for data in (b"", b"PING\r\n", b"*1\r\n$4\r\nPI", b"SET k v\r\nGET k\r\n"):
        s = socket.create_connection(("127.0.0.1", duet.port), timeout=5)
        if data:
            s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(2)
        try:
            while s.recv(100):
                pass  # whatever was answered, the server then closes
        except ConnectionResetError:
            pass
        s.close()
    deadline = time.time() + 5
    while len(admin.client_list()) > base and time.time() < deadline:
        time.sleep(0.05)
    assert len(admin.client_list()) == base
    # A client that reset the connection with data in flight.
    s = socket.create_connection(("127.0.0.1", duet.port), timeout=5)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.sendall(b"LRANGE nolist 0 -1\r\n" * 1000)
    s.close()
    w.check("half-closed sockets")


# ---- memcached port ---------------------------------------------------------

def memcached_installed():
    if shutil.which("memcached") is None:
        return False
    out = subprocess.run(["memcached", "-V"], capture_output=True, text=True, timeout=10)
    return out.stdout.strip().startswith("memcached 1.6.")


@pytest.fixture(scope="module")
def mc_servers(tmp_path_factory):
    port = free_port()
    duet = DuetProcess(tmp_path_factory.mktemp("duetmc"), ("--memcached-port", str(port)))
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.02)
    ref = None
    ref_port = None
    if memcached_installed():
        ref_port = free_port()
        ref = subprocess.Popen(["memcached", "-p", str(ref_port), "-l", "127.0.0.1", "-U", "0",
                                "-t", "1", "-c", "128", "-u", "root"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", ref_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.02)
    yield duet, port, ref_port
    duet.stop()
    if ref is not None:
        ref.terminate()
        ref.wait(10)


TWO_MB = 2 * 1024 * 1024
BAD_FORMAT = b"CLIENT_ERROR bad command line format\r\n"
# (name, chunks, expected reply, closed, same as memcached 1.6.18). The last
# field is False for the differences README "Memcached" lists: keys with
# control characters are refused, and byte counts past memcached's 32-bit
# length are refused (memcached truncates them, or waits for 100 GB).
MC_CASES = [
    ("key of 251 bytes", [b"set " + b"k" * 251 + b" 0 0 1\r\nx\r\nget a\r\n"],
     BAD_FORMAT + b"ERROR\r\nEND\r\n", False, True),
    ("control character in a key", [b"set a\x01b 0 0 1\r\nx\r\nget a\x01b\r\nget a\x7fb\r\n"],
     BAD_FORMAT + b"ERROR\r\n" + BAD_FORMAT + BAD_FORMAT, False, False),
    ("negative byte count", [b"set k 0 0 -5\r\nget k\r\n"], BAD_FORMAT + b"END\r\n", False,
     True),
    ("huge byte count", [b"set k 0 0 99999999999\r\nget k\r\n"], BAD_FORMAT + b"END\r\n", False,
     False),
    ("byte count over 2^32", [b"set k 0 0 4294967296\r\nget k\r\n"], BAD_FORMAT + b"END\r\n",
     False, False),
    ("block longer than declared", [b"set k 0 0 3\r\nabcdef\r\nget k\r\n"],
     b"CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n", False, True),
    ("block shorter than declared", [b"set k 0 0 5\r\nab\r\n", b"get k\r\n"],
     b"CLIENT_ERROR bad data chunk\r\nERROR\r\n", False, True),
    ("bad exptime", [b"set k 0 abc 1\r\nx\r\ntouch k x\r\ngat x k\r\n"],
     BAD_FORMAT + b"ERROR\r\nCLIENT_ERROR invalid exptime argument\r\n"
     b"CLIENT_ERROR invalid exptime argument\r\n", False, True),
    ("incr past 2^64", [b"set n 0 0 20\r\n18446744073709551615\r\nincr n 1\r\nincr n "
                        b"18446744073709551616\r\n"],
     b"STORED\r\n0\r\nCLIENT_ERROR invalid numeric delta argument\r\n", False, True),
    ("bogus CAS", [b"set k 0 0 1\r\nx\r\ncas k 0 0 1 abc\r\ny\r\ncas k 0 0 1 -1\r\ny\r\n"
                   b"cas k 0 0 1 99999999999999999999\r\ny\r\n"],
     b"STORED\r\n" + (BAD_FORMAT + b"ERROR\r\n") * 3, False, True),
    ("2 MB value", [b"set big 0 0 %d\r\n" % TWO_MB, b"v" * TWO_MB + b"\r\n", b"get big\r\n"],
     b"SERVER_ERROR object too large for cache\r\nEND\r\n", False, True),
    ("unknown command and empty line", [b"bogus\r\n\r\n"], b"ERROR\r\nERROR\r\n", False, True),
    ("binary magic after text", [b"version\r\n\x81\x00"], b"VERSION 1.6.18\r\n", False, False),
]


@pytest.mark.parametrize("name,chunks,expected,closed,same", MC_CASES,
                         ids=[c[0] for c in MC_CASES])
def test_memcached_hostile(mc_servers, name, chunks, expected, closed, same):
    duet, port, ref_port = mc_servers
    w = Watch(duet)
    got = exchange(port, None, chunks=chunks, quiet=0.3)
    if ref_port is not None and same:
        assert got == exchange(ref_port, None, chunks=chunks, quiet=0.3), name
    if expected is not None:
        assert got == (expected, closed), name
    exchange(port, b"flush_all\r\n")
    if ref_port is not None:
        exchange(ref_port, b"flush_all\r\n")
    w.check(name)


def test_memcached_get_with_thousands_of_keys(mc_servers):
    duet, port, ref_port = mc_servers
    w = Watch(duet)
    setup = b"".join(b"set k%d 0 0 1\r\nx\r\n" % i for i in range(0, 5000, 7))
    req = setup + b"get " + b" ".join(b"k%d" % i for i in range(5000)) + b"\r\n"
    got = exchange(port, req, quiet=0.5)
    assert got[0].count(b"VALUE") == len(range(0, 5000, 7))
    assert got[0].endswith(b"END\r\n") and not got[1]
    if ref_port is not None:
        assert exchange(ref_port, req, quiet=0.5) == got
    w.check("get with 5000 keys")


def test_memcached_disconnect_mid_block(mc_servers):
    duet, port, _ = mc_servers
    w = Watch(duet)
    for partial in (b"set m 0 0 100\r\nabc", b"set m 0 0 100", b"ms m 10 T0\r\nab",
                    b"set m 0 0 %d\r\n" % (TWO_MB // 2) + b"x" * 1000):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(partial)
        s.close()
    time.sleep(0.2)
    assert exchange(port, b"get m\r\n") == (b"END\r\n", False)
    w.check("disconnect mid-block")


def test_low_open_files_limit_lowers_maxclients(tmp_path):
    """Under 'ulimit -n 64' the server lowers maxclients to 64 - 32 reserved,
    so that client 33 is told so, and the loop does not spin on a listener
    that cannot accept."""
    port = free_port()

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    from conftest import SERVER
    log = open(tmp_path / "duet.log", "w")
    proc = subprocess.Popen([SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--dir", str(tmp_path)], stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=limit, cwd=str(tmp_path))
    socks = []
    try:
        for _ in range(200):
            try:
                socks.append(socket.create_connection(("127.0.0.1", port), timeout=0.2))
                break
            except OSError:
                time.sleep(0.02)
        admin = redis.Redis(port=port, socket_timeout=5)
        maxclients = str(admin.info("clients")["maxclients"])
        if maxclients == "10000":
            # Allowed to raise its hard limit (CAP_SYS_RESOURCE): it did so.
            log.flush()
            assert "Raised the open files limit" in (tmp_path / "duet.log").read_text()
            return
        assert maxclients == "32"
        for _ in range(40):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        refused = 0
        for s in socks[30:]:
            s.settimeout(0.5)
            try:
                if s.recv(100) == b"-ERR max number of clients reached\r\n":
                    refused += 1
            except socket.timeout:
                pass
        assert refused >= 8
        with open(f"/proc/{proc.pid}/stat") as f:
            before = sum(int(x) for x in f.read().split()[13:15])
        time.sleep(1)
        with open(f"/proc/{proc.pid}/stat") as f:
            after = sum(int(x) for x in f.read().split()[13:15])
        assert after - before < 50  # clock ticks of CPU in one second: not spinning
        socks[0].sendall(b"PING\r\n")
        assert socks[0].recv(100) == b"+PONG\r\n"
    finally:
        for s in socks:
            s.close()
        proc.terminate()
        proc.wait(10)
        log.close()


def test_configured_proto_max_bulk_len(servers):
    duet, real_port = servers
    w = Watch(duet)
    ports = [duet.port] + ([real_port] if real_port else [])
    replies = []
    for port in ports:
        c = redis.Redis(port=port)
        c.config_set("proto-max-bulk-len", "1mb")
        try:
            over = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"
            at = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n" + b"x" * 1048576 + b"\r\n"
            grow = b"APPEND k x\r\nSETRANGE k 1048576 y\r\nSETRANGE k 1048575 y\r\nDEL k\r\n"
            replies.append((exchange(port, over), exchange(port, at), exchange(port, grow)))
        finally:
            c.config_set("proto-max-bulk-len", "512mb")
    assert replies[0] == (
        (b"-ERR Protocol error: invalid bulk length\r\n", True), (b"+OK\r\n", False),
        (b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n" * 2 +
         b":1048576\r\n:1\r\n", False))
    if len(replies) == 2:
        assert replies[0] == replies[1]
    w.check("proto-max-bulk-len")
