#!/usr/bin/env python3
"""What `synchronous=FULL` costs the embedded default: acts per second on SQLite with the
default (`KETNAP_SQLITE_SYNCHRONOUS=full`) against `normal`, measured in the same run,
alternating rounds so the machine's noise falls on both alike.

    python3 benches/durability.py [--binary target/release/ketnap] [--acts 300] [--clients 4]

Each round starts the server (another process) on a fresh SQLite file with the demo data,
signs in as demo.branch, and records `addToSourceList` acts from several client threads.
Only loopback is contacted. Standard library only.
"""

import argparse
import sys
import threading
import time

from support import Server

MUTATION = "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }"


def round_trip(binary, mode, acts, clients):
    with Server(binary, "--demo", env={"KETNAP_SQLITE_SYNCHRONOUS": mode}) as server:
        _, login = server.post({"query": 'mutation { login(input: {username: "demo.branch", password: "ketnap-demo-2026"}) { accessToken } }'})
        token = login["data"]["login"]["accessToken"]
        failures = []

        def work(k):
            for n in range(k, acts, clients):
                person = {"listedOn": "2024-03-01", "fullName": f"Bền Vững {n}", "gender": "FEMALE",
                          "birthDate": "1999-05-10", "ethnicity": "TAY", "generalEducation": "UPPER_SECONDARY",
                          "sourceOrganisation": "YOUTH_UNION"}
                _, answer = server.post({"query": MUTATION, "variables": {"i": person}}, token)
                if "errors" in answer:
                    failures.append(answer)

        start = time.perf_counter()
        threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        if failures:
            sys.exit(f"acts failed: {failures[0]}")
        return acts / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/ketnap")
    parser.add_argument("--acts", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    results = {"full": [], "normal": []}
    for _ in range(args.rounds):
        for mode in ("full", "normal"):
            results[mode].append(round_trip(args.binary, mode, args.acts, args.clients))
    for mode, rates in results.items():
        print(f"synchronous={mode:6} acts/s: " + ", ".join(f"{r:.0f}" for r in rates))
    full, normal = sum(results["full"]), sum(results["normal"])
    print(f"full / normal: {full / normal:.2f}")


if __name__ == "__main__":
    main()
