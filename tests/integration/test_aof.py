"""The append-only file end to end: order of write, fsync and reply (strace),
acknowledged writes surviving SIGKILL with several clients, rewrites, start-up
handling of torn and damaged files, CONFIG SET appendonly."""
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis

from conftest import SERVER, DuetProcess, cli, free_port

STRACE = shutil.which("strace")


def wait_loaded(port, timeout=20.0):
    deadline = time.time() + timeout
    c = redis.Redis(port=port, socket_timeout=5)
    while time.time() < deadline:
        try:
            if c.ping():
                return c
        except (redis.exceptions.BusyLoadingError, redis.exceptions.ConnectionError):
            time.sleep(0.02)
    raise RuntimeError("server did not finish loading")


def wait_for(cond, timeout=10.0):
    deadline = time.time() + timeout
    while not cond() and time.time() < deadline:
        time.sleep(0.01)
    return cond()


def start(tmp_path, *args):
    d = DuetProcess(tmp_path, ("--save", "", "--appendonly", "yes",
                               "--enable-debug-command", "yes") + args)
    return d, wait_loaded(d.port)


def aof_dir(tmp_path):
    return os.path.join(str(tmp_path), "appendonlydir")


def manifest(tmp_path):
    with open(os.path.join(aof_dir(tmp_path), "appendonly.aof.manifest")) as f:
        return f.read()


# ---- the order of write, fsync and reply -------------------------------------

def without_leak_check():
    """The environment for a server run under strace: LeakSanitizer (in the
    sanitizer build) cannot work under ptrace and would report that as a
    fatal error at exit; ASan and UBSan still watch the run."""
    env = dict(os.environ)
    opts = env.get("ASAN_OPTIONS")
    if opts is not None:
        env["ASAN_OPTIONS"] = opts.replace("detect_leaks=1", "detect_leaks=0")
    return env


@pytest.mark.skipif(STRACE is None, reason="strace not installed")
def test_always_writes_and_syncs_before_replying(tmp_path):
    trace = os.path.join(str(tmp_path), "trace.txt")
    port = free_port()
    log = open(os.path.join(str(tmp_path), "duet.log"), "w")
    proc = subprocess.Popen(
        [STRACE, "-f", "-qq", "-e", "trace=openat,write,writev,fsync,fdatasync,sendmsg,sendto",
         "-s", "64", "-o", trace, SERVER, "--port", str(port), "--bind", "127.0.0.1",
         "--dir", str(tmp_path), "--save", "", "--appendonly", "yes", "--appendfsync", "always"],
        stdout=log, stderr=subprocess.STDOUT, cwd=str(tmp_path), env=without_leak_check())
    server_pid = None
    try:
        c = wait_loaded(port)
        server_pid = c.info("server")["process_id"]
        for i in range(5):
            assert c.set("marker%d" % i, "v%d" % i)
        c.close()
    finally:
        # Stop the server itself (a signal to strace would only detach it).
        if server_pid is not None:
            os.kill(server_pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()
    lines = open(trace).read().splitlines()
    incr_fd = None
    for ln in lines:
        if "appendonly.aof.1.incr.aof" in ln and "openat(" in ln and "= " in ln:
            incr_fd = ln.rsplit("= ", 1)[1].split()[0]
    assert incr_fd is not None, "incr file never opened"
    checked = 0
    for i in range(5):
        key = "marker%d" % i
        w = next(n for n, ln in enumerate(lines)
                 if ("write(%s," % incr_fd) in ln and key in ln)
        s = next(n for n, ln in enumerate(lines)
                 if n > w and ("fdatasync(%s)" % incr_fd in ln or "fsync(%s)" % incr_fd in ln))
        # The reply: the first +OK written to a socket after the record.
        reply = next(n for n, ln in enumerate(lines)
                     if n > w and ("writev(" in ln or "sendmsg(" in ln or "sendto(" in ln)
                     and "+OK" in ln)
        assert w < s < reply, (w, s, reply)
        checked += 1
    assert checked == 5


# ---- SIGKILL with several clients --------------------------------------------

def writer(port, wid, stop, acked):
    """Writes unique values of every type; records what was acknowledged."""
    c = redis.Redis(port=port, socket_timeout=5)
    i = 0
    try:
        while not stop.is_set() and i < 100000:
            v = "%d:%d" % (wid, i)
            kind = i % 6
            if kind == 0:
                c.incr("ctr:%d" % wid)
            elif kind == 1:
                c.rpush("list:%d" % wid, v)
            elif kind == 2:
                c.hset("hash:%d" % wid, v, i)
            elif kind == 3:
                c.sadd("set:%d" % wid, v)
            elif kind == 4:
                c.zadd("zset:%d" % wid, {v: i})
            else:
                c.set("str:%d:%d" % (wid, i), v)
            acked.append((kind, i))
            i += 1
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
        pass


def missing_writes(c, wid, acked):
    lost = 0
    ctr = int(c.get("ctr:%d" % wid) or 0)
    incrs = sum(1 for k, _ in acked if k == 0)
    lost += max(0, incrs - ctr)
    lst = set(x.decode() for x in c.lrange("list:%d" % wid, 0, -1))
    hsh = c.hgetall("hash:%d" % wid)
    sset = c.smembers("set:%d" % wid)
    zs = c.zscore
    for kind, i in acked:
        v = "%d:%d" % (wid, i)
        if kind == 1 and v not in lst:
            lost += 1
        elif kind == 2 and v.encode() not in hsh:
            lost += 1
        elif kind == 3 and v.encode() not in sset:
            lost += 1
        elif kind == 4 and zs("zset:%d" % wid, v) is None:
            lost += 1
        elif kind == 5 and c.get("str:%d:%d" % (wid, i)) != v.encode():
            lost += 1
    return lost


@pytest.mark.parametrize("fsync", ["always", "everysec"])
def test_sigkill_keeps_acknowledged_writes(tmp_path, fsync):
    rng = random.Random()
    report = []
    for rnd in range(3):
        sub = tmp_path / ("round%d" % rnd)
        sub.mkdir()
        d, c = start(sub, "--appendfsync", fsync)
        stop = threading.Event()
        acked = [[] for _ in range(4)]
        threads = [threading.Thread(target=writer, args=(d.port, w, stop, acked[w]))
                   for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 0.9))
        os.kill(d.proc.pid, signal.SIGKILL)
        d.proc.wait(10)
        stop.set()
        for t in threads:
            t.join(10)
        d.logf.close()
        d2, c2 = start(sub, "--appendfsync", fsync)
        try:
            lost = sum(missing_writes(c2, w, acked[w]) for w in range(4))
            total = sum(len(a) for a in acked)
            report.append((total, lost))
            assert total > 0
            if fsync == "always":
                assert lost == 0, "lost %d of %d acknowledged writes" % (lost, total)
        finally:
            d2.stop()
    print("\n%s: (acknowledged, lost) per round: %s" % (fsync, report))


