"""The instructions a Ketnap build spends per request, counted by valgrind: the same figure
whatever else the machine is doing, where CPU time per request moves by a third between
runs on a shared machine (the hand-written baseline, whose code never changes, measured
0.34 and 0.61 ms per Q1 in two runs of one afternoon).

    python3 benches/instructions.py [--binary target/release/ketnap] [--compare OTHER]
        [--query q1] [--requests 100] [--database URL]

Each build runs under `valgrind --tool=callgrind` against the data `benches/scale.py`
seeds (`ketnap_scale`; run it once first). Signed in as `synthetic-district` (for the act,
`add_to_source_list`, as `synthetic-branch`, and what it wrote is taken out after), 20 requests
warm the caches, the counters are zeroed (`callgrind_control -z`), `--requests` requests
are sent one at a time, and the counters are dumped: the instructions of those requests
alone, everything the server's threads ran for them (the database's work is not counted).
With `--compare`, the second build is measured the same way and the ratio printed. The
output files stay in /tmp (`callgrind_annotate --inclusive=no` reads where the
instructions went; a build with `CARGO_PROFILE_RELEASE_STRIP=none
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only` names the lines).
"""

import argparse
import glob
import os
import subprocess
import sys
import time

import scale


def instructions_per_request(binary, database, query, requests, port):
    out = f"/tmp/ketnap-callgrind-{port}"
    for stale in glob.glob(out + "*"):
        os.unlink(stale)
    env = dict(os.environ, KETNAP_JWT_SECRET=scale.SECRET, KETNAP_DATABASE_URL=f"{database}?sslmode=disable",
               RUST_LOG="warn")
    act = query == scale.document("add_to_source_list")
    server = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "serve",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while True:
            try:
                scale.graphql(port, "{ __typename }")
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit(f"{binary} did not start under valgrind")
                time.sleep(0.5)
        # The act is the branch's; every read is the district's.
        token = scale.login_as(port, "synthetic-branch" if act else "synthetic-district")
        variables = scale.ACT_VARIABLES if act else {}
        if "$id" in query:
            answer = scale.graphql(port, "{ candidates(first: 1) { edges { node { id } } } }", token=token)
            variables["id"] = answer["data"]["candidates"]["edges"][0]["node"]["id"]
        for _ in range(20):
            answer = scale.graphql(port, query, variables, token)
            if answer.get("errors"):
                sys.exit(f"{binary}: {answer['errors']}")
        subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True, capture_output=True)
        for _ in range(requests):
            scale.graphql(port, query, variables, token)
        subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True, capture_output=True)
    finally:
        server.terminate()
        server.wait()
        if act:
            scale.remove_act_rows(database)
    # The dump on request is the first part (`.1`); the rest of the run is written at exit.
    for line in open(f"{out}.1"):
        if line.startswith("summary:"):
            return int(line.split()[1]) / requests
    sys.exit(f"no summary in {out}.1")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/ketnap")
    parser.add_argument("--compare")
    parser.add_argument("--query", default="q1", help="a document of benches/queries/")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ketnap_scale")
    args = parser.parse_args()
    scale.ensure("valgrind", "valgrind")
    query = scale.document(args.query)
    figures = []
    for index, binary in enumerate([args.binary] + ([args.compare] if args.compare else [])):
        per_request = instructions_per_request(binary, args.database, query, args.requests, 8870 + index)
        figures.append(per_request)
        print(f"{binary}: {per_request / 1e6:.3f} million instructions per {args.query} request", flush=True)
    if len(figures) == 2:
        print(f"{args.compare} ÷ {args.binary}: {figures[1] / figures[0]:.3f}")


if __name__ == "__main__":
    main()
