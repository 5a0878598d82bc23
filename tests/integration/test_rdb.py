"""RDB snapshots against Debian's redis-server 7.0: dump files move both ways
with identical contents, redis-check-rdb accepts Duet's files, damaged files
stop the start-up, clients see -LOADING while a large dump loads, and a
BGSAVE taken while clients write is a consistent snapshot."""
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

from conftest import free_port

ASSETS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "rdb-assets")
REDIS_SERVER = shutil.which("redis-server")
CHECK_RDB = shutil.which("redis-check-rdb")

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed")


class RedisProcess:
    """A real redis-server on a free port, data in `dir`."""

    def __init__(self, directory, dbfilename="dump.rdb", *extra):
        self.dir = str(directory)
        self.port = free_port()
        self.log = os.path.join(self.dir, "redis.log")
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--dbfilename", dbfilename, "--save", "", "--appendonly", "no",
             "--enable-debug-command", "yes", "--logfile", self.log] + list(extra),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited: " + open(self.log).read())
            try:
                c = redis.Redis(port=self.port, socket_timeout=5)
                if c.ping():
                    c.close()
                    return
            except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError):
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def client(self, db=0):
        return redis.Redis(port=self.port, db=db, socket_timeout=30)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def redis_factory(tmp_path):
    started = []

    def start(subdir, *args, **kwargs):
        d = tmp_path / subdir
        d.mkdir(exist_ok=True)
        r = RedisProcess(d, *args, **kwargs)
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


def duet_client(d, db=0):
    return redis.Redis(port=d.port, db=db, socket_timeout=30)


BINARY = b"a\x00b\r\nc\xff"
FAR_FUTURE_MS = 4102444800123  # fixed, so two servers filled apart compare equal


def fill_dataset(c):
    """Every type, small and large, integers, binary values, empty strings,
    expiries in ms, several databases. Written through Redis commands."""
    c.flushall()
    c.set("str", "hello")
    c.set("empty", "")
    c.set("int", "12345")
    c.set("bigint", "9223372036854775807")
    c.set("neg", "-7")
    c.set("bin", BINARY)
    c.set(BINARY, "binary key")
    c.set("compressible", "x" * 5000)
    c.set("random", random.Random(7).randbytes(3000))
    c.set("ttl", "v", pxat=FAR_FUTURE_MS)
    c.rpush("list:small", "a", "1", "", BINARY)
    c.rpush("list:big", *[("item-%d" % i) if i % 3 else str(i) for i in range(20000)])
    c.sadd("set:int", 1, 2, 3, -100000, 6000000000)
    c.sadd("set:str", "a", "b", "", BINARY)
    c.sadd("set:big", *range(2000))
    c.zadd("zset:small", {"a": 1, "b": 2.5, "c": -3, BINARY: 0})
    c.zadd("zset:big", {"m%d" % i: i * 0.25 for i in range(1000)})
    c.zadd("zset:inf", {"p": float("inf"), "n": float("-inf"), "z": 0})
    c.hset("hash:small", mapping={"f": "v", "1": "2", "": "", "bin": BINARY})
    c.hset("hash:big", mapping={"field%d" % i: str(i) for i in range(1000)})
    c.hset("hash:longvalue", "f", "v" * 200)
    c.pexpireat("hash:small", FAR_FUTURE_MS + 1234)
    c.execute_command("SELECT", 3)
    c.set("in-db3", "three")
    c.rpush("list-db3", "x")
    c.execute_command("SELECT", 15)
    c.zadd("zset-db15", {"only": 1})
    c.execute_command("SELECT", 0)


def read_value(c, k, t):
    if t == "string":
        return c.get(k)
    if t == "list":
        return c.lrange(k, 0, -1)
    if t == "set":
        return sorted(c.smembers(k))
    if t == "zset":
        return c.zrange(k, 0, -1, withscores=True)
    return sorted(c.hgetall(k).items())