# ---- rewrites -------------------------------------------------------------------

@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_bgrewriteaof_while_writing_then_restart(tmp_path, preamble):
    d, c = start(tmp_path, "--aof-use-rdb-preamble", preamble)
    try:
        for i in range(2000):
            c.set("s%d" % i, i)
        c.rpush("l", *range(300))
        c.hset("h", mapping={"f%d" % i: i for i in range(200)})
        c.sadd("st", *range(100))
        c.zadd("z", {"m%d" % i: i / 3 for i in range(150)})
        c.set("ttl", "x", px=600000)
        assert c.bgrewriteaof()  # "Background append only file rewriting started"
        for i in range(500):  # writes during the rewrite go to the new incr file
            c.incr("during")
        deadline = time.time() + 20
        while c.info("persistence")["aof_rewrite_in_progress"] and time.time() < deadline:
            time.sleep(0.02)
        info = c.info("persistence")
        assert info["aof_last_bgrewrite_status"] == "ok"
        assert info["aof_rewrites"] == 1
        ext = "rdb" if preamble == "yes" else "aof"
        assert manifest(tmp_path) == ("file appendonly.aof.2.base.%s seq 2 type b\n"
                                      "file appendonly.aof.2.incr.aof seq 2 type i\n" % ext)
        wait_for(lambda: len(os.listdir(aof_dir(tmp_path))) == 3)  # history unlinked in the background
        assert sorted(os.listdir(aof_dir(tmp_path))) == [
            "appendonly.aof.2.base.%s" % ext, "appendonly.aof.2.incr.aof",
            "appendonly.aof.manifest"]
        digest = c.execute_command("DEBUG", "DIGEST")
        ttl = c.pttl("ttl")
        assert c.execute_command("DEBUG", "LOADAOF") == b"OK"
        assert c.execute_command("DEBUG", "DIGEST") == digest
    finally:
        d.stop()
    d2, c2 = start(tmp_path, "--aof-use-rdb-preamble", preamble)
    try:
        assert c2.execute_command("DEBUG", "DIGEST") == digest
        assert c2.get("during") == b"500"
        assert 0 < c2.pttl("ttl") <= ttl
    finally:
        d2.stop()


def test_config_set_appendonly_creates_the_first_base(tmp_path):
    d = DuetProcess(tmp_path, ("--save", "", "--enable-debug-command", "yes"))
    c = wait_loaded(d.port)
    try:
        for i in range(100):
            c.set("k%d" % i, i)
        assert c.config_set("appendonly", "yes")
        deadline = time.time() + 20
        while time.time() < deadline:
            info = c.info("persistence")
            if info["aof_enabled"] and not info["aof_rewrite_in_progress"] \
                    and info["aof_rewrites"] == 1:
                break
            time.sleep(0.02)
        c.set("after", "1")
        assert manifest(tmp_path) == ("file appendonly.aof.1.base.rdb seq 1 type b\n"
                                      "file appendonly.aof.1.incr.aof seq 1 type i\n")
        # Off, more writes, on again: a new base continues the numbering and
        # the files of the first period go.
        assert c.config_set("appendonly", "no")
        c.set("while-off", "1")
        assert c.config_set("appendonly", "yes")
        assert wait_for(lambda: c.info("persistence")["aof_rewrites"] == 2, 20)
        assert manifest(tmp_path) == ("file appendonly.aof.2.base.rdb seq 2 type b\n"
                                      "file appendonly.aof.2.incr.aof seq 2 type i\n")
        assert wait_for(lambda: len(os.listdir(aof_dir(tmp_path))) == 3)
        c.set("after2", "1")
        digest = c.execute_command("DEBUG", "DIGEST")
    finally:
        d.stop()
    d2, c2 = start(tmp_path)
    try:
        assert c2.execute_command("DEBUG", "DIGEST") == digest
    finally:
        d2.stop()


