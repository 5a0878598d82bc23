"""INFO and CLIENT LIST/INFO compared with a real redis-server 7.0.15 (skipped
when it is not installed): the same requests go to both servers, then the
field names (and their order) must agree, apart from the documented
differences below."""
import re
import shutil
import socket
import subprocess
import time

import pytest
import redis

from conftest import free_port

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server not installed")

# Fields only Duet reports.
DUET_ONLY = {
    "server": {"server_name", "duet_version"},
}


def allowed_difference(section, field):
    if field in DUET_ONLY.get(section, ()):
        return True
    # aof_* fields are added by the AOF work (some only appear while AOF is on).
    if section == "persistence" and field.startswith("aof_"):
        return True
    return False


@pytest.fixture
def real(tmp_path):
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.02)
    yield port
    client.close()
    proc.terminate()
    proc.wait(10)


def raw_info_text(port, *sections):
    c = redis.Redis(port=port)
    conn = c.connection_pool.get_connection("INFO")
    try:
        conn.send_command("INFO", *sections)
        text = conn.read_response(disable_decoding=True).decode()
    finally:
        c.connection_pool.release(conn)
        c.close()
    return text.split("\r\n")


def raw_info(port, *sections):
    out, current = {}, None
    for line in raw_info_text(port, *sections):
        if line.startswith("# "):
            current = line[2:].lower()
            out[current] = []
        elif line:
            out[current].append(line.split(":", 1)[0])
    return out


def same_workload(port):
    c = redis.Redis(port=port)
    c.config_resetstat()  # the real server's readiness PING goes
    c.set("k", "v")
    c.get("k")
    c.get("missing")
    c.expire("k", 100)
    with pytest.raises(redis.ResponseError):
        c.lpush("k", "x")  # WRONGTYPE: an errorstat
    c.select(3)  # a second keyspace line would need keys; db 0 has one
    c.execute_command("CLIENT", "LIST")
    c.close()


@pytest.mark.parametrize("args", [(), ("default",), ("all",), ("everything",),
                                  ("server", "clients"), ("CPU", "keyspace", "errorstats"),
                                  ("commandstats",), ("latencystats",), ("nosuchsection",)])
def test_info_field_names_match_redis(duet, real, args):
    same_workload(duet.port)
    same_workload(real)
    ours = raw_info(duet.port, *args)
    theirs = raw_info(real, *args)
    assert list(ours) == list(theirs)
    for section, their_fields in theirs.items():
        our_fields = ours[section]
        if section in ("commandstats", "latencystats"):
            # One line per command called, in a hash order in Redis.
            assert sorted(our_fields) == sorted(their_fields), section
            continue
        missing = [f for f in their_fields if f not in our_fields
                   and not allowed_difference(section, f)]
        extra = [f for f in our_fields if f not in their_fields
                 and not allowed_difference(section, f)]
        assert not missing and not extra, (section, missing, extra)
        common = [f for f in their_fields if f in our_fields]
        assert [f for f in our_fields if f in their_fields] == common, section


def test_latencystats_line_format(duet):
    c = redis.Redis(port=duet.port, decode_responses=True)
    c.set("a", 1)
    c.config_set("latency-tracking-info-percentiles", "50 99.99 100")
    text = "\n".join(raw_info_text(duet.port, "latencystats"))
    assert re.search(r"^latency_percentiles_usec_set:p50=\d+\.\d{3},p99\.99=\d+\.\d{3},"
                     r"p100=\d+\.\d{3}$", text, re.M), text
    c.execute_command("CONFIG", "RESETSTAT")
    assert "latency_percentiles_usec_set" not in "\n".join(raw_info_text(duet.port, "latencystats"))


def client_line(sock, *cmd):
    payload = b"*%d\r\n" % len(cmd) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in cmd)
    sock.sendall(payload)
    sock.settimeout(5)
    return sock.recv(65536)  # every reply here is one short packet


def client_fields(port, setup):
    """CLIENT LIST line of a client after `setup` commands, seen from another client."""
    s = socket.create_connection(("127.0.0.1", port))
    for cmd in setup:
        client_line(s, *cmd)
    time.sleep(0.05)
    c = redis.Redis(port=port, decode_responses=True)
    my_id = None
    for line in c.execute_command("CLIENT", "LIST").split("\n"):
        if line and "cmd=client|list" not in line:
            my_id = line
    c.close()
    s.close()
    pairs = [kv.split("=", 1) for kv in my_id.split(" ")]
    return [k for k, _ in pairs], dict(pairs)


@pytest.mark.parametrize("setup,flags", [
    ([], "N"),
    ([(b"MULTI",)], "x"),
    ([(b"SUBSCRIBE", b"ch")], "P"),
    ([(b"MONITOR",)], "O"),
    ([(b"CLIENT", b"NO-EVICT", b"on")], "e"),
])
def test_client_list_fields_match_redis(duet, real, setup, flags):
    our_names, ours = client_fields(duet.port, setup)
    their_names, theirs = client_fields(real, setup)
    assert our_names == their_names
    assert ours["flags"] == theirs["flags"] == flags
    for field in ("db", "sub", "psub", "ssub", "multi", "cmd", "user", "redir", "resp", "name"):
        assert ours[field] == theirs[field], field


def test_client_info_field_order(duet, real):
    names = []
    for port in (duet.port, real):
        c = redis.Redis(port=port, decode_responses=True)
        names.append([kv.split("=", 1)[0] for kv in c.execute_command("CLIENT", "INFO").split()])
        c.close()
    assert names[0] == names[1] == [
        "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub",
        "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
        "tot-mem", "events", "cmd", "user", "redir", "resp"]
