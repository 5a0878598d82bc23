"""Client limits a hostile or broken client meets: an oversized query buffer
closes only that connection, and the server's memory stays bounded."""
import socket
import time

import redis


def test_query_buffer_limit_closes_the_client(start_duet):
    d = start_duet("--client-query-buffer-limit", "1mb")
    r = redis.Redis(port=d.port, socket_timeout=10)
    before = r.info("memory")["used_memory"]
    s = socket.create_connection(("127.0.0.1", d.port), timeout=5)
    # One 8 MB argument announced, then sent in pieces: past 1 MB of
    # unprocessed request the server hangs up.
    s.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8388608\r\n")
    closed = False
    try:
        for _ in range(64):
            s.sendall(b"x" * 131072)
            time.sleep(0.005)
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    if not closed:
        s.settimeout(5)
        try:
            closed = s.recv(10) == b""
        except ConnectionResetError:
            closed = True
    assert closed
    s.close()
    assert r.ping() is True
    assert r.exists("k") == 0
    assert r.info("memory")["used_memory"] < before + 4 * 1024 * 1024
