"""Lua scripting through redis-py: the library code paths web applications
rely on (Lock, rate limiters, register_script's NOSCRIPT retry) and the busy
script machinery (BUSY, SCRIPT KILL, SHUTDOWN NOSAVE)."""

import threading
import time

import pytest
import redis
from redis.exceptions import BusyLoadingError, LockNotOwnedError, NoScriptError, ResponseError


def client(port, **kw):
    kw.setdefault("socket_timeout", 10)
    return redis.Redis(host="127.0.0.1", port=port, decode_responses=True, **kw)


def test_lock_contention_from_threads(duet):
    """redis-py's Lock (Celery, Django) acquires, extends and releases with
    Lua; under contention the counter it guards must not lose updates."""
    counter_key = "counter"
    n_threads, rounds = 6, 25
    errors = []

    def worker():
        c = client(duet.port)
        try:
            for _ in range(rounds):
                lock = c.lock("resource", timeout=5, blocking_timeout=20, sleep=0.001)
                assert lock.acquire()
                try:
                    v = int(c.get(counter_key) or 0)
                    lock.extend(2)
                    c.set(counter_key, v + 1)
                finally:
                    lock.release()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    c = client(duet.port)
    assert int(c.get(counter_key)) == n_threads * rounds
    assert c.get("resource") is None

    # Releasing a lock someone else took is refused by the script.
    lock = c.lock("other", timeout=5)
    assert lock.acquire()
    c.set("other", "stolen")
    with pytest.raises(LockNotOwnedError):
        lock.release()
    c.close()


SLIDING_WINDOW = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1}
end
return {0, 0}
"""


def test_sliding_window_rate_limiter(r):
    limiter = r.register_script(SLIDING_WINDOW)
    allowed = []
    for i in range(8):
        ok, remaining = limiter(keys=["rl:user"], args=[1000 + i, 100, 5, "req%d" % i])
        allowed.append(ok)
    assert allowed == [1, 1, 1, 1, 1, 0, 0, 0]
    # The window slides: old requests fall out.
    ok, remaining = limiter(keys=["rl:user"], args=[1200, 100, 5, "late"])
    assert (ok, remaining) == (1, 4)
    assert r.zcard("rl:user") == 1
    assert 0 < r.pttl("rl:user") <= 100


def test_register_script_noscript_retry(r):
    script = r.register_script("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}")
    assert script(keys=["n"], args=["x"]) == ["n", "x", 1]
    r.script_flush()
    assert r.script_exists(script.sha) == [False]
    with pytest.raises(NoScriptError):
        r.evalsha(script.sha, 1, "n", "x")
    # The Script object falls back to EVAL on NOSCRIPT, which caches it again.
    assert script(keys=["n"], args=["x"]) == ["n", "x", 2]
    assert r.script_exists(script.sha) == [True]
    # Pipelines load the script first.
    with r.pipeline() as p:
        r.script_flush()
        script(keys=["n"], args=["y"], client=p)
        assert p.execute() == [["n", "y", 3]]


def test_conversions_and_errors(r):
    assert r.eval("return {1, 2.9, 'x', true, false, {ok='OK'}}", 0) == [1, 2, "x", 1, None,
                                                                           "OK"]
    with pytest.raises(ResponseError, match="^MYERR boom"):
        r.eval("return redis.error_reply('MYERR boom')", 0)
    with pytest.raises(ResponseError, match="Write commands are not allowed from read-only"):
        r.eval_ro("return redis.call('SET', KEYS[1], 1)", 1, "k")
    assert r.eval_ro("return redis.call('GET', KEYS[1])", 1, "k") is None
    with pytest.raises(ResponseError, match="nonexistent global variable 'nope'"):
        r.eval("return nope", 0)
    assert r.eval("return cjson.decode(ARGV[1]).a", 0, '{"a": 7}') == 7


def test_script_kill_and_busy(start_duet):
    d = start_duet("--busy-reply-threshold", "100")
    runner = client(d.port, socket_timeout=20)
    outcome = {}

    def run():
        try:
            runner.eval("while true do end", 0)
        except Exception as e:
            outcome["error"] = e

    # Connected before the script starts: a connection Asio accepts in the
    # same loop turn as the script's request waits for the script (see README).
    other = client(d.port)
    assert other.ping() is True
    t = threading.Thread(target=run)
    t.start()
    deadline = time.time() + 10
    busy = None
    while time.time() < deadline:
        try:
            other.ping()
            time.sleep(0.02)
        except (ResponseError, BusyLoadingError) as e:
            busy = str(e)
            break
    assert busy is not None and busy.startswith("BUSY Redis is busy running a script")
    with pytest.raises(ResponseError, match="BUSY|busy"):
        other.get("x")
    assert other.script_kill() is True
    t.join(10)
    assert "Script killed by user with SCRIPT KILL" in str(outcome.get("error"))
    assert other.ping() is True
    with pytest.raises(ResponseError, match="NOTBUSY"):
        other.script_kill()

    # A script that wrote cannot be killed; SHUTDOWN NOSAVE still stops the server.
    t = threading.Thread(target=lambda: run_writer(d.port))
    t.start()
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            other.ping()
            time.sleep(0.02)
        except (ResponseError, BusyLoadingError):
            break
    with pytest.raises(ResponseError, match="UNKILLABLE"):
        other.script_kill()
    with pytest.raises(ResponseError, match="BUSY|busy"):
        other.execute_command("SHUTDOWN")
    try:
        other.execute_command("SHUTDOWN", "NOSAVE")
    except redis.ConnectionError:
        pass
    d.proc.wait(10)
    t.join(10)
    assert d.proc.returncode is not None


def run_writer(port):
    try:
        client(port, socket_timeout=20).eval("redis.call('SET','w','1') while true do end", 0)
    except Exception:
        pass


LIB = """#!lua name=counters
local function bump(keys, args)
  return redis.call('INCRBY', keys[1], args[1])
