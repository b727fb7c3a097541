#!/usr/bin/env bash
# Bundles the entry points (cli/main.ts, daemon/main.ts, resource-agents/ocf-main.ts) into build/
# with the esbuild that tsx ships, so bin/tandem, bin/tandemd and the installed OCF wrappers of
# tandem's agents (resource.d/tandem/*) start without compiling TypeScript on every run.
# Quick no-op when the bundles are newer than every source file. bin/* fall back to tsx when a
# bundle is missing or stale, so this step is an optimisation, never a requirement.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
esbuild=node_modules/esbuild/bin/esbuild
if [ ! -x "$esbuild" ]; then
  echo "tandem build: $esbuild not found (npm ci installs it with tsx); bin/* will use tsx" >&2
  exit 0
fi
sources=(cli coordinator agent resource-agents daemon lab proto/gen package.json)
bundle() { # entry output
  local entry=$1 out=$2
  if [ -f "$out" ] && [ -z "$(find "${sources[@]}" -newer "$out" -type f 2>/dev/null | head -1)" ]; then
    return 0
  fi
  # Written aside and renamed, so a wrapper starting meanwhile never reads half a bundle.
  "$esbuild" "$entry" --bundle --platform=node --format=esm --target=node20 --packages=external \
    --log-level=warning --outfile="$out.$$.tmp"
  mv -f "$out.$$.tmp" "$out"
}
# The OCF entry first: it is small and self-contained, so a daemon/ or cli/ edit that does not
# build yet does not keep the agents' wrappers on the slow path.
[ -f resource-agents/ocf-main.ts ] && bundle resource-agents/ocf-main.ts build/tandem-ocf.mjs
[ -f cli/main.ts ] && bundle cli/main.ts build/tandem.mjs
[ -f daemon/main.ts ] && bundle daemon/main.ts build/tandemd.mjs
exit 0