def snapshot_of(c, databases=16, reader=None):
    """{(db, key): (type, encoding, pexpiretime, value)} with values in a
    comparable form. With `reader` (a Redis client), values are read there
    after a DUMP from `c` and a RESTORE, so `c` needs no type commands."""
    out = {}
    for db in range(databases):
        c.execute_command("SELECT", db)
        for k in c.keys("*"):
            t = c.type(k).decode()
            enc = c.object("encoding", k)
            exp = c.execute_command("PEXPIRETIME", k)
            if reader is None:
                v = read_value(c, k, t)
            else:
                reader.execute_command("RESTORE", k, 0, c.dump(k), "REPLACE")
                v = read_value(reader, k, t)
                reader.delete(k)
            out[(db, k)] = (t, enc, exp, v)
    c.execute_command("SELECT", 0)
    return out


def copy_into_duet(src, dst, databases=16):
    """Recreates every key of `src` in `dst` with DUMP/RESTORE ... ABSTTL."""
    for db in range(databases):
        src.execute_command("SELECT", db)
        dst.execute_command("SELECT", db)
        for k in src.keys("*"):
            payload = src.dump(k)
            exp = src.execute_command("PEXPIRETIME", k)
            assert dst.execute_command("RESTORE", k, max(exp, 0), payload, "ABSTTL") == b"OK"
    src.execute_command("SELECT", 0)
    dst.execute_command("SELECT", 0)


