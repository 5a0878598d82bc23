"""AOF directories move both ways between Duet and Debian's redis-server 7.0:
redis-check-aof accepts Duet's, redis-server loads Duet's to the same
dataset (DEBUG DIGEST), and Duet loads what Redis wrote."""
import os
import shutil
import subprocess
import time

import pytest
import redis

from conftest import DuetProcess, free_port

REDIS_SERVER = shutil.which("redis-server")
CHECK_AOF = shutil.which("redis-check-aof")

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed")


def wait_ping(port, proc, log, timeout=20.0):
    deadline = time.time() + timeout
    c = redis.Redis(port=port, socket_timeout=10)
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited:\n" + open(log).read())
        try:
            if c.ping():
                return c
        except (redis.exceptions.BusyLoadingError, redis.exceptions.ConnectionError):
            time.sleep(0.03)
    raise RuntimeError("server did not start")


class Redis:
    def __init__(self, directory, *extra):
        self.port = free_port()
        self.log = os.path.join(str(directory), "redis.log")
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(directory), "--save", "", "--appendonly", "yes", "--enable-debug-command",
             "yes", "--logfile", self.log] + list(extra),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.c = wait_ping(self.port, self.proc, self.log)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


def start_duet(directory, *extra):
    d = DuetProcess(directory, ("--save", "", "--appendonly", "yes", "--enable-debug-command",
                                "yes") + extra)
    return d, wait_ping(d.port, d.proc, d.log)


def workload(c):
    for i in range(300):
        c.set("s%d" % i, "v" * (i % 40))
    c.set("n", 10)
    c.incrbyfloat("f", "1.25")
    c.set("ex", "1", ex=1000)
    c.expire("s1", 500)
    c.rpush("l", *range(200))
    c.lpop("l")
    c.blpop(["l"], timeout=1)
    c.hset("h", mapping={"a%d" % i: i for i in range(100)})
    c.hincrbyfloat("h", "a1", "0.5")
    c.sadd("st", *range(50))
    c.spop("st")
    c.spop("st", 3)
    c.zadd("z", {"m%d" % i: i * 1.5 for i in range(80)})
    c.zpopmin("z")
    c.execute_command("SELECT", 5)  # same connection pool: keep db 0 afterwards
    c.execute_command("SELECT", 0)
    c5 = redis.Redis(port=c.connection_pool.connection_kwargs["port"], db=5)
    c5.set("in5", "yes")
    c5.close()
    p = c.pipeline(transaction=True)
    p.incr("n")
    p.rpush("l", "tx")
    p.execute()
    c.getex("s2", px=300000)


def check_aof(directory):
    if CHECK_AOF is None:
        return
    out = subprocess.run([CHECK_AOF, os.path.join(str(directory), "appendonlydir",
                                                  "appendonly.aof.manifest")],
                         capture_output=True, text=True, timeout=30)
    assert "All AOF files and manifest are valid" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_redis_loads_duets_aof(tmp_path, preamble):
    d, c = start_duet(tmp_path, "--aof-use-rdb-preamble", preamble)
    try:
        workload(c)
        assert c.bgrewriteaof()
        deadline = time.time() + 20
        while c.info("persistence")["aof_rewrite_in_progress"] and time.time() < deadline:
            time.sleep(0.02)
        c.set("after-rewrite", "1")
        c.incr("n")
        digest = c.execute_command("DEBUG", "DIGEST")
    finally:
        d.stop()
    check_aof(tmp_path)
    r = Redis(tmp_path, "--aof-use-rdb-preamble", preamble)
    try:
        assert r.c.execute_command("DEBUG", "DIGEST") == digest
    finally:
        r.stop()


def test_duet_loads_redis_aof(tmp_path):
    r = Redis(tmp_path)
    try:
        workload(r.c)
        r.c.bgrewriteaof()
        deadline = time.time() + 20
        while r.c.info("persistence")["aof_rewrite_in_progress"] and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        r.c.set("after-rewrite", "1")
        r.c.incr("n")
        digest = r.c.execute_command("DEBUG", "DIGEST")
    finally:
        r.stop()
    d, c = start_duet(tmp_path)
    try:
        assert c.execute_command("DEBUG", "DIGEST") == digest
        c.set("more", "1")  # appends to Redis's incr file
    finally:
        d.stop()
    check_aof(tmp_path)


def wait_rewrite(c, count):
    deadline = time.time() + 20
    while time.time() < deadline:
        info = c.info("persistence")
        if info["aof_rewrites"] == count and not info["aof_rewrite_in_progress"]:
            return
        time.sleep(0.02)
    raise RuntimeError("rewrite did not finish")


def aof_files(directory):
    aof = os.path.join(str(directory), "appendonlydir")
    with open(os.path.join(aof, "appendonly.aof.manifest")) as f:
        manifest = f.read()
    heads = {}
    for name in sorted(os.listdir(aof)):
        with open(os.path.join(aof, name), "rb") as f:
            heads[name] = f.read(4)
    return manifest, heads


def test_timestamps_and_kept_history_as_in_redis(tmp_path):
    """aof-timestamp-enabled and aof-disable-auto-gc: the same steps give
    Redis and Duet the same manifest and files (history kept while gc is
    off, removed when it is turned back on), each RESP file opening with a
    "#TS:" annotation; redis-check-aof and redis-server accept Duet's."""
    opts = ("--aof-use-rdb-preamble", "no", "--aof-timestamp-enabled", "yes",
            "--aof-disable-auto-gc", "yes")
    results = {}
    for name in ("redis", "duet"):
        directory = tmp_path / name
        directory.mkdir()
        if name == "redis":
            srv = Redis(directory, *opts)
            c = srv.c
        else:
            srv, c = start_duet(directory, *opts)
        try:
            c.set("a", "1")
            assert c.bgrewriteaof()
            wait_rewrite(c, 1)
            c.incr("n")
            kept = aof_files(directory)
            assert c.config_set("aof-disable-auto-gc", "no")
            deadline = time.time() + 10
            while len(os.listdir(os.path.join(str(directory), "appendonlydir"))) > 3 \
                    and time.time() < deadline:
                time.sleep(0.02)
            collected = aof_files(directory)
            digest = c.execute_command("DEBUG", "DIGEST")
        finally:
            srv.stop()
        results[name] = (kept, collected, digest)
    # The same manifests and files (which file opens with a "#TS:" depends
    # on when a second turns, so only the bases and the first incr, whose
    # first record is the first of their second, are compared).
    for phase in (0, 1):
        assert results["duet"][phase][0] == results["redis"][phase][0]
        assert results["duet"][phase][1].keys() == results["redis"][phase][1].keys()
    kept_manifest, kept_heads = results["duet"][0]
    assert "type h" in kept_manifest
    for name, head in kept_heads.items():
        if ".base." in name or ".1.incr." in name:
            assert head == b"#TS:", name
    check_aof(tmp_path / "duet")
    r = Redis(tmp_path / "duet", *opts)
    try:
        assert r.c.execute_command("DEBUG", "DIGEST") == results["duet"][2]
    finally:
        r.stop()
    d, c = start_duet(tmp_path / "duet", *opts)  # and Duet reads the annotations back
    try:
        assert c.execute_command("DEBUG", "DIGEST") == results["duet"][2]
    finally:
        d.stop()
