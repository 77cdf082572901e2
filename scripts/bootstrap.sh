#!/usr/bin/env bash
# What `npm test` (and so `.ci/run`) needs on a fresh clone, installed or built when missing:
# 1. npm packages: when node_modules is missing or older than package-lock.json (npm ci);
# 2. Debian packages the tests run for real: prometheus + promtool (monitoring tests), chromium
#    (the console's browser tests; or CHROMIUM_PATH), Java 17
#    and Maven (Kafka), and PostgreSQL 15 with the build dependencies of the store's
#    extensions — installed with apt-get when root, otherwise a message with the command;
# 3. the local stack's builds (Kafka jars, the PostgreSQL extensions, FerretDB and the schema
#    registry; `stack prepare`, minutes on the first run, about a second after).
# Go >= 1.24 must be on PATH (Debian 12's golang is 1.19): https://go.dev/dl/.
# Skip step 3 with BOOTSTRAP_SKIP_STACK=1 (tests pointed at other servers by KAFKA_BROKERS,
# MONGODB_URI and SCHEMA_REGISTRY_URL).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*"; }

# 1. npm packages (npm writes node_modules/.package-lock.json on install).
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "node_modules is missing or older than package-lock.json: running npm ci"
  npm ci --no-audit --no-fund
fi

# 2. Debian packages.
need=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# The console's browser tests drive Debian's chromium (playwright-core downloads no browser).
[ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The store: the same list as POSTGRES_PACKAGES in src/stack/postgres-build.ts.
for pkg in postgresql-15 postgresql-server-dev-15 postgresql-15-postgis-3 postgresql-15-rum \
  libbson-dev libpcre2-dev libintelrdfpmath-dev libkrb5-dev pkg-config make gcc; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if (( ${#need[@]} > 0 )); then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    say "missing Debian packages: ${need[*]}" >&2
    say "  install them with: sudo apt-get install --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
fi
if ! command -v go >/dev/null 2>&1; then
  say "go is not on PATH: the local stack builds FerretDB and the schema registry with Go >= 1.24 (https://go.dev/dl/)" >&2
  exit 1
fi
if [ ! -d ../shared/data ]; then
  say "../shared/data is missing: clone the repo next to the shared folder (tests read its reference data)" >&2
  exit 1
fi

# 3. The local stack's builds (nothing is started here: test/setup/global-setup.ts does that).
if [ "${BOOTSTRAP_SKIP_STACK:-}" != "1" ] && { [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${MONGODB_URI:-}" ] || [ -z "${SCHEMA_REGISTRY_URL:-}" ]; }; then
  node bin/festival-resolver.js stack prepare
fi
