#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to run tandem, its demo and its tests.
# Idempotent and quick when everything is there: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

# command or file that must exist -> Debian package that provides it
declare -A NEED=(
  [/usr/sbin/crm_simulate]=pacemaker-cli-utils   # the reference scheduler (differential tests)
  [/usr/share/pacemaker/pacemaker.rng]=pacemaker  # schemas crm_verify needs
  [/usr/sbin/ocf-tester]=resource-agents          # stock OCF agents and ocf-tester
  [/usr/sbin/modprobe]=kmod                       # the stock Filesystem agent calls modprobe
  [/usr/bin/fping]=fping
  [/usr/bin/ping]=iputils-ping
  [/usr/bin/arping]=iputils-arping
  [/usr/sbin/ip]=iproute2
  [/usr/bin/fuser]=psmisc
  [/usr/bin/redis-server]=redis-server
  [/usr/bin/systemd-analyze]=systemd
  [/usr/bin/xmllint]=libxml2-utils                # ocf-tester validates meta-data with xmllint
  [/usr/sbin/mkfs.ext4]=e2fsprogs                 # loop-device Filesystem tests
  [/usr/bin/curl]=curl                            # the demo and cluster tests probe the floating IP
)
missing=()
for path in "${!NEED[@]}"; do
  [ -e "$path" ] || missing+=("${NEED[$path]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tandem setup: missing Debian packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "tandem setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node dependencies: install when absent or when package-lock.json changed since the last install.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "tandem setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# Generated protocol code (proto/gen/, not committed): regenerate when a .proto is newer than it.
gen_out=proto/gen/tandem/v1/tandem.ts
if [ ! -f "$gen_out" ] || [ -n "$(find proto/tandem -name '*.proto' -newer "$gen_out" 2>/dev/null)" ]; then
  echo "tandem setup: npm run gen" >&2
  npm run --silent gen
fi

# Bundles for fast start-up of bin/tandem and bin/tandemd (build/, not committed).
bash scripts/build.sh
