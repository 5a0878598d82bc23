#!/usr/bin/env python3
"""RDB benchmark: Duet against Debian's redis-server on the same fixed
dataset (rdb_dataset.py), with rdbcompression yes on both sides.

Reports, per server: SAVE time, load time at start-up (the "DB loaded from
disk" log line), the CPU time of both (less noisy than wall time on a busy
machine), dump file size, and PING latency (p50/p99/max) while a BGSAVE of
the dataset runs. Rounds alternate between the servers.

    rdb_bench.py --duet build/duet-server [--scale 1.0] [--rounds 3]

Loopback only; servers take free ports in 7300-7399 and are stopped by PID.
"""
import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import redis

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    for _ in range(200):
        port = random.randint(7300, 7399)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in 7300-7399")


class Server:
    def __init__(self, name, exe, directory, extra=()):
        self.name, self.exe, self.dir, self.extra = name, exe, directory, list(extra)
        self.proc = None
        self.port = None

    def start(self):
        self.port = free_port()
        self.log = os.path.join(self.dir, "server.log")
        open(self.log, "w").close()
        cmd = [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
               "--save", "", "--rdbcompression", "yes", "--logfile", self.log] + self.extra
        t0 = time.time()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        c = redis.Redis(port=self.port, socket_timeout=600)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(self.name + " exited:\n" + open(self.log).read())
            try:
                c.ping()
                break
            except redis.exceptions.BusyLoadingError:
                time.sleep(0.01)
            except redis.exceptions.ConnectionError:
                time.sleep(0.01)
        self.ready_s = time.time() - t0
        self.ready_cpu = self.cpu_seconds()
        return c

    def cpu_seconds(self):
        """User + system CPU time the server process has used so far."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def loaded_seconds(self):
        m = re.findall(r"DB loaded from disk: ([0-9.]+) seconds", open(self.log).read())
        return float(m[-1]) if m else None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def fill(server, dataset):
    with open(dataset, "rb") as f:
        out = subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], stdin=f,
                             capture_output=True, text=True, timeout=3600)
    if "errors: 0" not in out.stdout:
        raise RuntimeError(server.name + " --pipe: " + out.stdout + out.stderr)


def ping_during_bgsave(c, port):
    lat = []
    done = threading.Event()

    def pinger():
        p = redis.Redis(port=port, socket_timeout=60)
        while not done.is_set():
            t = time.perf_counter()
            p.ping()
            lat.append((time.perf_counter() - t) * 1000)

    th = threading.Thread(target=pinger)
    th.start()
    time.sleep(0.2)
    lat.clear()
    t0 = time.perf_counter()
    c.execute_command("BGSAVE")
    while c.info("persistence")["rdb_bgsave_in_progress"]:
        time.sleep(0.01)
    elapsed = time.perf_counter() - t0
    done.set()
    th.join()
    lat.sort()
    return {"p50": lat[len(lat) // 2], "p99": lat[int(len(lat) * 0.99)], "max": lat[-1],
            "n": len(lat), "bgsave_s": elapsed}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duet", required=True)
    ap.add_argument("--redis", default=shutil.which("redis-server"))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="rdb_bench_")
    servers = []
    try:
        dataset = os.path.join(tmp, "dataset.resp")
        t = time.time()
        with open(dataset, "wb") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "rdb_dataset.py"), "--scale",
                            str(args.scale)], stdout=f, check=True)
        print("dataset: %.0f MB of RESP in %.1f s" % (os.path.getsize(dataset) / 2**20,
                                                     time.time() - t), file=sys.stderr)
        results = {}
        for name, exe in (("redis", args.redis), ("duet", os.path.abspath(args.duet))):
            d = os.path.join(tmp, name)
            os.mkdir(d)
            s = Server(name, exe, d)
            servers.append(s)
            c = s.start()
            t = time.time()
            fill(s, dataset)
            print("%s: filled %d keys in %.1f s" % (name, c.dbsize(), time.time() - t),
                  file=sys.stderr)
            results[name] = {"save": [], "load": [], "ready": [], "size": 0, "bg": [],
                             "save_cpu": [], "load_cpu": []}
            s.client = c
        for r in range(args.rounds):
            for s in servers:
                res = results[s.name]
                t = time.perf_counter()
                cpu = s.cpu_seconds()
                s.client.save()
                res["save"].append(time.perf_counter() - t)
                res["save_cpu"].append(s.cpu_seconds() - cpu)
                res["size"] = os.path.getsize(os.path.join(s.dir, "dump.rdb"))
                res["bg"].append(ping_during_bgsave(s.client, s.port))
                s.stop()
                s.client = s.start()
                res["load"].append(s.loaded_seconds())
                res["ready"].append(s.ready_s)
                res["load_cpu"].append(s.ready_cpu)
                print("round %d %s: save %.2fs load %.2fs size %d" % (
                    r, s.name, res["save"][-1], res["load"][-1] or -1, res["size"]),
                    file=sys.stderr)
        rs, ds = results["redis"], results["duet"]
        med = statistics.median
        print("| | Redis 7.0.15 | Duet | Duet/Redis |")
        print("|---|---|---|---|")
        print("| SAVE (s, median of %d) | %.2f | %.2f | %.2f |" % (
            args.rounds, med(rs["save"]), med(ds["save"]), med(ds["save"]) / med(rs["save"])))
        print("| load at start (s) | %.2f | %.2f | %.2f |" % (
            med(rs["load"]), med(ds["load"]), med(ds["load"]) / med(rs["load"])))
        print("| SAVE CPU time (s) | %.2f | %.2f | %.2f |" % (
            med(rs["save_cpu"]), med(ds["save_cpu"]), med(ds["save_cpu"]) / med(rs["save_cpu"])))
        print("| start-up CPU time incl. load (s) | %.2f | %.2f | %.2f |" % (
            med(rs["load_cpu"]), med(ds["load_cpu"]), med(ds["load_cpu"]) / med(rs["load_cpu"])))
        print("| start to first PING (s) | %.2f | %.2f | %.2f |" % (
            med(rs["ready"]), med(ds["ready"]), med(ds["ready"]) / med(rs["ready"])))
        print("| dump size (MB) | %.1f | %.1f | %.3f |" % (
            rs["size"] / 2**20, ds["size"] / 2**20, ds["size"] / rs["size"]))
        for key in ("bgsave_s", "p50", "p99", "max"):
            unit = "s" if key == "bgsave_s" else "ms"
            rv = med([b[key] for b in rs["bg"]])
            dv = med([b[key] for b in ds["bg"]])
            print("| BGSAVE %s (%s) | %.3f | %.3f | %.2f |" % (key, unit, rv, dv, dv / rv))
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
