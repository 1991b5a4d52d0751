"""A 10 MB scan uploaded and downloaded, with the server's resident set sampled throughout:
a streamed upload and download keep it flat, where a buffered one would grow by the file.

    python3 benches/files.py [--binary target/release/ketnap] [--database-url URL]
        [--size 10000000] [--rounds 5]

The server runs as its own process on a fresh SQLite file (or the PostgreSQL database given,
which must be empty), with the demo data; curl uploads (`-F`, the
graphql-multipart-request-spec, as the README shows it) and downloads from other
processes. VmRSS is read from /proc every 10 ms. Reported: the resident set after a warm-up
of one small upload and download, its peak during the large uploads and during the large
downloads, and what that peak is above the warm-up, against the file's size. Standard
library only, plus curl.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from support import Server  # noqa: E402

PASSWORD = "ketnap-demo-2026"
ATTACH = "mutation($i: AttachScanInput!) { attachScan(input: $i) { file { id sizeBytes sha256 downloadPath } } }"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Sampler:
    """The largest VmRSS of `pid` while the `with` block runs."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, False

    def __enter__(self):
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.01)

    def __exit__(self, *_):
        self.running = False
        self.thread.join()


def upload(port, token, record, path):
    operations = json.dumps({"query": ATTACH, "variables": {"i": {"recordId": record, "file": None}}})
    out = subprocess.run(
        ["curl", "-sS", f"http://127.0.0.1:{port}/graphql", "-H", f"Authorization: Bearer {token}",
         "-F", f"operations={operations}", "-F", 'map={"0": ["variables.i.file"]}', "-F", f"0=@{path}"],
        check=True, capture_output=True, text=True).stdout
    answer = json.loads(out)
    if "errors" in answer:
        sys.exit(f"the upload failed: {answer['errors']}")
    return answer["data"]["attachScan"]["file"]


def download(port, token, path):
    out = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
         "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True).stdout
    status, size = out.split()
    if status != "200":
        sys.exit(f"the download answered {status}")
    return int(size)


def pdf_file(folder, size, fill):
    path = os.path.join(folder, f"scan-{size}-{fill}.pdf")
    with open(path, "wb") as f:
        head = b"%PDF-1.7\n"
        f.write(head)
        left = size - len(head)
        block = bytes([fill]) * (1 << 20)
        while left > 0:
            f.write(block[:min(left, len(block))])
            left -= min(left, len(block))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/ketnap")
    parser.add_argument("--database-url")
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    extra = ["--demo", "--max-candidate-file-bytes", str(args.size * (args.rounds + 2)),
             "--max-file-bytes", str(max(args.size, 10 * 1024 * 1024))]
    folder = tempfile.mkdtemp(prefix="ketnap-files-")
    with Server(args.binary, *extra, database_url=args.database_url) as server:
        pid = server.process.pid
        _, login = server.post({"query": "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }",
                                "variables": {"u": "demo.branch", "p": PASSWORD}})
        token = login["data"]["login"]["accessToken"]
        person = {"listedOn": "2024-03-01", "fullName": "Người Đo Tệp", "gender": "FEMALE", "birthDate": "1999-05-10",
                  "ethnicity": "KINH", "generalEducation": "UPPER_SECONDARY", "professionalLevel": "COLLEGE",
                  "sourceOrganisation": "YOUTH_UNION"}
        _, added = server.post({"query": "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }",
                                "variables": {"i": person}}, token)
        candidate = added["data"]["addToSourceList"]["candidate"]["id"]
        document = {"candidateId": candidate, "formCode": "KND_1", "receivedOn": "2024-04-01"}
        server.post({"query": "mutation($i: RecordDossierDocumentInput!) { recordDossierDocument(input: $i) { candidate { id } } }",
                     "variables": {"i": document}}, token)
        _, read = server.post({"query": "query($id: ID!) { candidate(id: $id) { documents { id } } }",
                               "variables": {"id": candidate}}, token)
        record = read["data"]["candidate"]["documents"][0]["id"]

        small = upload(server.port, token, record, pdf_file(folder, 100_000, 1))
        download(server.port, token, small["downloadPath"])
        time.sleep(0.5)
        warm = rss_kib(pid)
        big = pdf_file(folder, args.size, 2)
        started = time.monotonic()
        with Sampler(pid) as during_upload:
            files = [upload(server.port, token, record, big) for _ in range(args.rounds)]
        upload_s = (time.monotonic() - started) / args.rounds
        started = time.monotonic()
        with Sampler(pid) as during_download:
            for f in files:
                if download(server.port, token, f["downloadPath"]) != args.size:
                    sys.exit("a download came back short")
        download_s = (time.monotonic() - started) / args.rounds
        time.sleep(0.5)
        after = rss_kib(pid)
    mb = args.size / 1e6
    print(f"file {mb:.1f} MB, {args.rounds} uploads and {args.rounds} downloads, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}")
    print(f"  RSS after warm-up          {warm / 1024:7.1f} MiB")
    print(f"  peak during the uploads    {during_upload.peak / 1024:7.1f} MiB  (+{(during_upload.peak - warm) / 1024:.1f}; {upload_s:.2f} s each)")
    print(f"  peak during the downloads  {during_download.peak / 1024:7.1f} MiB  (+{(during_download.peak - warm) / 1024:.1f}; {download_s:.2f} s each)")
    print(f"  RSS after                  {after / 1024:7.1f} MiB")
    print(f"  the file: {args.size / 1048576:.1f} MiB")


if __name__ == "__main__":
    main()
