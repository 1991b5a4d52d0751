"""Q1–Q3 at province scale on PostgreSQL, against two baselines measured in the same run.

    python3 benches/scale.py [--binary target/release/ketnap]
        [--baseline target/release/examples/q1_baseline] [--database URL]
        [--seconds 10] [--rounds 2] [--reseed]

Ketnap and the hand-written baseline (examples/q1_baseline.rs: axum + sqlx, the minimal SQL,
the same JSON) each run as their own process; wrk drives them from a third over loopback
(16 connections, 2 threads), and pgbench runs Q1's minimal SQL on the database itself: the
database's own limit. Targets alternate within each round, so a noisy neighbour weighs on
all of them alike. For each: requests per second, p50/p95/p99, the CPU the server and
PostgreSQL spent per request and the server's peak RSS; then the ratios, statements per
request (from the transactions the database counted over requests one at a time), and the
RSS idle and under load. Then one act (`addToSourceList` with its audit event, what it wrote taken out
after) and every report as the province, one call at a time. The documents are in
`benches/queries/`. The data is `ketnap seed synthetic --scale province --seed 1` (made
once; `--reseed` makes it again). Standard library only, plus wrk and pgbench (Debian's
packages; installed with apt-get when missing).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from support import free_port  # noqa: E402

import http.client  # noqa: E402

SECRET = "benchmark-signing-key-0123456789-abcdefghijkl"
QUERIES = os.path.join(os.path.dirname(__file__), "queries")


def document(name):
    with open(os.path.join(QUERIES, f"{name}.graphql")) as f:
        return f.read().strip()


Q1, Q2, Q3 = document("q1"), document("q2"), document("q3")
# Every report, as the province account sees it: for a year and for a term where a report
# takes a period, for today where it takes a day.
YEAR, TERM = {"year": 2024}, {"term": {"startYear": 2020, "endYear": 2025}}
REPORTS = [
    (f"{name} {label}", document(name), period)
    for name in ("admission_progress", "new_member_breakdown", "admission_funnel", "training_summary")
    for label, period in (("year", YEAR), ("term", TERM))
] + [("pipeline_summary now", document("pipeline_summary"), None),
     ("residential_coverage year", document("residential_coverage"), "year")]
ACT_NAME = "Người đo tải"
# The act's input: a person the branch puts on its source list.
ACT_VARIABLES = {"i": {
    "listedOn": "2026-01-05", "fullName": ACT_NAME, "gender": "FEMALE", "birthDate": "2000-02-03",
    "ethnicity": "KINH", "generalEducation": "UPPER_SECONDARY", "sourceOrganisation": "BRANCH"}}

# Q1's minimal SQL, as the baseline sends it.
PGBENCH = """\\set unit {unit}
SELECT c.id, c.full_name, b.name, p.name FROM candidate c JOIN org_unit b ON b.id = c.branch_id LEFT JOIN org_unit p ON p.id = b.parent_id WHERE c.branch_id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = :unit AND valid_to IS NULL) ORDER BY c.id LIMIT 50;
SELECT COUNT(*) FROM candidate c WHERE c.branch_id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = :unit AND valid_to IS NULL);
"""

WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer {token}"
wrk.body = [[{body}]]
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.6f %d %d %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status))
end
"""


def ensure(tool, package):
    if shutil.which(tool) is None:
        subprocess.run(["apt-get", "install", "-y", package], check=True, stdout=subprocess.DEVNULL)


