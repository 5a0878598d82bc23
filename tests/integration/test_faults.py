"""Faults on the disk side: a full disk during BGSAVE and SAVE, and a BGSAVE
child killed with SIGKILL. In both, the save fails visibly
(rdb_last_bgsave_status:err, writes refused with MISCONF while save points
are set), no temp file is left behind, and the previous dump stays intact and
loadable."""
import hashlib
import os
import signal
import time

import pytest
import redis

MISCONF = ("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
           "persist to disk. Commands that may modify the data set are disabled, because this "
           "instance is configured to report errors during writes if RDB snapshotting fails "
           "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about "
           "the RDB error.")


def wait_bgsave(r, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if r.info("persistence")["rdb_bgsave_in_progress"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("BGSAVE did not finish")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def keys_in_dump(start_duet, tmp_path, path, subdir):
    """Starts another server on a copy of the dump; returns its key count."""
    (tmp_path / subdir).mkdir()
    with open(path, "rb") as src, open(tmp_path / subdir / "dump.rdb", "wb") as dst:
        dst.write(src.read())
    d = start_duet(subdir=subdir)
    n = redis.Redis(port=d.port).dbsize()
    d.stop()
    return n


def test_disk_full_fails_the_save_and_keeps_the_old_dump(start_duet, small_disk, tmp_path):
    d = start_duet("--dir", str(small_disk), "--save", "3600 1", "--rdbcompression", "no")
    r = redis.Redis(port=d.port, socket_timeout=30)
    r.mset({f"k{i}": "v" for i in range(100)})
    assert r.save() is True
    dump = os.path.join(str(small_disk), "dump.rdb")
    before = digest(dump)
    # 3 MB that cannot be compressed: more than the disk holds.
    for i in range(3):
        r.set(f"big{i}", os.urandom(1024 * 1024))
    assert r.bgsave()
    wait_bgsave(r)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "err"
    with pytest.raises(redis.ResponseError) as e:
        r.set("x", "y")
    assert str(e.value) == MISCONF
    assert r.get("k1") == b"v"  # reads still work
    with pytest.raises(redis.ResponseError):
        r.save()  # the foreground save hits the same wall
    assert digest(dump) == before
    assert sorted(os.listdir(str(small_disk))) == ["dump.rdb"]  # no temp file left
    r.config_set("save", "")  # no save at SIGTERM
    d.stop()
    assert digest(dump) == before
    assert keys_in_dump(start_duet, tmp_path, dump, "reload") == 100


def test_killed_bgsave_child_keeps_the_old_dump(start_duet, tmp_path):
    d = start_duet("--save", "3600 1", subdir="kill")
    r = redis.Redis(port=d.port, socket_timeout=30)
    r.mset({f"k{i}": "v" for i in range(50)})
    assert r.save() is True
    dump = os.path.join(d.dir, "dump.rdb")
    before = digest(dump)
    r.mset({f"n{i}": "v" for i in range(50)})
    r.config_set("rdb-key-save-delay", 100000)  # 0.1 s per key: a long save
    assert r.bgsave()
    children = []
    deadline = time.time() + 5
    while not children and time.time() < deadline:
        with open(f"/proc/{d.proc.pid}/task/{d.proc.pid}/children") as f:
            children = [int(p) for p in f.read().split()]
        time.sleep(0.02)
    assert len(children) == 1
    time.sleep(0.3)  # let it write part of the temp file
    os.kill(children[0], signal.SIGKILL)
    wait_bgsave(r)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "err"
    with pytest.raises(redis.ResponseError) as e:
        r.set("x", "y")
    assert str(e.value) == MISCONF
    assert digest(dump) == before
    leftovers = [f for f in os.listdir(d.dir) if f.startswith("temp-")]
    assert leftovers == []
    r.config_set("rdb-key-save-delay", 0)
    assert keys_in_dump(start_duet, tmp_path, dump, "reload") == 50
    # A good save clears the error.
    assert r.save() is True
    assert r.set("x", "y") is True
