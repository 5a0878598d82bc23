#!/usr/bin/env python3
"""Writes a fixed 1,000,000-key dataset as RESP commands on stdout, for
`redis-cli --pipe`. The same seed gives the same bytes on every run, so Duet
and Redis can be loaded with identical data for the RDB save/load benchmark
(tests/bench/rdb_bench.py).

Mix (keys): 699,600 strings (integers, short and long text, 5% with an
absolute expiry), 100,000 small hashes + 500 hashes of 1,000 fields,
80,000 small lists + 300 lists of 10,000 elements, 60,000 small sets (half
integer-only) + 300 sets of 3,000 members, 59,000 small sorted sets + 300
sorted sets of 2,000 members.

    rdb_dataset.py [--scale 0.1] | redis-cli -p PORT --pipe
"""
import argparse
import random
import sys

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
         "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee "
         "zulu user session cart item price page view click login order status").split()
FAR_FUTURE_MS = 4102444800000


def resp(args, out):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    out.write(b"".join(parts))


def text(rng, lo, hi):
    n = rng.randint(lo, hi)
    s = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        s.append(w)
        size += len(w) + 1
    return " ".join(s)[:n]


def member(rng):
    r = rng.random()
    if r < 0.3:
        return str(rng.randint(0, 10**6))
    return "%s:%d" % (rng.choice(WORDS), rng.randint(0, 10**5))


def generate(out, scale):
    rng = random.Random(20240601)
    n = lambda x: max(1, int(x * scale))  # noqa: E731

    for i in range(n(699_600)):
        k = "s:%07d" % i
        r = rng.random()
        if r < 0.4:
            v = str(rng.randint(0, 10**9))
        elif r < 0.8:
            v = text(rng, 16, 64)
        else:
            v = text(rng, 100, 400)
        if rng.random() < 0.05:
            resp(["SET", k, v, "PXAT", FAR_FUTURE_MS + i], out)
        else:
            resp(["SET", k, v], out)

    def hash_cmd(key, fields):
        args = ["HSET", key]
        for f in range(fields):
            args += ["field%d" % f, str(rng.randint(0, 10**6)) if rng.random() < 0.5
                     else text(rng, 4, 24)]
        resp(args, out)

    for i in range(n(100_000)):
        hash_cmd("h:%06d" % i, rng.randint(4, 16))
    for i in range(n(500)):
        hash_cmd("H:%04d" % i, 1000)

    for i in range(n(80_000)):
        resp(["RPUSH", "l:%06d" % i] + [member(rng) for _ in range(rng.randint(4, 40))], out)
    for i in range(n(300)):
        key = "L:%04d" % i
        for _ in range(10):
            resp(["RPUSH", key] + [member(rng) for _ in range(1000)], out)

    for i in range(n(60_000)):
        count = rng.randint(4, 30)
        if i % 2:
            items = [str(rng.randint(0, 10**9)) for _ in range(count)]
        else:
            items = [member(rng) for _ in range(count)]
        resp(["SADD", "t:%06d" % i] + items, out)
    for i in range(n(300)):
        resp(["SADD", "T:%04d" % i] + ["m%d:%s" % (j, rng.choice(WORDS)) for j in range(3000)],
             out)

    def zset_cmd(key, count):
        args = ["ZADD", key]
        for j in range(count):
            score = rng.randint(0, 10**6) if rng.random() < 0.5 else round(rng.random() * 1000, 3)
            args += [score, "%s:%d" % (rng.choice(WORDS), j)]
        resp(args, out)

    for i in range(n(59_000)):
        zset_cmd("z:%06d" % i, rng.randint(4, 30))
    for i in range(n(300)):
        zset_cmd("Z:%04d" % i, 2000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of every key count")
    args = ap.parse_args()
    out = sys.stdout.buffer
    generate(out, args.scale)
    out.flush()


if __name__ == "__main__":
    main()
