#!/usr/bin/env bash
# npm run demo [-- --size 200 --seed 2025 --keep-running --without-imdb-share 0.15]
#
# The first command of the README on a fresh clone: installs what is missing (npm packages;
# Debian's prometheus when we are root), then runs `festival-resolver demo`, which starts
# the local stack, a twin of TMDb/OMDb/Zyte, the resolver and Prometheus, publishes a
# Cannes lineup and prints the KPI report.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

# 1. npm packages: missing, or older than the lock file (npm writes node_modules/.package-lock.json on install).
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "node_modules is missing or older than package-lock.json: running npm ci (about a minute)"
  npm ci --no-audit --no-fund
else
  say "node_modules is up to date with package-lock.json"
fi

# 2. Prometheus (optional): the demo scrapes the resolver's /metrics with Debian's binary.
if command -v prometheus >/dev/null 2>&1; then
  say "prometheus found: $(command -v prometheus)"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  say "prometheus is not on PATH and we are root: installing Debian's prometheus package with apt-get"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; then
    say "prometheus installed: $(command -v prometheus || echo '(not on PATH?)')"
  else
    say "could not install prometheus; the demo goes on without it (metrics stay available on /metrics)"
  fi
else
  say "prometheus is not on PATH and we are not root; the demo goes on without it"
  say "  (to get it: sudo apt-get install prometheus, then run npm run demo again)"
fi

# 3. The demo itself (Node through tsx, no build step).
exec node bin/festival-resolver.js demo "$@"
