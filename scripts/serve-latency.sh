#!/usr/bin/env bash
# Measures `carnet serve`'s edit-to-visible time: from the newest post saved with a new title to the
# home page serving that title, the live-reload event in between. Usage:
# scripts/serve-latency.sh SITE [RUNS], SITE a generated site (`cargo run --release --example
# gen_site -- DIR 10000 1`); uses target/release/carnet; the edited post is restored at the end.
set -euo pipefail
site=$(cd "$1" && pwd)
runs=${2:-5}
carnet=$(cd "$(dirname "$0")/.." && pwd)/target/release/carnet
post=$(find "$site/_posts" -name '*.md' | sort | tail -n 1)
saved=$(mktemp)
log=$(mktemp)
errors=$(mktemp)
cp "$post" "$saved"
cleanup() {
    if [[ -n ${server:-} ]]; then kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    cp "$saved" "$post"
    rm -f "$saved" "$log" "$errors"
}
trap cleanup EXIT
ms() { echo $(( ($2 - $1) / 1000000 )); }

start=$(date +%s%N)
(cd "$site" && exec "$carnet" serve --port 0 >"$log" 2>"$errors") &
server=$!
for _ in $(seq 1200); do grep -q '^Serving' "$log" && break; sleep 0.1; done
echo "first build, until listening: $(ms "$start" "$(date +%s%N)") ms"
url=$(grep -o 'http://[^ ]*' "$log")
origin=$(echo "$url" | grep -o 'http://[^/]*')

for run in $(seq "$runs"); do
    marker="latency-$run-$RANDOM"
    events=$(mktemp)
    curl -sN "$origin/__carnet/events" >"$events" &
    reader=$!
    for _ in $(seq 100); do grep -q ': carnet' "$events" && break; sleep 0.02; done
    start=$(date +%s%N)
    sed "0,/^title:.*/s//title: \"$marker\"/" "$saved" >"$post"
    for _ in $(seq 6000); do grep -q 'data: reload' "$events" && break; sleep 0.005; done
    reloaded=$(date +%s%N)
    # A save seen half-written rebuilds twice: the title shows after the second reload.
    served() { [[ $(curl -s "$url") == *"$marker"* ]]; }
    for _ in $(seq 600); do served && break; sleep 0.05; done
    served || { echo "run $run: the new title is not served" >&2; exit 1; }
    visible=$(date +%s%N)
    kill "$reader" 2>/dev/null || true
    rm -f "$events"
    rebuilds=$(grep -o 'rebuilt in [0-9]* ms' "$errors" | sed 's/rebuilt in //' | paste -sd, -)
    : >"$errors"
    echo "run $run: reload event $(ms "$start" "$reloaded") ms, new title served $(ms "$start" "$visible") ms (server: rebuilt in $rebuilds)"
done
