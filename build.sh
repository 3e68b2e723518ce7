#!/usr/bin/env bash
# The two commands a newcomer needs, each doing its own set-up on a fresh machine:
#   ./build.sh run    runs the service with the embedded defaults (SQLite under ./data, seeded on first start)
#   ./build.sh test   installs what the tests need, builds, runs every test project and prints one summary line
#   ./build.sh robustness  the attacks and faults of issue 9 against the Release build (minutes; not part of test)
#   ./build.sh cli    the operator commands against the same data (./build.sh cli keys create --name acme --role partner)
#   ./build.sh bench-peer [--quick]   our API against a mercurius peer, side by side (docs/benchmarks.md, "Side by side")
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs Debian packages that are missing. CI starts on whatever machine it gets, so nothing is assumed installed.
ensure_packages() {
  local missing=()
  for pair in "$@"; do
    local command=${pair%%:*} package=${pair#*:}
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is needed ($2)" >&2; exit 1; }
}

run_service() {
  require dotnet "the .NET 10 SDK"
  require npm "Node.js 20 with npm, which installs the Banana Cake Pop IDE at build time"
  local urls=${KG_URLS:-http://127.0.0.1:5000}
  # dotnet run starts the app in its project folder; the data folder stays at the repository's root.
  export Sqlite__DataDirectory=${Sqlite__DataDirectory:-$root/data}
  log "KnowledgeGraph on $urls (GraphQL and Banana Cake Pop at $urls/graphql)"
  exec dotnet run --project src/KnowledgeGraph.Api -c Release --no-launch-profile --urls "$urls" -- "$@"
}

run_tests() {
  require dotnet "the .NET 10 SDK"
  require npm "Node.js 20 with npm"
  # redis-server for the cache tests, docker-compose (the parser only; no engine runs here) for the compose check
  ensure_packages python3:python3 redis-server:redis-server docker-compose:docker-compose
  local results="$root/artifacts/test-results"
  rm -rf "$results"
  mkdir -p "$results"

  log "building"
  dotnet build KnowledgeGraph.sln -c Release -warnaserror -v q -nologo

  log "checking formatting and naming (dotnet format --verify-no-changes)"
  dotnet format KnowledgeGraph.sln --verify-no-changes --no-restore -v q

  local status=0
  for project in tests/*/*Tests.csproj; do
    local name
    name=$(basename "$project" .csproj)
    log "running $name"
    dotnet test "$project" -c Release --no-build -v q -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
  done

  log "running the browser tests (Banana Cake Pop, the explorer and the source reader in headless Chromium; the front-end recipe)"
  CONFIGURATION=Release KG_TEST_RESULTS="$results" tests/browser/run.sh || status=$?

  python3 tests/summarize.py "$results" || status=$?
  return $status
}

run_cli() {
  require dotnet "the .NET 10 SDK"
  export Sqlite__DataDirectory=${Sqlite__DataDirectory:-$root/data}
  exec dotnet run --project src/KnowledgeGraph.Api -c Release --no-launch-profile -- "$@"
}

run_bench_peer() {
  require dotnet "the .NET 10 SDK"
  require npm "Node.js 20 with npm, which installs the mercurius peer from its lockfile"
  ensure_packages wrk:wrk taskset:util-linux
  log "building the Release API and the benchmark, then measuring side by side (--quick for a short run)"
  exec dotnet run -c Release --project tests/KnowledgeGraph.LoadBenchmarks -- side-by-side "$@"
}

case "${1:-}" in
  run) shift; run_service "$@" ;;
  cli) shift; run_cli "$@" ;;
  test) shift; run_tests "$@" ;;
  bench-peer) shift; run_bench_peer "$@" ;;
  robustness) shift; dotnet run -c Release --project tests/KnowledgeGraph.Robustness -- "$@" ;;
  *) echo "usage: ./build.sh run | ./build.sh test | ./build.sh cli <command> | ./build.sh robustness | ./build.sh bench-peer [--quick]" >&2; exit 2 ;;
esac
