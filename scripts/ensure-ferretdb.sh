#!/usr/bin/env bash
# Builds FerretDB v1.24.2 with our patches (scripts/ferretdb-patches/*.patch) once per machine into a
# cache outside the repo and prints the binary's path.
#   --print-path  only print where the binary for the current patch set is (or would be); build nothing.
#                 src/db/ferretdb-binary.ts asks this, so the path is computed in one place only.
#   --unpatched   the plain upstream build, without our patches (for benchmarks against the baseline).
# The cache directory is named by a hash of the patch files, so a changed or added patch builds anew.
# The module comes from the Go module proxy. A plain `go install ...@v1.24.2` (and, with Go 1.26, also
# the wrapper-module route of ../shared/docs/database.md) yields a binary that panics at start because
# the generated build/version/version.txt is missing, so we build from a copy of the module source
# with that one file written, exactly as FerretDB's own `task gen-version` would.
set -euo pipefail
VERSION=v1.24.2
PATCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ferretdb-patches"
shopt -s nullglob
print_only=false
patches=("$PATCH_DIR"/*.patch)
for arg in "$@"; do
  case "$arg" in
    --print-path) print_only=true ;;
    --unpatched) patches=() ;;
    *) echo "ensure-ferretdb: unknown option $arg" >&2; exit 2 ;;
  esac
done
NAME="ferretdb-$VERSION"
if [ ${#patches[@]} -gt 0 ]; then
  NAME="$NAME-p$(for p in "${patches[@]}"; do basename "$p"; cat "$p"; done | sha256sum | cut -c1-12)"
fi
CACHE_DIR="${FERRETDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gezu-lotse}/$NAME"
BIN="$CACHE_DIR/ferretdb"
if $print_only || [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
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
  cd src
  for p in "${patches[@]}"; do
    # the ceiling keeps git apply from taking a repository around the temp dir for the tree to patch
    GIT_CEILING_DIRECTORIES="$WORK" git apply "$p" || { echo "ensure-ferretdb: patch $(basename "$p") does not apply" >&2; exit 1; }
  done
  CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb >&2
)
mv "$BIN.tmp" "$BIN"
echo "$BIN"