def wait_for_file(path, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            return
        time.sleep(0.05)
    raise AssertionError("no " + path)


def wait_bgsave(c, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if c.info("persistence")["rdb_bgsave_in_progress"] == 0:
            return
        time.sleep(0.02)
    raise AssertionError("BGSAVE did not finish")


def test_redis_dump_loads_in_duet(redis_factory, start_duet, tmp_path):
    r = redis_factory("redis")
    rc = r.client()
    fill_dataset(rc)
    assert rc.save()
    d_dir = tmp_path / "duet"
    d_dir.mkdir()
    shutil.copy(os.path.join(r.dir, "dump.rdb"), d_dir / "dump.rdb")
    d = start_duet("--enable-debug-command", "yes", "--save", "", subdir="duet")
    dc = duet_client(d)
    assert dc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")
    scratch = redis_factory("scratch").client()
    assert snapshot_of(dc, reader=scratch) == snapshot_of(rc)
    log = d.read_log()
    assert "Loading RDB produced by version 7.0.15" in log
    assert "Done loading RDB, keys loaded: 24, keys expired: 0." in log
    assert "DB loaded from disk:" in log
    info = dc.info("persistence")
    assert info["rdb_last_load_keys_loaded"] == 24
    assert info["loading"] == 0


def test_duet_dump_loads_in_redis(redis_factory, start_duet, tmp_path):
    source = redis_factory("source")
    sc = source.client()
    fill_dataset(sc)
    # Compressed list nodes in Duet, written with their LZF bytes.
    d = start_duet("--enable-debug-command", "yes", "--save", "", "--list-compress-depth", "1",
                   subdir="duet")
    dc = duet_client(d)
    copy_into_duet(sc, dc)
    assert dc.execute_command("DEBUG", "DIGEST") == sc.execute_command("DEBUG", "DIGEST")
    assert dc.save()
    dump = os.path.join(d.dir, "dump.rdb")
    if CHECK_RDB:
        out = subprocess.run([CHECK_RDB, dump], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stdout + out.stderr
        assert "RDB looks OK" in out.stdout
        assert "[info] 24 keys read" in out.stdout
    target_dir = tmp_path / "target"
    target_dir.mkdir()
    shutil.copy(dump, target_dir / "dump.rdb")
    t = redis_factory("target")
    tc = t.client()
    assert tc.execute_command("DEBUG", "DIGEST") == sc.execute_command("DEBUG", "DIGEST")
    assert snapshot_of(tc) == snapshot_of(sc)


def test_collections_built_by_duet_commands_load_in_redis(redis_factory, start_duet, tmp_path):
    """The same commands on both servers; Duet's own encodings go through its
    dump into Redis and come out equal, encodings included."""
    r = redis_factory("redis")
    rc = r.client()
    fill_dataset(rc)
    d = start_duet("--enable-debug-command", "yes", "--save", "", subdir="duet")
    dc = duet_client(d)
    try:
        fill_dataset(dc)
    except redis.exceptions.ResponseError as e:
        pytest.skip("collection commands missing: %s" % e)
    assert dc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")
    assert dc.save()
    (tmp_path / "target").mkdir()
    shutil.copy(os.path.join(d.dir, "dump.rdb"), tmp_path / "target" / "dump.rdb")
    t = redis_factory("target")
    tc = t.client()
    assert tc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")
    assert snapshot_of(tc) == snapshot_of(rc)


def test_both_directions_with_compression_off(redis_factory, start_duet, tmp_path):
    r = redis_factory("redis", "dump.rdb", "--rdbcompression", "no")
    rc = r.client()
    fill_dataset(rc)
    assert rc.save()
    d_dir = tmp_path / "duet"
    d_dir.mkdir()
    shutil.copy(os.path.join(r.dir, "dump.rdb"), d_dir / "dump.rdb")
    d = start_duet("--enable-debug-command", "yes", "--save", "", "--rdbcompression", "no",
                   subdir="duet")
    dc = duet_client(d)
    assert dc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")
    assert dc.save()
    shutil.copy(os.path.join(d.dir, "dump.rdb"), os.path.join(r.dir, "dump.rdb"))
    assert rc.execute_command("DEBUG", "RELOAD", "NOSAVE") == b"OK"
    assert dc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")


def test_dump_payloads_move_both_ways(redis_factory, start_duet):
    r = redis_factory("redis")
    rc = r.client()
    fill_dataset(rc)
    d = start_duet("--enable-debug-command", "yes", "--save", "", subdir="duet")
    dc = duet_client(d)
    copy_into_duet(rc, dc)  # Redis payloads restored in Duet
    rc.flushall()
    copy_into_duet(dc, rc)  # Duet payloads restored in Redis
    assert dc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")
    for k in (b"str", b"int", b"list:small", b"set:int", b"zset:small", b"hash:small"):
        assert dc.dump(k) == rc.dump(k), k


@pytest.mark.parametrize("name", ["encodings.rdb", "hash-zipmap.rdb", "hash-ziplist.rdb",
                                  "list-quicklist.rdb", "zset-ziplist.rdb"])
def test_legacy_assets_load_like_redis(name, redis_factory, start_duet, tmp_path):
    src = os.path.join(ASSETS, name)
    if not os.path.exists(src):
        pytest.skip("no rdb-assets")
    for sub in ("redis", "duet"):
        (tmp_path / sub).mkdir()
        shutil.copy(src, tmp_path / sub / "dump.rdb")
        os.chmod(tmp_path / sub / "dump.rdb", 0o644)
    r = redis_factory("redis")
    d = start_duet("--enable-debug-command", "yes", "--save", "", subdir="duet")
    rc, dc = r.client(), duet_client(d)
    assert dc.execute_command("DEBUG", "DIGEST") == rc.execute_command("DEBUG", "DIGEST")
    scratch = redis_factory("scratch").client()
    assert snapshot_of(dc, reader=scratch) == snapshot_of(rc)


def corrupt_start(start_duet, tmp_path, data):
    (tmp_path / "bad").mkdir(exist_ok=True)
    (tmp_path / "bad" / "dump.rdb").write_bytes(data)
    port = free_port()
    log = tmp_path / "bad" / "duet.log"
    from conftest import SERVER
    proc = subprocess.run([SERVER, "--port", str(port), "--bind", "127.0.0.1",
                           "--dir", str(tmp_path / "bad"), "--save", ""],
                          capture_output=True, text=True, timeout=30)
    return proc.returncode, proc.stdout + proc.stderr


def test_damaged_dump_stops_the_start_up(redis_factory, start_duet, tmp_path):
    r = redis_factory("redis")
    rc = r.client()
    fill_dataset(rc)
    assert rc.save()
    good = open(os.path.join(r.dir, "dump.rdb"), "rb").read()
    cases = {
        "magic": b"RIDES" + good[5:],
        "version": b"REDIS0011" + good[9:],
        "checksum": good[:-1] + bytes([good[-1] ^ 1]),
        "truncated": good[:len(good) // 2],
        "length": good[:-9] + b"\x00\x01k\x80\x40\x00\x00\x00" + good[-9:],
    }
    for what, data in cases.items():
        code, out = corrupt_start(start_duet, tmp_path, data)
        assert code != 0, what
        assert "Bad RDB file 'dump.rdb'" in out, (what, out)
        assert "offset" in out, (what, out)
        assert "Fatal error loading the DB, exiting." in out, (what, out)
        assert "Ready to accept connections" not in out, what


def test_sigterm_saves_and_restart_loads(start_duet, tmp_path):
    d = start_duet("--save", "3600 1", subdir="a")
    dc = duet_client(d)
    for i in range(100):
        dc.set("k%d" % i, i)
    dc.set("ttl", "x", px=600_000)
    assert d.stop(signal.SIGTERM) == 0
    assert "Saving the final RDB snapshot before exiting." in d.read_log()
    d2 = start_duet("--save", "3600 1", subdir="a")
    dc2 = duet_client(d2)
    assert dc2.dbsize() == 101
    assert dc2.get("k42") == b"42"
    assert 0 < dc2.pttl("ttl") <= 600_000
    try:
        dc2.execute_command("SHUTDOWN", "NOSAVE")
    except redis.exceptions.ConnectionError:
        pass  # no reply: the connection closes
    d2.proc.wait(10)
    assert os.path.getsize(os.path.join(d2.dir, "dump.rdb")) > 0


def test_loading_error_while_a_large_dump_loads(redis_factory, start_duet, tmp_path):
    r = redis_factory("redis")
    rc = r.client()
    p = rc.pipeline(transaction=False)
    for i in range(20000):
        p.set("key:%d" % i, "value-%d" % i)
    p.execute()
    assert rc.save()
    (tmp_path / "duet").mkdir()
    shutil.copy(os.path.join(r.dir, "dump.rdb"), tmp_path / "duet" / "dump.rdb")
    from conftest import SERVER
    port = free_port()
    log = open(tmp_path / "duet" / "duet.log", "w")
    proc = subprocess.Popen([SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir",
                             str(tmp_path / "duet"), "--save", "", "--key-load-delay", "100",
                             "--loading-process-events-interval-bytes", "1024"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        c = redis.Redis(port=port, socket_timeout=10)
        deadline = time.time() + 20
        seen_loading = seen_info = False
        while time.time() < deadline:
            try:
                c.get("key:1")
                break
            except redis.exceptions.BusyLoadingError as e:
                seen_loading = True
                assert str(e) == "Redis is loading the dataset in memory"
                info = c.info("persistence")  # INFO is allowed while loading
                if info["loading"] == 1:  # (the load may just have ended)
                    seen_info = True
                    assert 0 <= float(info["loading_loaded_perc"]) <= 100
                    assert info["loading_total_bytes"] > 0
                    assert "loading_eta_seconds" in info
                time.sleep(0.05)
            except redis.exceptions.ConnectionError:
                time.sleep(0.02)
        assert seen_loading and seen_info
        assert c.get("key:19999") == b"value-19999"
        assert c.dbsize() == 20000
        assert c.info("persistence")["loading"] == 0
    finally:
        proc.kill()
        proc.wait(10)
        log.close()


def test_shutdown_during_loading_exits_without_saving(redis_factory, tmp_path):
    r = redis_factory("redis")
    rc = r.client()
    p = rc.pipeline(transaction=False)
    for i in range(20000):
        p.set("key:%d" % i, "v")
    p.execute()
    assert rc.save()
    (tmp_path / "duet").mkdir()
    dump = tmp_path / "duet" / "dump.rdb"
    shutil.copy(os.path.join(r.dir, "dump.rdb"), dump)
    before = dump.read_bytes()
    from conftest import SERVER
    port = free_port()
    proc = subprocess.Popen([SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir",
                             str(tmp_path / "duet"), "--key-load-delay", "200",
                             "--loading-process-events-interval-bytes", "1024"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        c = redis.Redis(port=port, socket_timeout=10)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                c.ping()
                raise AssertionError("the load finished before SHUTDOWN")
            except redis.exceptions.BusyLoadingError:
                break  # loading: the moment to test
            except redis.exceptions.ConnectionError:
                time.sleep(0.02)
        try:
            c.execute_command("SHUTDOWN")
        except redis.exceptions.ConnectionError:
            pass
        assert proc.wait(20) == 0
        assert dump.read_bytes() == before  # not overwritten by a partial dataset
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_bgsave_while_clients_write_is_a_consistent_snapshot(start_duet, redis_factory,
                                                             tmp_path):
    d = start_duet("--save", "", "--enable-debug-command", "yes", subdir="duet")
    dc = duet_client(d)
    p = dc.pipeline(transaction=False)
    for i in range(50000):
        p.set("before:%d" % i, "x" * 20)
    p.execute()
    stop = threading.Event()
    errors = []

    def writer(n):
        c = duet_client(d)
        i = 0
        try:
            while not stop.is_set():
                pw = c.pipeline(transaction=False)
                for _ in range(100):
                    pw.set("w%d:%d" % (n, i), i)
                    pw.incr("counter:%d" % n)
                    i += 1
                pw.execute()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    try:
        # On one connection: everything before BGSAVE is in the snapshot,
        # nothing after it.
        pipe = dc.pipeline(transaction=False)
        pipe.set("marker:before", "1")
        pipe.execute_command("BGSAVE")
        pipe.set("marker:after", "1")
        res = pipe.execute()
        assert res[1] in (True, b"Background saving started")  # redis-py parses it
        # The server keeps answering during the save.
        t0 = time.time()
        assert dc.ping()
        assert time.time() - t0 < 1.0
        wait_bgsave(dc)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert not errors, errors
    info = dc.info("persistence")
    assert info["rdb_last_bgsave_status"] == "ok"
    dump = os.path.join(d.dir, "dump.rdb")
    if CHECK_RDB:
        out = subprocess.run([CHECK_RDB, dump], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stdout
    (tmp_path / "check").mkdir()
    shutil.copy(dump, tmp_path / "check" / "dump.rdb")
    r = redis_factory("check")
    rc = r.client()
    assert rc.get("marker:before") == b"1"
    assert rc.get("marker:after") is None
    assert rc.get("before:49999") == b"x" * 20
    # Each writer's counter matches the keys it had written at fork time.
    for n in range(3):
        cnt = int(rc.get("counter:%d" % n) or 0)
        assert rc.exists("w%d:%d" % (n, cnt - 1)) if cnt else True
        assert not rc.exists("w%d:%d" % (n, cnt + 1))


def test_save_points_trigger_bgsave(start_duet):
    d = start_duet("--save", "1 1", subdir="sp")
    dc = duet_client(d)
    dc.set("a", 1)
    wait_for_file(os.path.join(d.dir, "dump.rdb"))
    deadline = time.time() + 10
    while time.time() < deadline and dc.info("persistence")["rdb_changes_since_last_save"]:
        time.sleep(0.05)
    assert dc.info("persistence")["rdb_changes_since_last_save"] == 0
    assert "1 changes in 1 seconds. Saving..." in d.read_log()
    assert "Background saving terminated with success" in d.read_log()


def test_config_get_set_of_snapshot_directives(start_duet):
    d = start_duet("--save", "", subdir="cfg")
    dc = duet_client(d)
    assert dc.config_get("save") == {"save": ""}
    assert dc.config_set("save", "100 10 50 5")
    assert dc.config_get("save") == {"save": "100 10 50 5"}
    assert dc.config_get("rdbcompression") == {"rdbcompression": "yes"}
    assert dc.config_set("rdbcompression", "no")
    assert dc.config_get("dbfilename") == {"dbfilename": "dump.rdb"}
    with pytest.raises(redis.exceptions.ResponseError):
        dc.config_set("rdbchecksum", "no")  # immutable, as in Redis


def crc64_jones(data):
    """Bitwise CRC-64 as Redis computes it (reflected poly 0x95ac9329ac4bc9b5)."""
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x95AC9329AC4BC9B5 if crc & 1 else crc >> 1
    return crc


def test_memcached_flags_record_is_skipped_by_redis(redis_factory, start_duet, tmp_path):
    """Duet keeps memcached flags in a 'duet-mcflags' AUX record (format in
    persistence/rdb_format.h). Redis and redis-check-rdb must skip it."""
    def s(b):
        return bytes([len(b)]) + b
    flags = bytes([1, 0]) + s(b"mc") + (0xDEADBEEF).to_bytes(4, "little")
    body = (b"REDIS0010" + b"\xfa" + s(b"redis-ver") + s(b"7.0.15") + b"\xfe\x00\xfb\x01\x00" +
            b"\x00" + s(b"mc") + s(b"payload") + b"\xfa" + s(b"duet-mcflags") + s(flags) + b"\xff")
    data = body + crc64_jones(body).to_bytes(8, "little")
    for sub in ("redis", "duet"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "dump.rdb").write_bytes(data)
    if CHECK_RDB:
        out = subprocess.run([CHECK_RDB, str(tmp_path / "redis" / "dump.rdb")],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stdout
        assert "AUX FIELD duet-mcflags" in out.stdout
    r = redis_factory("redis")
    assert r.client().get("mc") == b"payload"
    d = start_duet("--save", "", subdir="duet")
    assert duet_client(d).get("mc") == b"payload"


def test_python_memcached_objects_survive_a_restart(start_duet, redis_factory, tmp_path):
    """Flags tell python-memcached how to decode a value (int, pickle, zlib);
    they are kept in the dump, which still loads in Redis."""
    memcache = pytest.importorskip("memcache")
    mc_port = free_port()
    d = start_duet("--memcached-port", str(mc_port), "--save", "3600 1", subdir="mc")
    mc = memcache.Client(["127.0.0.1:%d" % mc_port])
    profile = {"name": "ada", "langs": ["c", "python"]}
    assert mc.set("profile", profile)
    assert mc.set("answer", 42)
    assert mc.set("big", "z" * 20000, min_compress_len=100)  # zlib-compressed, flag set
    assert mc.set("plain", "text")
    for i in range(1500):  # more flagged keys than one AUX record holds
        assert mc.set("n:%d" % i, i)
    mc.disconnect_all()
    assert d.stop(signal.SIGTERM) == 0
    dump = os.path.join(d.dir, "dump.rdb")
    if CHECK_RDB:
        out = subprocess.run([CHECK_RDB, dump], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stdout
    mc_port2 = free_port()
    start_duet("--memcached-port", str(mc_port2), "--save", "", subdir="mc")
    mc2 = memcache.Client(["127.0.0.1:%d" % mc_port2])
    assert mc2.get("profile") == profile
    assert mc2.get("answer") == 42
    assert mc2.get("big") == "z" * 20000
    assert mc2.get("plain") == "text"
    assert mc2.get("n:1499") == 1499
    mc2.disconnect_all()
    (tmp_path / "redis").mkdir()
    shutil.copy(dump, tmp_path / "redis" / "dump.rdb")
    rc = redis_factory("redis").client()
    assert rc.get("plain") == b"text"
    assert rc.dbsize() == 1504


def test_idle_and_freq_records_move_both_ways(redis_factory, start_duet, tmp_path):
    """Under LRU policies the dump carries each key's idle time, under LFU its
    access counter, as Redis writes them."""
    r = redis_factory("redis", "dump.rdb", "--maxmemory-policy", "allkeys-lru")
    rc = r.client()
    rc.set("k", "v")
    rc.restore("old", 0, rc.dump("k"), idletime=1000)
    assert rc.save()
    (tmp_path / "duet").mkdir()
    shutil.copy(os.path.join(r.dir, "dump.rdb"), tmp_path / "duet" / "dump.rdb")
    d = start_duet("--save", "", "--maxmemory-policy", "allkeys-lru", subdir="duet")
    dc = duet_client(d)
    assert 1000 <= dc.object("idletime", "old") <= 1005
    # Duet under LFU writes FREQ; Redis under LFU reads it.
    dc.config_set("maxmemory-policy", "allkeys-lfu")
    dc.restore("hot", 0, dc.dump("k"), frequency=200)
    assert dc.object("freq", "hot") == 200
    assert dc.save()
    (tmp_path / "redis2").mkdir()
    shutil.copy(os.path.join(d.dir, "dump.rdb"), tmp_path / "redis2" / "dump.rdb")
    r2 = redis_factory("redis2", "dump.rdb", "--maxmemory-policy", "allkeys-lfu")
    assert r2.client().object("freq", "hot") == 200
