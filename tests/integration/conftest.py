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


_ports_handed_out = set()


def free_port():
    """A port nothing listens on, never the same one twice in a run.

    The probe socket is closed before the server binds the port, and the
    kernel may give the same port to the next probe: a test that asks for two
    ports (RESP and memcached) could get one port twice, and the server then
    fails to open its second listener. Probes stay open until a port not yet
    handed out comes up, so each one gets a different port.
    """
    probes = []
    try:
        for _ in range(1000):
            s = socket.socket()
            probes.append(s)
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            if port not in _ports_handed_out:
                _ports_handed_out.add(port)
                return port
        raise RuntimeError("no free port left that was not handed out already")
    finally:
        for s in probes:
            s.close()


class ServerExitedEarly(RuntimeError):
    def port_was_taken(self):
        # free_port() closes its probe socket before the server binds, so
        # another socket can take the port in between.
        return "Address already in use" in str(self)


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
        # Ready means answering: the kernel completes a TCP connect as soon as
        # the RESP port listens, before the server has opened its other
        # listeners (memcached, unix socket) or failed to. Any reply will do
        # (-NOAUTH, -LOADING): the event loop runs only once all are open.
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise ServerExitedEarly("duet-server exited early:\n" + self.read_log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.settimeout(max(0.2, deadline - time.time()))
                    s.sendall(b"PING\r\n")
                    if s.recv(64):
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
def duet(start_duet):
    return start_duet()


@pytest.fixture
def start_duet(tmp_path):
    """Factory for tests that need options or several servers."""
    started = []

    def start(*args, config_text=None, subdir=None):
        path = tmp_path / subdir if subdir else tmp_path
        path.mkdir(exist_ok=True)
        for attempt in range(3):
            try:
                d = DuetProcess(path, args, config_text)
                break
            except ServerExitedEarly as e:
                if not e.port_was_taken() or attempt == 2:
                    raise
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
