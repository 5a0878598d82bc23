"""Start-up configuration paths of the real binary: fatal errors (compared with
redis-server 7.0.15's own report when it is installed), directives accepted
with a warning, include, stdin, command-line overrides, the log format and
the start banner."""
import os
import re
import shutil
import subprocess

import pytest
import redis

from conftest import SERVER, free_port

VERSION_HEADER = re.compile(r"\*\*\* FATAL CONFIG FILE ERROR \((Duet|Redis) [^)]*\) \*\*\*")

BAD_CONFIGS = [
    # (file text, extra arguments)
    ("port 6400\nport abc\n", []),
    ("hz 10\nmaxmemory 12qb\n", []),
    ("protected-mode maybe\n", []),
    ("save 10\n", []),
    ("hz 10\n", ["--port", "abc"]),
    ("hz 10\nloglevel loud\n", ["--hz", "20"]),
    ("notify-keyspace-events \"Kx\n", []),
    ("not-a-directive yes\n", []),
    ("maxmemory-policy allkeys-lfu extra\n", []),
]


def run(binary, conf_text, args, tmp_path, stdin=None):
    conf = tmp_path / "bad.conf"
    conf.write_text(conf_text)
    argv = [binary, str(conf)] if conf_text is not None else [binary]
    return subprocess.run(argv + list(args), capture_output=True, text=True, timeout=10,
                          input=stdin, cwd=tmp_path)


@pytest.mark.parametrize("text,args", BAD_CONFIGS)
def test_fatal_config_errors(tmp_path, text, args):
    out = run(SERVER, text, args, tmp_path)
    assert out.returncode == 1
    assert "*** FATAL CONFIG FILE ERROR (Duet " in out.stderr
    assert re.search(r"Reading the configuration file, at line \d+\n>>> '.*'\n", out.stderr)
    if shutil.which("redis-server"):
        theirs = run("redis-server", text, args, tmp_path)
        assert theirs.returncode == 1
        norm = lambda s: VERSION_HEADER.sub("HEADER", s).strip()  # noqa: E731
        assert norm(out.stderr) == norm(theirs.stderr + theirs.stdout)


def test_bind_without_addresses(tmp_path, start_duet):
    out = run(SERVER, "bind\n", ["--port", str(free_port())], tmp_path)
    assert out.returncode == 1
    assert "# Configured to not listen anywhere, exiting." in out.stdout
    # With a Unix socket, that is the only listener.
    path = str(tmp_path / "only.sock")
    proc = subprocess.Popen([SERVER, "--bind", "", "--unixsocket", path, "--save", ""],
                            stdout=subprocess.DEVNULL, cwd=tmp_path)
    try:
        r = redis.Redis(unix_socket_path=path)
        for _ in range(200):
            try:
                assert r.ping()
                break
            except (redis.ConnectionError, FileNotFoundError):
                import time
                time.sleep(0.02)
        else:
            pytest.fail("no Unix socket")
    finally:
        proc.terminate()
        proc.wait(10)


def test_missing_config_file(tmp_path):
    out = subprocess.run([SERVER, str(tmp_path / "nope.conf")], capture_output=True, text=True,
                         timeout=10)
    assert out.returncode == 1
    assert "Fatal error, can't open config file '%s'" % (tmp_path / "nope.conf") in out.stderr


def test_redis_only_directives_warn_once(start_duet):
    d = start_duet(config_text="io-threads 4\nio-threads 2\nactivedefrag no\n")
    r = redis.Redis(port=d.port)
    assert r.ping()
    log = d.read_log()
    assert log.count("'io-threads' is accepted for compatibility") == 1
    assert log.count("'activedefrag' is accepted for compatibility") == 1


def test_include_and_overrides(start_duet, tmp_path):
    inc = tmp_path / "inc.conf"
    inc.write_text("hz 33\nmaxmemory-samples 7\n")
    # The file sets maxmemory-samples after the include; the command line wins over both.
    d = start_duet("--maxmemory-samples", "9",
                   config_text="include %s\nmaxmemory-samples 8\nlatency-monitor-threshold 5\n" % inc)
    r = redis.Redis(port=d.port, decode_responses=True)
    assert r.config_get("hz") == {"hz": "33"}
    assert r.config_get("maxmemory-samples") == {"maxmemory-samples": "9"}
    assert r.config_get("latency-monitor-threshold") == {"latency-monitor-threshold": "5"}


def test_config_from_stdin(tmp_path):
    port = free_port()
    proc = subprocess.Popen([SERVER, "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        proc.stdin.write(b"port %d\nbind 127.0.0.1\nsave \"\"\nhz 44\n" % port)
        proc.stdin.close()
        r = redis.Redis(port=port, decode_responses=True)
        for _ in range(200):
            try:
                assert r.config_get("hz") == {"hz": "44"}
                break
            except redis.ConnectionError:
                import time
                time.sleep(0.02)
        else:
            pytest.fail("server from stdin did not start")
        # Without a file there is nothing to rewrite.
        with pytest.raises(redis.ResponseError, match="without a config file"):
            r.execute_command("CONFIG", "REWRITE")
    finally:
        proc.terminate()
        proc.wait(10)


LOG_LINE = re.compile(r"^\d+:[CM] \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] .+$")


def test_log_format_and_banner(start_duet):
    d = start_duet(config_text="loglevel warning\n")
    lines = [l for l in d.read_log().splitlines() if l]
    assert lines and all(LOG_LINE.match(l) for l in lines), lines
    text = "\n".join(lines)
    # Shown even at loglevel warning: the banner and the configuration file.
    assert re.search(r":C .* # oO0OoO0OoO0Oo Duet is starting oO0OoO0OoO0Oo$", text, re.M)
    assert re.search(r":C .* # Duet version=\S+, bits=64, pid=%d, just started$" % d.proc.pid,
                     text, re.M)
    assert re.search(r":C .* # Configuration loaded from %s$" % re.escape(
        os.path.join(d.dir, "duet.conf")), text, re.M)
    assert re.search(r":M .* # Server initialized$", text, re.M)
    # Notices are below loglevel warning.
    assert " * " not in text
