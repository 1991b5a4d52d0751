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
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

MUTATION = "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, body, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conn.request("POST", "/graphql", body=json.dumps(body).encode(), headers=headers)
    payload = json.loads(conn.getresponse().read())
    conn.close()
    return payload


def round_trip(binary, mode, acts, clients):
    port = free_port()
    folder = tempfile.mkdtemp(prefix="ketnap-durability-")
    env = dict(os.environ, KETNAP_SQLITE_SYNCHRONOUS=mode)
    server = subprocess.Popen(
        [binary, "serve", "--demo", "--port", str(port), "--database-url", f"sqlite://{folder}/k.sqlite?mode=rwc"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("the server did not start")
        login = post(port, {"query": 'mutation { login(input: {username: "demo.branch", password: "ketnap-demo-2026"}) { accessToken } }'})
        token = login["data"]["login"]["accessToken"]
        failures = []

        def work(k):
            for n in range(k, acts, clients):
                person = {"listedOn": "2024-03-01", "fullName": f"Bền Vững {n}", "gender": "FEMALE",
                          "birthDate": "1999-05-10", "ethnicity": "TAY", "generalEducation": "UPPER_SECONDARY",
                          "sourceOrganisation": "YOUTH_UNION"}
                answer = post(port, {"query": MUTATION, "variables": {"i": person}}, token)
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
    finally:
        server.terminate()
        server.wait(timeout=10)


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