def test_auto_rewrite_on_growth(tmp_path):
    d, c = start(tmp_path, "--auto-aof-rewrite-min-size", "64kb",
                 "--auto-aof-rewrite-percentage", "100")
    try:
        for i in range(3000):
            c.set("key%d" % (i % 50), "x" * 100)
        deadline = time.time() + 10
        while c.info("persistence")["aof_rewrites"] == 0 and time.time() < deadline:
            time.sleep(0.05)
        assert c.info("persistence")["aof_rewrites"] >= 1
    finally:
        d.stop()


# ---- start-up with damaged files -----------------------------------------------------

def run_to_exit(tmp_path, *args):
    out = subprocess.run([SERVER, "--port", str(free_port()), "--bind", "127.0.0.1",
                          "--dir", str(tmp_path), "--save", "", "--appendonly", "yes"] +
                         list(args), capture_output=True, text=True, timeout=20,
                         cwd=str(tmp_path))
    return out.returncode, out.stdout + out.stderr


def write_some(tmp_path):
    d, c = start(tmp_path)
    for i in range(10):
        c.set("k%d" % i, "v%d" % i)
    d.stop()
    return os.path.join(aof_dir(tmp_path), "appendonly.aof.1.incr.aof")


def test_truncated_tail_is_dropped_or_refused(tmp_path):
    incr = write_some(tmp_path)
    good = os.path.getsize(incr)
    with open(incr, "ab") as f:
        f.write(b"*3\r\n$3\r\nSET\r\n$2\r\nzz\r\n$5\r\nab")  # torn last record
    code, out = run_to_exit(tmp_path, "--aof-load-truncated", "no", "--port", "0")
    assert code != 0
    assert "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof" in out
    d, c = start(tmp_path)
    try:
        assert c.get("k9") == b"v9"
        assert c.get("zz") is None
        assert "aof-load-truncated is enabled" in d.read_log()
    finally:
        d.stop()
    assert os.path.getsize(incr) == good


def test_damage_in_the_middle_names_file_and_offset(tmp_path):
    incr = write_some(tmp_path)
    data = bytearray(open(incr, "rb").read())
    pos = data.index(b"k5") - 4  # the '$' of the key's length line
    assert data[pos:pos + 1] == b"$"
    data[pos] = ord("?")
    open(incr, "wb").write(bytes(data))
    code, out = run_to_exit(tmp_path, "--port", "0")
    assert code != 0
    assert "appendonly.aof.1.incr.aof at offset %d" % pos in out, out


def test_rewrite_waits_for_a_running_bgsave(tmp_path):
    d, c = start(tmp_path, "--rdb-key-save-delay", "2000")
    try:
        for i in range(100):
            c.set("k%d" % i, i)
        assert cli(d.port, "BGSAVE") == "Background saving started\n"
        assert cli(d.port, "BGREWRITEAOF") == "Background append only file rewriting scheduled\n"
        info = c.info("persistence")
        assert info["aof_rewrite_scheduled"] == 1
        assert info["aof_rewrite_in_progress"] == 0
        assert wait_for(lambda: c.info("persistence")["aof_rewrites"] == 1, 20)
        # And a BGSAVE while a rewrite runs (slowed by the same delay) is
        # refused, as in Redis.
        assert cli(d.port, "BGREWRITEAOF") == "Background append only file rewriting started\n"
        assert c.info("persistence")["aof_rewrite_in_progress"] == 1
        with pytest.raises(redis.exceptions.ResponseError, match="Another child process"):
            c.execute_command("BGSAVE")
        assert cli(d.port, "BGSAVE", "SCHEDULE") == "Background saving scheduled\n"
        assert wait_for(lambda: c.info("persistence")["aof_rewrites"] == 2, 20)
    finally:
        d.stop()


def test_single_file_aof_is_upgraded_like_redis(tmp_path):
    # Redis 7.0 turns an old appendonly.aof into the base of the new layout.
    with open(os.path.join(str(tmp_path), "appendonly.aof"), "wb") as f:
        f.write(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n")
    d, c = start(tmp_path)
    try:
        assert c.get("a") == b"1"
        assert manifest(tmp_path) == ("file appendonly.aof seq 1 type b\n"
                                      "file appendonly.aof.1.incr.aof seq 1 type i\n")
        assert not os.path.exists(os.path.join(str(tmp_path), "appendonly.aof"))
    finally:
        d.stop()
