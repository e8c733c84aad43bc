#!/usr/bin/env bash
# Runs ADL's cmi5 LMS Test Suite (CATAPULT lts/) against this platform.
#   scripts/cmi5-lts/run.sh <path to a CATAPULT checkout> [jest args]   (fetched, never committed)
#   SKIP_INSTALL=1 reuses an earlier install in $LTS_DIR (default /tmp/catapult-lts).
#   PORT (default 3398) and LTS_LOG (default /tmp/lotse-lts-platform-$PORT.log) let two runs share a machine.
# Installs the suite's dependencies without a browser download, builds its package library, starts
# the platform (scripts/cmi5-lts/start-platform.ts), and runs jest with Debian's Chromium.
set -euo pipefail
CATAPULT=${1:?path to a CATAPULT checkout}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LTS=${LTS_DIR:-/tmp/catapult-lts}
PORT=${PORT:-3398}
LOG=${LTS_LOG:-/tmp/lotse-lts-platform-$PORT.log}
export LOTSE_URL="http://localhost:$PORT" LOTSE_ADMIN_EMAIL=lts-admin@example.org LOTSE_ADMIN_PASSWORD=lts-admin-passwort
export LRS_KEY=lts-key-123 LRS_SECRET=lts-secret-123

if [ "${SKIP_INSTALL:-}" != 1 ] || [ ! -d "$LTS/pkg/dist" ]; then
  rm -rf "$LTS" && cp -r "$CATAPULT/lts" "$LTS"
  cd "$LTS"
  PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
  (cd pkg && NODE_OPTIONS=--openssl-legacy-provider npx webpack)
fi
cd "$LTS"
cp "$HERE/lms.lotse.cjs" lib/lms.custom.js
# Debian's Chromium as root needs --no-sandbox
cat > jest-puppeteer.config.js <<JS
module.exports = { launch: { headless: true, executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] } };
JS
echo "CATAPULT_LMS=./lib/lms.custom.js" > .env

cd "$ROOT"
PORT=$PORT node --import tsx "$HERE/start-platform.ts" > "$LOG" 2>&1 &
PLATFORM=$!
trap 'kill $PLATFORM 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q READY "$LOG" && break; sleep 1; done
grep -q READY "$LOG" || { cat "$LOG"; exit 1; }

cd "$LTS"
PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium npx jest --runInBand --testTimeout="${LTS_TEST_TIMEOUT:-30000}" "$@"
