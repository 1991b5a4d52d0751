#!/usr/bin/env python3
"""Hostile documents against a running Ketnap: server CPU per refused request, and the
p99 latency of /healthz while four clients send them without pause.

The load generator is this process (and its threads); the server is another process,
whose CPU time is read from /proc/PID/stat before and after each kind of document.

    python3 benches/hostile.py [--binary target/release/ketnap] [--requests 200] [--probes 500]

It starts the server on a fresh SQLite file on a free loopback port, and stops it at
the end. Only loopback is ever contacted. Standard library only.
"""

import argparse
import threading
import time

from support import Server


def documents():
    fan = "query { ...F24 }\nfragment F0 on Query { me { id } }\n"
    for i in range(1, 25):
        fan += f"fragment F{i} on Query {{ ...F{i-1} ...F{i-1} }}\n"
    wide = "query { ...W5 }\nfragment W0 on Query { me { id } }\n"
    for i in range(1, 6):
        wide += f"fragment W{i} on Query {{ " + f"...W{i-1} " * 30 + "}\n"
    return {
        "fragment fan-out (2^24 fields, %d bytes)" % len(fan): {"query": fan},
        "fragment fan-out (30^5 spreads, %d bytes)" % len(wide): {"query": wide},
        "deep nesting (60 levels)": {"query": "{ me " + "{ orgUnit " * 60 + "}" * 60 + " }"},
        "brackets nested 10,000 deep": {"query": "{ a(x: " + "[" * 10000 + "]" * 10000 + ") }"},
        "60,000 bytes of tokens": {"query": "{ " + "a " * 30000 + "}"},
        "many directives": {"query": "{ me " + "@include(if: true) " * 3000 + "{ id } }"},
        "100,000 variable values": {"query": "query($s: [Int!]) { me { id } }", "variables": {"s": [1] * 100000}},
        "long string (1.5 MB)": {"query": "query($s: String!) { orgUnits(filter: {search: $s}) { totalCount } }",
                                 "variables": {"s": "x" * 1_500_000}},
        "4,990 repeated fields (within every bound)": {"query": "{ me { " + "id " * 4990 + "} }"},
        "fragment cycle": {"query": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/ketnap")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--probes", type=int, default=500, help="/healthz requests under load")
    args = parser.parse_args()

    with Server(args.binary) as server:
        docs = documents()
        print(f"{'document':50} {'answer':28} {'CPU ms/request':>15}")
        for name, body in docs.items():
            status, answer = server.post(body)
            limit = (answer.get("errors") or [{}])[0].get("extensions", {})
            label = limit.get("limit") or limit.get("code") or f"HTTP {status}"
            before = server.cpu_seconds()
            for _ in range(args.requests):
                server.post(body)
            used = server.cpu_seconds() - before
            print(f"{name:50} {label:28} {used * 1000 / args.requests:15.3f}")

        # /healthz while four clients send the costliest kinds without pause.
        stop = threading.Event()
        heavy = list(docs.values())[:4]

        def attack(body):
            while not stop.is_set():
                server.post(body)

        threads = [threading.Thread(target=attack, args=(b,)) for b in heavy]
        for t in threads:
            t.start()
        latencies = []
        for _ in range(args.probes):
            start = time.perf_counter()
            server.get("/healthz")
            latencies.append(time.perf_counter() - start)
        stop.set()
        for t in threads:
            t.join()
        latencies.sort()
        p50 = latencies[len(latencies) // 2] * 1000
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        print(f"/healthz under 4 hostile clients: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
