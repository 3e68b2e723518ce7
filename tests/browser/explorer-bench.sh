#!/usr/bin/env bash
# The explorer's render benchmark on the synthetic graph (docs/benchmarks.md): makes a synthetic SQLite graph with the
# scale benchmark (tests/KnowledgeGraph.Benchmarks), picks its entity with the most relationships (the page draws
# the first 100), starts the API on that file, and times the page in headless Chromium (explorer-bench.mjs).
#   KG_BENCH_DIR       where the synthetic graph is kept and reused (default /tmp/kg-explorer-bench)
#   KG_BENCH_ENTITIES  entities / KG_BENCH_RELATIONSHIPS relationships of the synthetic graph (20000 / 100000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${KG_BENCH_DIR:-/tmp/kg-explorer-bench}"
entities="${KG_BENCH_ENTITIES:-20000}"
relationships="${KG_BENCH_RELATIONSHIPS:-100000}"

(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
if [ ! -f "$dir/scale.db" ]; then
  dotnet run -c Release --project "$root/tests/KnowledgeGraph.Benchmarks" -- scale --entities "$entities" --relationships "$relationships" \
    --dir "$dir" --lookups 10 --paths 5 >/dev/null
fi
key="$(python3 - "$dir/scale.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("""SELECT k, COUNT(*) AS n FROM (SELECT from_key AS k FROM relationships UNION ALL SELECT to_key FROM relationships)
                    GROUP BY k HAVING n >= 100 ORDER BY n ASC LIMIT 1""").fetchone()
print(row[0] if row else "")
PY
)"
if [ -z "$key" ]; then echo "explorer-bench.sh: no entity has 100 relationships; raise KG_BENCH_RELATIONSHIPS" >&2; exit 1; fi

dotnet build "$root/src/KnowledgeGraph.Api" -c Release -nologo -v quiet
port="$(node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")"
base_url="http://127.0.0.1:$port"
Store__SeedOnStart=false Sqlite__DataDirectory="$dir" Sqlite__FileName=scale.db Limits__RateLimit__Enabled=false \
  setsid dotnet run --project "$root/src/KnowledgeGraph.Api" -c Release --no-build --no-launch-profile --urls "$base_url" >"$dir/api.log" 2>&1 &
api_pid=$!
trap 'kill -TERM -- "-$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  node -e "fetch('$base_url/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && break
  sleep 1
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), node $(node --version), $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
echo "synthetic graph: $entities entities, $relationships relationships ($dir/scale.db)"
(cd "$here" && KG_BASE_URL="$base_url" KG_BENCH_KEY="$key" node explorer-bench.mjs)
