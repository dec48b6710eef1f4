#!/usr/bin/env bash
# Sourced by ./dev: puts Node 24 LTS and the pinned pnpm on PATH and installs the workspace.
# The machine's Node 20 is end of life; the npm registry's `node` package ships Node 24, so the
# machine's npm installs it (and pnpm) into scripts/toolchain/node_modules. Nothing global changes.
set -euo pipefail
LABELDOCS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain="$LABELDOCS_ROOT/scripts/toolchain"
want_node="$(sed -n 's/.*"node": "\(.*\)".*/\1/p' "$toolchain/package.json")"
want_pnpm="$(sed -n 's/.*"pnpm": "\(.*\)".*/\1/p' "$toolchain/package.json")"

have_version() { [ -x "$toolchain/node_modules/.bin/$1" ] && [ "$("$toolchain/node_modules/.bin/$1" --version 2>/dev/null | sed 's/^v//')" = "$2" ]; }

if ! have_version node "$want_node" || ! have_version pnpm "$want_pnpm"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "labeldocs: npm is missing; install it with: apt-get install -y npm" >&2
    exit 1
  fi
  echo "labeldocs: installing Node $want_node and pnpm $want_pnpm into scripts/toolchain (first run only)" >&2
  npm install --prefix "$toolchain" --no-audit --no-fund --loglevel=error >&2
fi
export PATH="$toolchain/node_modules/.bin:$PATH"

# Install the workspace when the lockfile or any manifest changed since the last install.
stamp="$LABELDOCS_ROOT/node_modules/.labeldocs-install-stamp"
fingerprint="$(cat "$LABELDOCS_ROOT/pnpm-lock.yaml" "$LABELDOCS_ROOT"/package.json "$LABELDOCS_ROOT"/pnpm-workspace.yaml \
  "$LABELDOCS_ROOT"/{packages,apps,tooling}/*/package.json 2>/dev/null | sha256sum | cut -c1-64)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$fingerprint" ]; then
  (cd "$LABELDOCS_ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
  echo "$fingerprint" > "$stamp"
fi
