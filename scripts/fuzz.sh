#!/usr/bin/env bash
# Runs the Go fuzz targets listed in scripts/fuzz-targets, one after another, each for FUZZTIME.
#
#   scripts/fuzz.sh                    every target, FUZZTIME each (default 60s; `make fuzz`)
#   FUZZTIME=3s scripts/fuzz.sh        what `make test` runs
#   scripts/fuzz.sh FuzzParseResponse  only the targets whose name (or package) matches an argument
#
# Each target's seed corpus (f.Add seeds and testdata/fuzz/<Target>/) already runs in plain
# `go test`; this adds FUZZTIME of coverage-guided mutation per target. A failing input is written
# by Go to <package>/testdata/fuzz/<Target>/ — commit it with the fix as the regression seed.
# A listed target that does not exist fails the run (go test would only warn).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZTIME="${FUZZTIME:-60s}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

status=0
ran=0
start=$SECONDS
while read -r pkg target _ <&3; do
  case "$pkg" in ''|'#'*) continue ;; esac
  if [ "$#" -gt 0 ]; then
    want=0
    for a in "$@"; do
      if [ "$a" = "$target" ] || [ "$a" = "$pkg" ]; then want=1; fi
    done
    [ $want -eq 1 ] || continue
  fi
  t0=$SECONDS
  # -run '^$' skips the package's ordinary tests: go test ./... runs those.
  fuzz_once() { go test -count=1 -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" </dev/null >"$log" 2>&1; }
  ok=0
  if fuzz_once; then
    ok=1
  elif grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
    # Go's fuzzing coordinator can report "context deadline exceeded" when -fuzztime ends while a
    # worker is still busy with a new interesting input; it writes no failing input then. That is
    # the toolchain, not a finding: run the target once more. A real failure writes its input.
    echo "fuzz: $pkg $target stopped with 'context deadline exceeded' and no failing input; running it again" >&2
    fuzz_once && ok=1
  fi
  if [ $ok -eq 1 ] && ! grep -q 'no fuzz tests to fuzz' "$log"; then
    execs="$(grep -oE 'execs: [0-9]+' "$log" | tail -1 || true)"
    echo "fuzz: ok   $pkg $target ($((SECONDS - t0))s${execs:+, $execs})"
  else
    echo "fuzz: FAIL $pkg $target" >&2
    tail -60 "$log" >&2
    status=1
  fi
  ran=$((ran + 1))
done 3< scripts/fuzz-targets

if [ $ran -eq 0 ]; then
  echo "fuzz: no target in scripts/fuzz-targets matches: $*" >&2
  exit 2
fi
echo "fuzz: $ran targets, ${FUZZTIME} each, $((SECONDS - start))s in all"
exit $status
