"""Passwords and ACL users as applications meet them through redis-py and
redis-cli: a password-protected server, users limited to some commands and
keys, users that survive restarts, and protected mode."""
import os
import socket
import subprocess

import pytest
import redis

from conftest import cli

NOAUTH = "NOAUTH Authentication required."
WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled."


def connect(port, **kw):
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=10, decode_responses=True,
                       **kw)


def send_raw(port, payload, host="127.0.0.1"):
    """Sends raw bytes (if any), returns everything the server answers until
    it is quiet for a moment or closes."""
    with socket.create_connection((host, port), timeout=2) as s:
        if payload:
            s.sendall(payload)
        s.settimeout(0.5)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        return data


def test_password_protected_server(start_duet):
    d = start_duet("--requirepass", "s3cret")
    anon = connect(d.port)
    with pytest.raises(redis.exceptions.AuthenticationError) as err:
        anon.get("k")
    assert str(err.value) == "Authentication required."
    assert cli(d.port, "GET", "k").strip() == NOAUTH
    assert cli(d.port, "PING").strip() == NOAUTH

    with pytest.raises(redis.exceptions.RedisError) as err:
        connect(d.port, password="wrong").ping()
    assert "invalid" in str(err.value).lower()

    r = connect(d.port, password="s3cret")
    assert r.set("k", "v") is True
    assert r.get("k") == "v"
    r2 = connect(d.port, username="default", password="s3cret")
    assert r2.get("k") == "v"
    assert r2.acl_whoami() == "default"
    assert cli(d.port, "-a", "s3cret", "--no-auth-warning", "GET", "k") == "v\n"

    # HELLO with AUTH authenticates and picks the protocol in one step.
    out = send_raw(d.port, b"HELLO 2 AUTH default wrong\r\nGET k\r\n"
                           b"HELLO 2 AUTH default s3cret\r\nGET k\r\n")
    assert out.startswith(("-%s\r\n-%s\r\n*14\r\n" % (WRONGPASS, NOAUTH)).encode()), out
    assert out.endswith(b"$1\r\nv\r\n")
    out = send_raw(d.port, b"HELLO 3\r\n")
    assert out.startswith(b"-NOAUTH HELLO must be called with the client already authenticated")

    # A new password applies to new connections.
    assert r.config_set("requirepass", "n3w") is True
    assert r.get("k") == "v"
    with pytest.raises(redis.exceptions.RedisError):
        connect(d.port, password="s3cret").ping()
    assert connect(d.port, password="n3w").ping() is True


def test_password_from_the_configuration_file(start_duet):
    d = start_duet(config_text="requirepass fromfile\n")
    assert cli(d.port, "GET", "k").strip() == NOAUTH
    assert connect(d.port, password="fromfile").ping() is True


def test_acl_users_with_categories_and_key_patterns(start_duet):
    d = start_duet()
    admin = connect(d.port)
    assert admin.acl_setuser("cache", enabled=True, passwords=["+pw1"], keys=["cache:*"],
                             commands=["+@read", "+@write", "-@dangerous"]) is True
    assert admin.execute_command("ACL", "SETUSER", "reader", "on", "nopass", "%R~*", "+@read",
                                 "+@connection") == "OK"
    assert "cache" in admin.acl_users()

    app = connect(d.port, username="cache", password="pw1")
    assert app.set("cache:page:1", "<html>") is True
    assert app.get("cache:page:1") == "<html>"
    assert app.incr("cache:hits") == 1
    with pytest.raises(redis.exceptions.NoPermissionError) as err:
        app.set("session:1", "x")
    assert str(err.value) == \
        "this user has no permissions to access one of the keys used as arguments"
    with pytest.raises(redis.exceptions.NoPermissionError) as err:
        app.flushall()
    assert str(err.value) == "this user has no permissions to run the 'flushall' command"
    with pytest.raises(redis.exceptions.NoPermissionError) as err:
        app.acl_whoami()
    assert str(err.value) == "this user has no permissions to run the 'acl|whoami' command"
    with pytest.raises(redis.exceptions.NoPermissionError):
        app.mget("cache:page:1", "other")

    ro = connect(d.port, username="reader", password="anything")
    assert ro.get("cache:page:1") == "<html>"
    assert ro.ping() is True
    with pytest.raises(redis.exceptions.NoPermissionError):
        ro.set("cache:page:1", "x")

    log = admin.acl_log()
    reasons = {(e["reason"], e["object"]) for e in log}
    assert ("key", "session:1") in reasons
    assert ("command", "flushall") in reasons
    assert admin.execute_command("ACL", "DRYRUN", "cache", "get", "other") == \
        "This user has no permissions to access the 'other' key"
    user = admin.acl_getuser("cache")
    assert "on" in user["flags"]
    assert user["keys"] == ["~cache:*"]

    # Deleting a user closes its connections; redis-py's reconnection then
    # fails to log in.
    assert admin.acl_deluser("cache") == 1
    with pytest.raises((redis.exceptions.ConnectionError, redis.exceptions.ResponseError)) as err:
        app.get("cache:page:1")
    assert isinstance(err.value, redis.exceptions.ConnectionError) or str(err.value) == WRONGPASS
    assert not any(c.get("user") == "cache" for c in admin.client_list())


