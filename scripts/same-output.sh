#!/usr/bin/env bash
# Runs two carnet binaries over the same sites and compares everything they print and write:
# lint (human and JSON), list (JSON and CSV), tags, the three exports and doctor, with the exit code
# of each. Used to show that a refactoring changed no behaviour.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY [SITE...]
#
# With no SITE, the fixture sites of fixtures/ are used. Prints one line per difference and exits 1
# if there is any.
set -uo pipefail
if (( $# < 2 )); then
    echo "usage: $0 OLD_BINARY NEW_BINARY [SITE...]" >&2
    exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
cd "$(dirname "$0")/.."
sites=("$@")
if (( ${#sites[@]} == 0 )); then
    sites=(fixtures/*/)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The clock is fixed so that future posts and feed dates do not depend on when this runs.
now=2026-01-01T00:00:00Z
commands=(
    "lint --no-cache"
    "lint --no-cache --format json"
    "list --all --format json"
    "list --all --format csv"
    "tags --format json"
    "tags --categories --format csv"
    "export --format json"
    "export --format jsonfeed"
    "export --format html --output @OUT@"
    "doctor"
)

run_all() { # BINARY SITE OUTDIR
    local binary=$1 site=$2 out=$3
    mkdir -p "$out"
    local i=0
    for command in "${commands[@]}"; do
        i=$((i + 1))
        # Both binaries write to the same folder, so that the messages naming it are the same.
        local html="$work/html"
        rm -rf "$html"
        # shellcheck disable=SC2086
        "$binary" --color never --now "$now" --site "$site" ${command//@OUT@/$html} \
            > "$out/$i.stdout" 2> "$out/$i.stderr"
        echo "$?" > "$out/$i.code"
        if [[ -d $html ]]; then
            # Compared without the marker that records the export's own details.
            rm -f "$html/.carnet-export"
            mv "$html" "$out/html-$i"
        fi
    done
}

status=0
for site in "${sites[@]}"; do
    site=${site%/}
    name=$(echo "$site" | tr '/.' '__')
    run_all "$old" "$site" "$work/old/$name"
    run_all "$new" "$site" "$work/new/$name"
    if ! diff -r "$work/old/$name" "$work/new/$name" > "$work/diff-$name" 2>&1; then
        echo "$site: differs:"
        head -40 "$work/diff-$name" | sed 's/^/    /'
        status=1
    else
        echo "$site: same output"
    fi
done
exit $status
