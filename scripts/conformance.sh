#!/usr/bin/env bash
# Runs the ADL LRS conformance suite against this app, for one xAPI version.
#   scripts/conformance.sh <path to a checkout of github.com/adlnet/lrs-conformance-test-suite> [2.0.0|1.0.3]
# Version 2.0.0 (the default) runs the suite's test/v2_0 (1442 tests), 1.0.3 its `-x 1.0.3` battery (1365).
# The run counts only when the suite finished ("Tests completed"), ran as many tests as that battery
# holds (CONFORMANCE_EXPECTED overrides the count) and every one of them passed: a run cut short, a
# hook that stops a file's tests, or skipped tests all fail this script.
# The checkout needs its dependencies (`npm install --ignore-scripts` inside it). The server runs on a
# free port with seed credentials and a throw-away DATA_DIR; the suite runs under an outer timeout
# (a dead server can hang it, and its exit code is the failure count modulo 256): read the summary.
set -euo pipefail
SUITE="${1:?Aufruf: scripts/conformance.sh <Pfad zur lrs-conformance-test-suite> [2.0.0|1.0.3]}"
SUITE="$(cd "$SUITE" && pwd)"
VERSION="${2:-2.0.0}"
case "$VERSION" in
  2.0.0) VERSION_ARGS=(); EXPECTED="${CONFORMANCE_EXPECTED:-1442}" ;;
  1.0.3) VERSION_ARGS=(-x 1.0.3); EXPECTED="${CONFORMANCE_EXPECTED:-1365}" ;;
  *) echo "Unbekannte xAPI-Version $VERSION (2.0.0 oder 1.0.3)" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TIMEOUT="${CONFORMANCE_TIMEOUT:-1200}"
[ -f "$SUITE/bin/console_runner.js" ] || { echo "Keine Testsuite in $SUITE" >&2; exit 2; }
[ -d "$SUITE/node_modules" ] || { echo "Erst in $SUITE: npm install --ignore-scripts" >&2; exit 2; }

PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
DATA="$(mktemp -d /tmp/lrs-conformance-XXXXXX)"
KEY="conformance-$(node -e 'console.log(require("crypto").randomBytes(6).toString("hex"))')"
# hex: a base64url secret may begin with "-", which the suite's option parser takes for an option (it printed its version and ran nothing)
SECRET="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
LOG="$DATA/server.log"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

cd "$ROOT"
LRS_SEED_KEY="$KEY" LRS_SEED_SECRET="$SECRET" PORT="$PORT" HOST=127.0.0.1 DATA_DIR="$DATA" DEMO_DATA=false LOG_LEVEL=warn \
  node --import tsx src/server.ts >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/xapi/about" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "Server startet nicht:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 1
done

cd "$SUITE"
OUT="$DATA/suite.log"
set +e
STARTED=$(date +%s)
timeout "$TIMEOUT" node bin/console_runner.js "${VERSION_ARGS[@]}" -e "http://127.0.0.1:$PORT/xapi" -a -u "$KEY" -p "$SECRET" >"$OUT" 2>&1
STATUS=$?
set -e
WALL=$(( $(date +%s) - STARTED ))
SUMMARY="$(grep -E '^\{"total"' "$OUT" | tail -1 || true)"
FINISHED="$(grep -E '^Tests completed in' "$OUT" | tail -1 || true)"
if [ "$STATUS" -eq 124 ]; then echo "Zeitüberschreitung nach ${TIMEOUT}s" >&2; fi
grep -E '^\s+[0-9]+\) |✗' "$OUT" | head -50 || true
if [ -n "${CONFORMANCE_LOG:-}" ]; then cp "$OUT" "$CONFORMANCE_LOG"; fi
echo "xAPI $VERSION: ${SUMMARY:-keine Zusammenfassung (siehe Ausgabe der Suite)}"
echo "${FINISHED:-Die Suite ist nicht zu Ende gelaufen.} Wanduhr ${WALL}s"
node -e '
  const [summary, finished, expected] = process.argv.slice(1);
  const s = JSON.parse(summary || "{}");
  const problems = [];
  if (!finished) problems.push("die Suite ist nicht zu Ende gelaufen");
  if (s.total !== Number(expected)) problems.push(`${s.total ?? 0} Tests statt ${expected}`);
  if (s.passed !== s.total) problems.push(`${(s.total ?? 0) - (s.passed ?? 0)} nicht bestanden oder übersprungen`);
  if (s.failed) problems.push(`${s.failed} fehlgeschlagen`);
  if (problems.length) { console.error(`Nicht bestanden: ${problems.join("; ")}`); process.exit(1); }
' "$SUMMARY" "$FINISHED" "$EXPECTED"
