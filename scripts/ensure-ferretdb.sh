#!/usr/bin/env bash
# Builds FerretDB v1.24.2 once per machine into a cache outside the repo and prints the binary's path.
# The module comes from the Go module proxy. A plain `go install ...@v1.24.2` (and, with Go 1.26, also
# the wrapper-module route of ../shared/docs/database.md) yields a binary that panics at start because
# the generated build/version/version.txt is missing, so we build from a copy of the module source
# with that one file written, exactly as FerretDB's own `task gen-version` would.
set -euo pipefail
VERSION=v1.24.2
CACHE_DIR="${FERRETDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gezu-lotse/ferretdb-$VERSION}"
BIN="$CACHE_DIR/ferretdb"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do [ -x "$g" ] && PATH="$(dirname "$g"):$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || { echo "ensure-ferretdb: Go is not installed; set MONGODB_URI or install Go" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
flock 9
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(
  cd "$WORK"
  SRC="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$SRC" ] || { echo "ensure-ferretdb: could not download FerretDB $VERSION" >&2; exit 1; }
  cp -r "$SRC" src && chmod -R u+w src
  printf '%s\n' "$VERSION" > src/build/version/version.txt
  cd src && CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb >&2
)
mv "$BIN.tmp" "$BIN"
echo "$BIN"
