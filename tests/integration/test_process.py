"""Running as a service: daemonize, pidfile, log file reopening, crash report."""
import os
import signal
import subprocess
import time

import redis

from conftest import SERVER, free_port


def _wait(pred, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_daemonize_writes_and_removes_pidfile(tmp_path):
    port = free_port()
    pidfile = tmp_path / "duet.pid"
    log = tmp_path / "duet.log"
    out = subprocess.run([SERVER, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes",
                          "--pidfile", str(pidfile), "--logfile", str(log), "--dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 0  # the parent returns at once
    assert _wait(pidfile.exists)
    pid = int(pidfile.read_text())
    try:
        assert redis.Redis(port=port).ping() is True
        assert "Ready to accept connections" in log.read_text()
    finally:
        os.kill(pid, signal.SIGTERM)
    assert _wait(lambda: not pidfile.exists())
    assert "ready to exit" in log.read_text()


def test_sighup_reopens_a_rotated_log(start_duet, tmp_path):
    log = tmp_path / "rotating.log"
    d = start_duet("--logfile", str(log))
    os.rename(log, tmp_path / "rotating.log.1")
    os.kill(d.proc.pid, signal.SIGHUP)
    assert _wait(lambda: log.exists() and "log file reopened" in log.read_text())


def test_crash_report_on_debug_segfault(start_duet, tmp_path):
    log = tmp_path / "crash.log"
    d = start_duet("--logfile", str(log), "--enable-debug-command", "yes")
    c = redis.Redis(port=d.port)
    try:
        c.execute_command("DEBUG", "SEGFAULT")
    except redis.ConnectionError:
        pass
    d.proc.wait(10)
    assert d.proc.returncode == -signal.SIGSEGV
    text = log.read_text()
    assert "DUET BUG REPORT START" in text
    assert "Command being run: debug" in text
    assert "STACK TRACE" in text and "_ZN4duet" in text  # mangled names of our frames
