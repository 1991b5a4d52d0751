"""What the Python benchmarks share: a Ketnap server started as another process on a free
loopback port, its CPU time, and GraphQL requests to it. Standard library only."""

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ketnap serve` on a fresh SQLite file (or `database_url`); stops when the `with` block ends."""

    def __init__(self, binary, *args, env=None, database_url=None):
        self.port = free_port()
        folder = tempfile.mkdtemp(prefix="ketnap-bench-")
        database_url = database_url or f"sqlite://{folder}/k.sqlite?mode=rwc"
        command = [binary, "serve", *args, "--port", str(self.port), "--database-url", database_url]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env=dict(os.environ, **(env or {})))

    def __enter__(self):
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        sys.exit("the server did not start")

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait(timeout=10)

    def cpu_seconds(self):
        """User and system CPU time the server has used."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def post(self, body, token=None):
        """POST a GraphQL request; the status and the parsed answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        conn.request("POST", "/graphql", body=json.dumps(body).encode(), headers=headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        return response.status, json.loads(payload)

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()
