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


INIT_SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "conf", "init.d", "duet")


def _init(action, conf, env_extra=None):
    env = dict(os.environ, DUET_CONF=str(conf), DUET_EXEC=SERVER, DUET_STOP_TIMEOUT="10")
    return subprocess.run(["sh", INIT_SCRIPT, action], capture_output=True, text=True,
                          timeout=30, env=env)


def test_init_script_start_status_stop(tmp_path):
    port = free_port()
    pidfile = tmp_path / "duet.pid"
    conf = tmp_path / "6379.conf"
    conf.write_text(f"port {port}\nbind 127.0.0.1\npidfile {pidfile}\n"
                    f"logfile {tmp_path}/duet.log\ndir {tmp_path}\n")
    try:
        out = _init("start", conf)
        assert out.returncode == 0, out.stdout + out.stderr
        assert pidfile.exists()
        assert _init("status", conf).returncode == 0
        assert redis.Redis(port=port).ping() is True
        again = _init("start", conf)
        assert again.returncode == 0 and "already running" in again.stdout
    finally:
        out = _init("stop", conf)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not pidfile.exists()
    st = _init("status", conf)
    assert st.returncode == 3 and "not running" in st.stdout


def test_init_script_handles_a_stale_pidfile(tmp_path):
    port = free_port()
    pidfile = tmp_path / "duet.pid"
    pidfile.write_text("999999\n")  # no such process
    conf = tmp_path / "6379.conf"
    conf.write_text(f"port {port}\nbind 127.0.0.1\npidfile {pidfile}\ndir {tmp_path}\n"
                    f"logfile {tmp_path}/duet.log\n")
    assert _init("status", conf).returncode == 3
    try:
        out = _init("start", conf)
        assert out.returncode == 0 and "stale" in out.stdout, out.stdout
        assert redis.Redis(port=port).ping() is True
    finally:
        _init("stop", conf)
    assert not pidfile.exists()


def test_supervised_systemd_notifies_readiness(tmp_path):
    import socket as pysocket
    path = str(tmp_path / "notify.sock")
    sock = pysocket.socket(pysocket.AF_UNIX, pysocket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(10)
    port = free_port()
    env = dict(os.environ, NOTIFY_SOCKET=path)
    proc = subprocess.Popen([SERVER, "--port", str(port), "--bind", "127.0.0.1", "--supervised",
                             "systemd", "--dir", str(tmp_path)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        msg = sock.recv(1024)
        assert b"READY=1" in msg
        assert redis.Redis(port=port).ping() is True
    finally:
        proc.terminate()
        proc.wait(10)
        sock.close()