end
redis.register_function('bump', bump)
redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end,
                        flags={'no-writes'}, description='reads a counter'}
"""


def test_functions_survive_restart_and_load_in_redis(start_duet, tmp_path):
    import shutil
    import subprocess
    d = start_duet(subdir="duet")
    c = client(d.port)
    assert c.execute_command("FUNCTION", "LOAD", LIB) == "counters"
    assert c.execute_command("FCALL", "bump", 1, "n", 5) == 5
    assert c.execute_command("FCALL_RO", "peek", 1, "n") == "5"
    with pytest.raises(ResponseError, match="write flag using \\*_ro"):
        c.execute_command("FCALL_RO", "bump", 1, "n", 1)
    assert c.save() is True
    c.close()
    d.stop()
    rdb = tmp_path / "duet" / "dump.rdb"

    # Duet reads its own file back, functions included.
    d2 = start_duet(subdir="duet")
    c2 = client(d2.port)
    assert c2.execute_command("FCALL", "bump", 1, "n", 1) == 6
    libs = c2.execute_command("FUNCTION", "LIST")
    assert libs[0][1] == "counters"
    dump = redis.Redis(host="127.0.0.1", port=d2.port).execute_command("FUNCTION", "DUMP")
    c2.execute_command("FUNCTION", "FLUSH")
    with pytest.raises(ResponseError, match="Function not found"):
        c2.execute_command("FCALL", "bump", 1, "n", 1)
    raw = redis.Redis(host="127.0.0.1", port=d2.port)
    assert raw.execute_command("FUNCTION", "RESTORE", dump) == b"OK"
    assert c2.execute_command("FCALL", "bump", 1, "n", 1) == 7
    c2.close()

    # Redis 7.0 loads the file Duet wrote, with the library.
    if shutil.which("redis-server") is None:
        return
    from conftest import free_port
    port = free_port()
    rdir = tmp_path / "redis"
    rdir.mkdir()
    shutil.copy(rdb, rdir / "dump.rdb")
    p = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir",
                          str(rdir), "--appendonly", "no", "--save", ""],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rc = None
        for _ in range(100):
            try:
                rc = client(port)
                rc.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        assert rc.execute_command("FCALL", "bump", 1, "n", 10) == 15
    finally:
        p.terminate()
        p.wait(10)


def test_function_kill(start_duet):
    d = start_duet("--busy-reply-threshold", "100")
    c = client(d.port)
    c.execute_command("FUNCTION", "LOAD",
                      "#!lua name=spin\nredis.register_function('spin', function() while true do end end)")
    runner = client(d.port, socket_timeout=20)
    outcome = {}

    def run():
        try:
            runner.execute_command("FCALL", "spin", 0)
        except Exception as e:
            outcome["error"] = e

    t = threading.Thread(target=run)
    t.start()
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            c.ping()
            time.sleep(0.02)
        except ResponseError as e:
            assert "FUNCTION KILL" in str(e)
            break
    stats = c.execute_command("FUNCTION", "STATS")
    running = dict(zip(stats[1][::2], stats[1][1::2]))
    assert running["name"] == "spin"
    assert running["command"] == ["FCALL", "spin", "0"]
    with pytest.raises(ResponseError, match="BUSY"):
        c.script_kill()
    assert c.execute_command("FUNCTION", "KILL") == "OK"
    t.join(10)
    assert "Script killed by user" in str(outcome.get("error"))
    assert c.ping() is True
