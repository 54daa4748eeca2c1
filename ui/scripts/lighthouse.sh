#!/bin/bash
# Lighthouse's mobile profile (SPEC §17) on the configurator and the customer's phone page,
# with Debian's chromium, against the release server over the demo catalog: prints
# performance and accessibility per run. Not part of `make test` (a measurement, never an
# assertion); `make bench-lighthouse`. Lighthouse comes from the npm registry on first use.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${PAFORM_BIN:-$ROOT/target/release/paform}
PORT=${PORT:-8411}
RUNS=${RUNS:-3}
BASE=http://127.0.0.1:$PORT
DATA=$(mktemp -d)
PAFORM_UI_DIR=$ROOT/ui/out "$BIN" serve --bind 127.0.0.1:$PORT --data-dir "$DATA" >"$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER; rm -rf "$DATA" "$DATA.log"' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 0.2; done
json() { python3 -c "import sys,json;print($1)"; }
ITEMS=$(curl -sf "$BASE/api/modules?limit=3" | json 'json.dumps([{"module_id":m["id"],"quantity":1} for m in json.load(sys.stdin)["items"]])')
DESIGN=$(curl -sf -H 'content-type: application/json' -d "{\"name\":\"Garcia kitchen\",\"items\":$ITEMS}" "$BASE/api/designs" | json 'json.load(sys.stdin)["id"]')
TOKEN=$(curl -sf -X POST "$BASE/api/designs/$DESIGN/share" | json 'json.load(sys.stdin)["token"]')
export CHROME_PATH=/usr/bin/chromium
for page in "/" "/share/?token=$TOKEN"; do
  for run in $(seq 1 "$RUNS"); do
    report="$DATA/report-$run.json"
    npx --yes lighthouse@12.8.2 "$BASE$page" --quiet --output=json --output-path="$report" \
      --only-categories=performance,accessibility \
      --chrome-flags="--headless=new --no-sandbox --use-gl=swiftshader --enable-unsafe-swiftshader"
    python3 - "${page%%\?*}" "$report" <<'PY'
import json, sys
report = json.load(open(sys.argv[2]))
score = lambda name: round(report["categories"][name]["score"] * 100)
value = lambda name: report["audits"][name]["displayValue"]
print(f"{sys.argv[1]}: performance {score('performance')}, accessibility {score('accessibility')}; "
      f"LCP {value('largest-contentful-paint')}, TBT {value('total-blocking-time')}, CLS {value('cumulative-layout-shift')}")
PY
  done
done
