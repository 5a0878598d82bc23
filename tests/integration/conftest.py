"""Integration fixtures: start the real duet-server on a free loopback port in
a temporary directory, hand tests its port, stop it by PID afterwards."""
import os
import signal
import socket
import subprocess
import time

import pytest

# A raw socket a test forgets to give a timeout must fail the test, not hang
# the suite: no test waits anywhere near this long on purpose.
socket.setdefaulttimeout(60)

SERVER = os.environ.get("DUET_SERVER") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "duet-server")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DuetProcess:
    def __init__(self, tmpdir, args=(), config_text=None):
        self.dir = str(tmpdir)
        self.port = free_port()
        self.log = os.path.join(self.dir, "duet.log")
        cmd = [SERVER]
        if config_text is not None:
            path = os.path.join(self.dir, "duet.conf")
            with open(path, "w") as f:
                f.write(config_text)
            cmd.append(path)
        cmd += ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir]
        cmd += list(args)
        self.cmd = cmd
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.logf, stderr=subprocess.STDOUT,
                                     cwd=self.dir)
        self._wait_ready()

    def _wait_ready(self, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("duet-server exited early:\n" + self.read_log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("duet-server did not start:\n" + self.read_log())

    def read_log(self):
        if not self.logf.closed:
            self.logf.flush()
        with open(self.log) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.logf.close()
        return self.proc.returncode


@pytest.fixture
def duet(tmp_path):
    d = DuetProcess(tmp_path)
    yield d
    d.stop()


@pytest.fixture
def start_duet(tmp_path):
    """Factory for tests that need options or several servers."""
    started = []

    def start(*args, config_text=None, subdir=None):
        path = tmp_path / subdir if subdir else tmp_path
        path.mkdir(exist_ok=True)
        d = DuetProcess(path, args, config_text)
        started.append(d)
        return d

    yield start
    for d in started:
        d.stop()


@pytest.fixture
def r(duet):
    import redis
    client = redis.Redis(host="127.0.0.1", port=duet.port, decode_responses=True,
                         socket_timeout=10)
    yield client
    client.close()


def cli(port, *args, input_text=None):
    """Runs redis-cli against the server; returns stdout."""
    out = subprocess.run(["redis-cli", "-p", str(port)] + list(args), input=input_text,
                         capture_output=True, text=True, timeout=30)
    return out.stdout


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (disk-full tests); skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                         capture_output=True)
    if res.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)