def cpu_of(pids, children=False):
    """User and system CPU seconds of `pids`; with `children`, also of their children that
    have ended (a PostgreSQL backend that closes hands its time to the postmaster)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            used = int(fields[11]) + int(fields[12])
            if children:
                used += int(fields[13]) + int(fields[14])
            total += used / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def postgres_pids():
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == "postgres":
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def postgres_cpu():
    return cpu_of(postgres_pids(), children=True)


def rss_mb(pid, peak=False):
    """The resident set of `pid` now (or its peak, VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as f:
        key = "VmHWM:" if peak else "VmRSS:"
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return float("nan")


def transactions(database):
    """Transactions committed or rolled back in `database` so far."""
    admin, name = database.rsplit("/", 1)
    out = subprocess.run(["psql", f"{admin}/postgres", "-tAc",
                          f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{name}'"],
                         capture_output=True, text=True, check=True).stdout
    return int(out)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def wait_ready(port, path="/readyz", method="GET"):
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request(method, path, body=b"{}" if method == "POST" else None)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing answers on port {port}")


def graphql(port, query, variables=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conn.request("POST", "/graphql", body=json.dumps({"query": query, "variables": variables or {}}).encode(),
                 headers=headers)
    answer = json.loads(conn.getresponse().read())
    conn.close()
    return answer


def login_as(port, username):
    answer = graphql(port, 'mutation($u: String!) { login(input: {username: $u, password: "ketnap-synthetic-2026"}) '
                           '{ accessToken } }', {"u": username})
    return answer["data"]["login"]["accessToken"]


def answered(port, token, body):
    """Ask once and refuse to measure an answer with errors (wrk sees only HTTP 200)."""
    answer = graphql(port, body["query"], body.get("variables"), token)
    if answer.get("errors") or not answer.get("data"):
        sys.exit(f"port {port} answered {answer}")
    return answer


def statements_per_request(port, token, body, database, requests=100):
    """The statements one request costs, from the transactions the database counted over
    `requests` requests one at a time: a read outside a transaction is one statement, one
    transaction. Backends flush their counts when idle, up to about 10 s late, hence the
    pauses."""
    time.sleep(11)
    before = transactions(database)
    for _ in range(requests):
        graphql(port, body["query"], body.get("variables"), token)
    time.sleep(11)
    # The counting itself commits one transaction, `before`'s psql connection.
    return (transactions(database) - before - 1) / requests


def run_wrk(port, token, body, seconds, server_pids, database):
    answered(port, token, body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT.replace("{token}", token).replace("{body}", json.dumps(body)))
        script = f.name
    cpu, pg = cpu_of(server_pids), postgres_cpu()
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", script, f"http://127.0.0.1:{port}/graphql"],
                         capture_output=True, text=True, check=True).stdout
    cpu, pg = cpu_of(server_pids) - cpu, postgres_cpu() - pg
    rss = rss_mb(server_pids[0], peak=True)
    os.unlink(script)
    requests, duration, p50, p95, p99, errors = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    n = int(requests)
    if int(errors):
        sys.exit(f"{errors} requests failed on port {port}")
    return {"rps": n / float(duration), "p50": int(p50) / 1000, "p95": int(p95) / 1000, "p99": int(p99) / 1000,
            "cpu": cpu * 1000 / n, "pg": pg * 1000 / n, "rss": rss}


def run_pgbench(database, unit, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(PGBENCH.format(unit=unit))
        script = f.name
    pg = postgres_cpu()
    # Prepared, but planned for each call's unit: a generic plan for "the subtree of any
    # unit" scans every candidate (198 statements a second here against 584).
    env = dict(os.environ, PGOPTIONS="-c plan_cache_mode=force_custom_plan")
    out = subprocess.run(["pgbench", "-n", "-c16", "-j2", "-M", "prepared", f"-T{seconds}", "-f", script,
                          database], capture_output=True, text=True, check=True, env=env).stdout
    pg = postgres_cpu() - pg
    os.unlink(script)
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    # pgbench reports its mean latency, not percentiles.
    nan = float("nan")
    return {"rps": tps, "p50": latency, "p95": nan, "p99": nan, "cpu": nan, "pg": pg * 1000 / (tps * seconds),
            "rss": nan}


def run_reports(port, token, unit, calls):
    """Each report `calls` times in a row, one at a time: the median and p95 in ms."""
    rows = []
    for name, query, period in REPORTS:
        variables = {"u": unit}
        if period == "year":
            variables["y"] = YEAR["year"]
        elif period is not None:
            variables["p"] = period
        answer = graphql(port, query, variables, token)
        if answer.get("errors"):
            sys.exit(f"{name}: {answer['errors']}")
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            graphql(port, query, variables, token)
            times.append((time.perf_counter() - started) * 1000)
        rows.append((name, percentile(times, 0.5), percentile(times, 0.95)))
    return rows


def reports(port, calls):
    province = login_as(port, "synthetic-province")
    unit_of_province = graphql(port, "{ me { orgUnit { id } } }", token=province)["data"]["me"]["orgUnit"]["id"]
    print(f"reports as the province, {calls} calls each in a row:")
    print(f"{'report':<32} {'p50 ms':>8} {'p95 ms':>8}")
    for name, p50, p95 in run_reports(port, province, unit_of_province, calls):
        print(f"{name:<32} {p50:>8.1f} {p95:>8.1f}")


def remove_act_rows(database):
    """Take out what the act benchmark wrote, so the data stays the seed's."""
    subprocess.run(["psql", database, "-qc",
                    f"DELETE FROM audit_event WHERE entity_type = 'candidate' AND entity_id IN "
                    f"(SELECT id FROM candidate WHERE full_name = '{ACT_NAME}')",
                    "-c", f"DELETE FROM candidate WHERE full_name = '{ACT_NAME}'",
                    "-c", "VACUUM ANALYZE candidate", "-c", "VACUUM ANALYZE audit_event"],
                   check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/ketnap")
    parser.add_argument("--baseline", default="target/release/examples/q1_baseline")
    parser.add_argument("--database", default=None,
                        help="default: ketnap_scale, or ketnap_national with --scale national")
    parser.add_argument("--scale", choices=["province", "national"], default="province",
                        help="national: 34 provinces after the reform, every report as the first province only")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--calls", type=int, default=30, help="calls of each report")
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--skip-statements", action="store_true")
    args = parser.parse_args()
    if args.database is None:
        name = "ketnap_scale" if args.scale == "province" else "ketnap_national"
        args.database = f"postgres://postgres@127.0.0.1:5432/{name}"
    ensure("wrk", "wrk")
    ensure("pgbench", "postgresql-client")
    admin, name = args.database.rsplit("/", 1)
    exists = subprocess.run(["psql", f"{admin}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                            capture_output=True, text=True).stdout.strip() == "1"
    # Over loopback, without TLS: sqlx would otherwise negotiate TLS with a server that offers
    # it (Debian's does), and the baseline, built without TLS, would not pay for it.
    env = dict(os.environ, KETNAP_JWT_SECRET=SECRET, KETNAP_DATABASE_URL=f"{args.database}?sslmode=disable",
               RUST_LOG="warn")
    if args.reseed or not exists:
        subprocess.run(["psql", f"{admin}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"',
                        "-c", f'CREATE DATABASE "{name}"'], check=True)
        started = time.time()
        subprocess.run([args.binary, "seed", "synthetic", "--scale", args.scale, "--seed", "1"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"seeded {args.scale} scale in {time.time() - started:.1f} s")
    port, baseline_port = free_port(), free_port()
    server = subprocess.Popen([args.binary, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    baseline = subprocess.Popen([args.baseline, str(baseline_port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        if args.scale == "national":
            # After the reform no district remains: the reports are the measure here.
            reports(port, args.calls)
            return
        wait_ready(baseline_port, "/graphql", "POST")
        token = login_as(port, "synthetic-district")
        me = graphql(port, "{ me { orgUnit { id } } candidates(first: 1) { edges { node { id } } } }", token=token)
        unit = int(subprocess.run(["psql", args.database, "-tAc", "SELECT id FROM org_unit WHERE code = 'T01H05'"],
                                  capture_output=True, text=True, check=True).stdout)
        some_candidate = me["data"]["candidates"]["edges"][0]["node"]["id"]
        # The act is the branch's: its account puts a person on its source list.
        branch_token = login_as(port, "synthetic-branch")
        act = {"query": document("add_to_source_list"), "variables": ACT_VARIABLES}
        idle_rss = rss_mb(server.pid)
        # The baseline answers Q1 as Ketnap does.
        assert graphql(baseline_port, Q1, token=token) == graphql(port, Q1, token=token), "the baseline's answer differs"
        targets = [
            ("Q1 Ketnap", lambda: run_wrk(port, token, {"query": Q1}, args.seconds, [server.pid], args.database)),
            ("Q1 baseline", lambda: run_wrk(baseline_port, token, {"query": Q1}, args.seconds, [baseline.pid],
                                            args.database)),
            ("Q1 pgbench", lambda: run_pgbench(args.database, unit, args.seconds)),
            ("Q2 Ketnap", lambda: run_wrk(port, token, {"query": Q2}, args.seconds, [server.pid], args.database)),
            ("Q3 Ketnap", lambda: run_wrk(port, token, {"query": Q3, "variables": {"id": some_candidate}},
                                          args.seconds, [server.pid], args.database)),
        ]
        results = {name: [] for name, _ in targets}
        with open("/proc/loadavg") as f:
            print(f"load average before: {f.read().split()[:3]}")
        for _ in range(args.rounds):
            for name, run in targets:
                results[name].append(run())
        # The act last: it writes, and what it wrote is taken out again.
        results["act Ketnap"] = []
        try:
            for _ in range(args.rounds):
                results["act Ketnap"].append(run_wrk(port, branch_token, act, args.seconds, [server.pid],
                                                     args.database))
        finally:
            remove_act_rows(args.database)
        print(f"{'target':<12} {'round':>5} {'req/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
              f"{'server CPU ms/req':>17} {'PG CPU ms/req':>13} {'peak RSS MB':>11}")
        for name, rounds in results.items():
            for i, r in enumerate(rounds):
                print(f"{name:<12} {i + 1:>5} {r['rps']:>9.0f} {r['p50']:>7.2f} {r['p95']:>7.2f} {r['p99']:>7.2f} "
                      f"{r['cpu']:>17.3f} {r['pg']:>13.3f} {r['rss']:>11.1f}")
        print(f"RSS idle {idle_rss:.1f} MB, peak under load {rss_mb(server.pid, peak=True):.1f} MB")
        if not args.skip_statements:
            for name, port_of, body in (("Q1 Ketnap", port, {"query": Q1}), ("Q1 baseline", baseline_port, {"query": Q1}),
                                        ("Q2 Ketnap", port, {"query": Q2}),
                                        ("Q3 Ketnap", port, {"query": Q3, "variables": {"id": some_candidate}})):
                print(f"statements per request, {name}: "
                      f"{statements_per_request(port_of, token, body, args.database):.2f}")
        if not args.skip_reports:
            reports(port, args.calls)
        for i in range(args.rounds):
            k, b, p = (results[n][i]["rps"] for n in ("Q1 Ketnap", "Q1 baseline", "Q1 pgbench"))
            print(f"round {i + 1}: Q1 Ketnap ÷ baseline {k / b:.2f}, Ketnap ÷ pgbench {k / p:.2f}, "
                  f"baseline ÷ pgbench {b / p:.2f}")
        with open("/proc/loadavg") as f:
            print(f"load average after: {f.read().split()[:3]}")
    finally:
        server.terminate()
        baseline.terminate()
        server.wait(timeout=10)
        baseline.wait(timeout=10)


if __name__ == "__main__":
    main()
