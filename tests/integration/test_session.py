"""The interactive session a new user types into redis-cli, and basics of the
protocol as real clients see them."""
import socket

from conftest import cli


def test_first_session_with_redis_cli(duet):
    p = duet.port
    assert cli(p, "set", "foo", "bar") == "OK\n"
    assert cli(p, "get", "foo") == "bar\n"
    assert cli(p, "set", "name", "Jason") == "OK\n"
    assert sorted(cli(p, "KEYS", "*").split()) == ["foo", "name"]
    assert cli(p, "KEYS", "?") == "\n"
    assert cli(p, "KEYS", "?name") == "\n"
    assert cli(p, "KEYS", "????") == "name\n"
    out = cli(p, "KEYS", "?", "name")
    assert "wrong number of arguments for 'keys' command" in out
    assert cli(p, "EXISTS", "name") == "1\n"
    assert cli(p, "del", "name") == "1\n"
    assert cli(p, "del", "test1", "test2") == "0\n"
    assert cli(p, "TYPE", "hobby") == "none\n"
    assert cli(p, "TYPE", "foo") == "string\n"
    # SELECT then SET in the same connection: pipe both through one redis-cli.
    out = cli(p, input_text="SELECT 1\nset age 23\n")
    assert out.split() == ["OK", "OK"]
    info = cli(p, "INFO", "keyspace")
    assert "db0:keys=1,expires=0,avg_ttl=0" in info
    assert "db1:keys=1,expires=0,avg_ttl=0" in info


def test_redis_py_basics(r):
    assert r.ping() is True
    assert r.set("k", "v", ex=100) is True
    assert r.get("k") == "v"
    assert 99 <= r.ttl("k") <= 100
    assert r.incr("n") == 1
    assert r.incrbyfloat("f", 1.5) == 1.5
    assert r.mset({"a": "1", "b": "2"}) is True
    assert r.mget("a", "b", "c") == ["1", "2", None]
    assert r.info("server")["redis_version"] == "7.0.15"
    assert r.dbsize() == 5
    assert sorted(r.scan_iter(match="[ab]")) == ["a", "b"]


def test_inline_commands_like_telnet(duet):
    with socket.create_connection(("127.0.0.1", duet.port)) as s:
        s.sendall(b"PING\r\nset greeting \"hello world\"\r\nget greeting\r\n")
        data = b""
        while data.count(b"\r\n") < 4:
            data += s.recv(4096)
        assert data == b"+PONG\r\n+OK\r\n$11\r\nhello world\r\n"


def test_pipeline_replies_leave_in_order(duet):
    with socket.create_connection(("127.0.0.1", duet.port)) as s:
        req = b"".join(b"*3\r\n$3\r\nSET\r\n$2\r\nk%d\r\n$1\r\n%d\r\n" % (i % 10, i % 10)
                       for i in range(1000))
        req += b"*1\r\n$6\r\nDBSIZE\r\n"
        s.sendall(req)
        want = b"+OK\r\n" * 1000 + b":10\r\n"
        data = b""
        while len(data) < len(want):
            chunk = s.recv(65536)
            assert chunk
            data += chunk
        assert data == want


def test_protocol_error_closes_only_that_connection(duet):
    with socket.create_connection(("127.0.0.1", duet.port)) as bad:
        bad.sendall(b"*1\r\n$abc\r\n")
        data = bad.recv(4096)
        assert data == b"-ERR Protocol error: invalid bulk length\r\n"
        assert bad.recv(4096) == b""  # closed by the server
    assert cli(duet.port, "PING") == "PONG\n"


def test_sigterm_stops_cleanly(start_duet):
    d = start_duet()
    assert d.stop() == 0
    assert "ready to exit" in d.read_log()
