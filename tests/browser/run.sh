#!/usr/bin/env bash
# Starts the API on a free loopback port with a throw-away SQLite folder, opens its GraphQL IDE (ide.test.mjs) and its
# graph explorer and source reader (explorer.test.mjs) in headless Chromium, calls it from a page on another origin
# (cors.test.mjs), runs the README's front-end recipe with Apollo Client and urql (examples/frontend/test/recipe.test.mjs),
# stops the API and exits with the tests' status. Screenshots and the API log land in artifacts/
# (the explorer's screenshots in $KG_TEST_RESULTS/screenshots when that is set).
#   KG_QUERY / KG_EXPECT  the query to type and the text its answer must show (default: picked from the schema)
#   KG_CHROMIUM           the browser binary (default /usr/bin/chromium, installed from Debian when missing)
#   CONFIGURATION         Debug (default) or Release
#   KG_TEST_RESULTS       a folder to also write a TAP report to (browser.tap), which build.sh totals with the rest
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
configuration="${CONFIGURATION:-Debug}"
chromium="${KG_CHROMIUM:-/usr/bin/chromium}"
artifacts="$here/artifacts"
mkdir -p "$artifacts"

# Playwright's own browser download cannot work on these machines; Debian's Chromium is the browser.
if [ ! -x "$chromium" ]; then
  echo "run.sh: installing Chromium from Debian"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts)

# The front-end recipe: installed from its own lockfile only when that changed (a stamp written after npm ci succeeds,
# as the explorer's build does), then its typed operations and possibleTypes generated from schema/schema.graphql
# and compiled by tsc on every run, so a schema change that breaks the recipe fails here.
frontend="$root/examples/frontend"
frontend_stamp="$frontend/node_modules/.knowledgegraph-npm-ci.stamp"
if [ ! -f "$frontend_stamp" ] || [ "$frontend/package-lock.json" -nt "$frontend_stamp" ] || [ "$frontend/package.json" -nt "$frontend_stamp" ]; then
  (cd "$frontend" && npm ci --no-audit --no-fund --ignore-scripts)
  touch "$frontend_stamp"
fi
(cd "$frontend" && npm run --silent build)

# Built separately so a compile error reads as one, and start-up below is not timed against a build.
dotnet build "$root/src/KnowledgeGraph.Api" -c "$configuration" -nologo -v quiet

free_port() { node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"; }
port="$(free_port)"
base_url="http://127.0.0.1:$port"
# The origin cors.test.mjs serves its front-end page from; the API lets only that one call it from a browser.
cors_port="$(free_port)"
data_dir="$(mktemp -d)"
api_log="$artifacts/api.log"

# setsid gives the API its own process group, so stopping it also stops the app process that `dotnet run` starts.
Sqlite__DataDirectory="$data_dir" Cors__AllowedOrigins__0="http://127.0.0.1:$cors_port" setsid dotnet run --project "$root/src/KnowledgeGraph.Api" -c "$configuration" \
  --no-build --no-launch-profile --urls "$base_url" >"$api_log" 2>&1 &
api_pid=$!

stop_api() {
  kill -TERM -- "-$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true
  rm -rf "$data_dir"
}
trap stop_api EXIT

echo "run.sh: waiting for $base_url/health/ready"
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$api_pid" 2>/dev/null; then
    echo "run.sh: the API exited during start-up; its log:" >&2
    cat "$api_log" >&2
    exit 1
  fi
  if node -e "fetch('$base_url/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    ready=yes
    break
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "run.sh: the API was not ready after 120 s; its log:" >&2
  cat "$api_log" >&2
  exit 1
fi

status=0
reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${KG_TEST_RESULTS:-}" ]; then
  mkdir -p "$KG_TEST_RESULTS"
  reporters+=(--test-reporter=tap --test-reporter-destination="$KG_TEST_RESULTS/browser.tap")
fi
screenshots="$artifacts"
if [ -n "${KG_TEST_RESULTS:-}" ]; then screenshots="$KG_TEST_RESULTS/screenshots"; fi
(cd "$here" && KG_BASE_URL="$base_url" KG_CORS_ALLOWED_PORT="$cors_port" KG_CHROMIUM="$chromium" KG_ARTIFACTS="$screenshots" \
  node --test --test-concurrency=1 "${reporters[@]}" ide.test.mjs explorer.test.mjs cors.test.mjs "$frontend/test/recipe.test.mjs") || status=$?
echo "run.sh: screenshots in $artifacts/ide-query.png and $screenshots/explorer-*.png, reader.png; API log in $api_log"
exit "$status"
