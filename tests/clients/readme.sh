#!/usr/bin/env bash
# The README's examples run as written: every `sh` block right after a `<!-- example -->`
# line runs, in a scratch folder, against the server at KETNAP_URL (a fresh demo) in place
# of http://127.0.0.1:8080. A block fails if a command fails or an answer carries "errors".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
readme="${here}/../../README.md"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
awk -v dir="$scratch" '
  /^<!-- example -->$/ { armed = 1; next }
  armed && /^```sh$/ { inside = 1; armed = 0; n += 1; next }
  inside && /^```$/ { inside = 0; next }
  inside { print > (dir "/example-" n ".sh") }
' "$readme"
count=$(find "$scratch" -name 'example-*.sh' | wc -l)
if [ "$count" -lt 2 ]; then
  echo "error: expected the README's examples, found ${count}" >&2
  exit 1
fi
for example in "$scratch"/example-*.sh; do
  sed -i "s#http://127.0.0.1:8080#${KETNAP_URL}#g" "$example"
  if ! output="$(cd "$scratch" && bash -euo pipefail "$example" 2>&1)"; then
    echo "README $(basename "$example") failed:" >&2
    echo "$output" >&2
    exit 1
  fi
  if grep -q '"errors"' <<<"$output"; then
    echo "README $(basename "$example") answered an error:" >&2
    echo "$output" >&2
    exit 1
  fi
  [ -n "${VERBOSE:-}" ] && echo "$output"
  echo "README $(basename "$example"): ran as written"
done
