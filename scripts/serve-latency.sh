#!/usr/bin/env bash
# Measures a preview server's edit-to-visible time: from the newest post saved with a new title to
# the home page serving that title. For `carnet serve` (the default) also the live-reload event in
# between and the server's own rebuild time (its `rebuilt in N ms` lines); `hugo` runs
# `hugo server` on the site's Hugo copy (content/posts), `jekyll` runs `jekyll serve --incremental`.
# Usage: scripts/serve-latency.sh SITE [RUNS] [carnet|hugo|jekyll], SITE a generated site
# (`cargo run --release --example gen_site -- DIR 10000 1 --hugo`), edited in place (the post is
# restored at the end: use a copy); carnet is target/release/carnet. The server must answer within
# $STARTUP_TIMEOUT seconds (default 1200).
set -euo pipefail
site=$(cd "$1" && pwd)
runs=${2:-5}
tool=${3:-carnet}
carnet=$(cd "$(dirname "$0")/.." && pwd)/target/release/carnet
case $tool in
    hugo) posts=$site/content/posts ;;
    carnet | jekyll) posts=$site/_posts ;;
    *) echo "serve-latency: unknown tool $tool (carnet, hugo or jekyll)" >&2; exit 2 ;;
esac
post=$(find "$posts" -name '*.md' | sort | tail -n 1)
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
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start=$(date +%s%N)
case $tool in
    carnet)
        (cd "$site" && exec "$carnet" serve --port 0 >"$log" 2>"$errors") &
        server=$!
        for _ in $(seq $((${STARTUP_TIMEOUT:-1200} * 10))); do grep -q '^Serving' "$log" && break; sleep 0.1; done
        url=$(grep -o 'http://[^ ]*' "$log")
        ;;
    hugo | jekyll)
        port=$(free_port)
        url=http://127.0.0.1:$port/
        if [[ $tool == hugo ]]; then
            (cd "$site" && exec hugo server --bind 127.0.0.1 --port "$port" >"$log" 2>"$errors") &
        else
            (cd "$site" && exec jekyll serve --incremental --host 127.0.0.1 --port "$port" >"$log" 2>"$errors") &
        fi
        server=$!
        for _ in $(seq $((${STARTUP_TIMEOUT:-1200} * 10))); do curl -sf -o /dev/null "$url" && break; sleep 0.1; done
        ;;
esac
curl -sf -o /dev/null "$url" || { echo "$tool: not answering at $url after ${STARTUP_TIMEOUT:-1200} s" >&2; exit 1; }
echo "$tool: first build, until the home page answers: $(ms "$start" "$(date +%s%N)") ms"
origin=$(echo "$url" | grep -o 'http://[^/]*')

for run in $(seq "$runs"); do
    marker="latency-$run-$RANDOM"
    if [[ $tool == carnet ]]; then
        events=$(mktemp)
        curl -sN "$origin/__carnet/events" >"$events" &
        reader=$!
        for _ in $(seq 100); do grep -q ': carnet' "$events" && break; sleep 0.02; done
        seen=$(wc -l <"$errors")
    fi
    start=$(date +%s%N)
    sed "0,/^title:.*/s//title: \"$marker\"/" "$saved" >"$post"
    if [[ $tool == carnet ]]; then
        for _ in $(seq 6000); do grep -q 'data: reload' "$events" && break; sleep 0.005; done
        reloaded=$(date +%s%N)
    fi
    # A save seen half-written rebuilds twice: the title shows after the second rebuild.
    served() { [[ $(curl -s "$url") == *"$marker"* ]]; }
    for _ in $(seq 6000); do served && break; sleep 0.01; done
    served || { echo "run $run: the new title is not served" >&2; exit 1; }
    visible=$(date +%s%N)
    if [[ $tool == carnet ]]; then
        kill "$reader" 2>/dev/null || true
        rm -f "$events"
        # The server prints its times once the post is linted, after the page is served.
        since() { tail -n +"$((seen + 1))" "$errors" | grep -ao 'rebuilt in .*' | sed 's/rebuilt in //' || true; }
        for _ in $(seq 100); do [[ -n $(since) ]] && break; sleep 0.05; done
        rebuilds=$(since | paste -sd';' -)
        echo "run $run: reload event $(ms "$start" "$reloaded") ms, new title served $(ms "$start" "$visible") ms (server: rebuilt in $rebuilds)"
    else
        echo "run $run: new title served $(ms "$start" "$visible") ms"
    fi
    # Let a server that watches with a delay settle before the next save.
    sleep 1
done