def test_users_survive_restarts_in_config_and_acl_file(start_duet, tmp_path):
    conf = ("user alice on >alicepw ~app:* +@all\n"
            "user default on nopass ~* &* +@all\n")
    d = start_duet(config_text=conf, subdir="conf")
    assert connect(d.port, username="alice", password="alicepw").set("app:x", "1") is True
    d.stop()
    d = start_duet(config_text=conf, subdir="conf")
    alice = connect(d.port, username="alice", password="alicepw")
    # The user is back; the data too, saved at shutdown by the default save points.
    assert alice.get("app:x") == "1"
    with pytest.raises(redis.exceptions.NoPermissionError):
        alice.get("other")
    d.stop()

    acl = tmp_path / "users.acl"
    acl.write_text("user bob on >bobpw ~bob:* +@all\n")
    d = start_duet("--aclfile", str(acl), subdir="aclfile")
    admin = connect(d.port)
    assert connect(d.port, username="bob", password="bobpw").set("bob:1", "x") is True
    assert admin.acl_setuser("carol", enabled=True, passwords=["+carolpw"], keys=["*"],
                             commands=["+@all"]) is True
    assert admin.acl_save() is True
    text = acl.read_text()
    assert text.startswith("user bob on #")
    assert "user carol on #" in text
    assert "user default on nopass ~* &* +@all\n" in text
    d.stop()
    d = start_duet("--aclfile", str(acl), subdir="aclfile2")
    admin = connect(d.port)
    assert connect(d.port, username="carol", password="carolpw").ping() is True
    # Edit the file and reload it.
    acl.write_text(text + "user dave on nopass +ping\n")
    assert admin.acl_load() is True
    assert connect(d.port, username="dave", password="x").ping() is True
    acl.write_text("user broken on foo\n")
    with pytest.raises(redis.exceptions.ResponseError) as err:
        admin.acl_load()
    assert str(err.value).endswith(
        "WARNING: ACL errors detected, no change to the previously active ACL rules was "
        "performed")
    assert "dave" in admin.acl_users()


def test_bad_user_directive_stops_startup(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("user bob on >pw foo\n")
    server = os.environ.get("DUET_SERVER") or os.path.join(
        os.path.dirname(__file__), "..", "..", "build", "duet-server")
    out = subprocess.run([server, str(conf), "--port", "0"], capture_output=True, text=True,
                         timeout=10)
    assert out.returncode == 1
    assert "Error in user declaration 'on': Syntax error" in out.stderr + out.stdout


def outside_address():
    """A local IPv4 address that is not loopback, or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.123", 9))  # no packet is sent
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def test_protected_mode_refuses_outside_clients(start_duet):
    addr = outside_address()
    if addr is None:
        pytest.skip("no non-loopback IPv4 address on this machine")
    d = start_duet("--bind", "127.0.0.1", addr)
    # The refusal comes as soon as the connection is accepted.
    out = send_raw(d.port, b"", host=addr)
    assert out.startswith(b"-DENIED Redis is running in protected mode because protected mode is "
                          b"enabled and no password is set for the default user.")
    assert out.endswith(b"outside.\r\n")
    # With a password, outside clients may connect (and must AUTH).
    d2 = start_duet("--bind", "127.0.0.1", addr, "--requirepass", "pw", subdir="pw")
    assert send_raw(d2.port, b"PING\r\n", host=addr) == ("-%s\r\n" % NOAUTH).encode()
