#!/usr/bin/env bash
# Lint each blog of a corpus of real sites and print, per blog, how often each rule fired.
#
# Usage: scripts/corpus-report.sh [CORPUS_DIR]
#   CORPUS_DIR   folder holding one folder per blog (default: $CARNET_CORPUS, else
#                ../shared/corpus relative to the repository root)
#   CARNET_BIN   use this carnet binary instead of building one (cargo build --release)
#
# A blog's folder is linted as a whole site (`carnet --site DIR lint`), except the layouts
# listed in `args_for` below. Exit codes 0 and 1 are normal (no findings / findings);
# anything else (2: unreadable file or bad configuration, 101: a crash) is reported as trouble
# and makes the script exit 1. The JSON reports and standard errors are kept in scripts/out/corpus/.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-${CARNET_CORPUS:-$repo/../shared/corpus}}"
if [[ ! -d "$corpus" ]]; then
    echo "corpus-report: $corpus: no such folder (pass CORPUS_DIR or set CARNET_CORPUS)" >&2
    exit 2
fi
corpus="$(cd "$corpus" && pwd)"

if [[ -z "${CARNET_BIN:-}" ]]; then
    echo "Building carnet (release)..." >&2
    cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml"
    CARNET_BIN="$repo/target/release/carnet"
fi

out="$repo/scripts/out/corpus"
mkdir -p "$out"

# The carnet arguments that lint one blog (in `args`): posts outside `_posts/` are named as a folder.
args_for() {
    local name="$1" dir="$2"
    case "$name" in
        nodejs) args=(lint "$dir/blog") ;;
        rust-blog) args=(lint "$dir/content") ;;
        *) args=(--site "$dir" lint) ;;
    esac
}

trouble=0
names=()
for dir in "$corpus"/*/; do
    dir="${dir%/}"
    name="$(basename "$dir")"
    names+=("$name")
    args_for "$name" "$dir"
    start=$(date +%s.%N)
    set +e
    "$CARNET_BIN" "${args[@]}" --format json >"$out/$name.json" 2>"$out/$name.stderr"
    code=$?
    set -e
    end=$(date +%s.%N)
    echo "$code $start $end" >"$out/$name.status"
    if [[ $code -gt 1 ]]; then
        trouble=1
        echo "corpus-report: $name: exit $code (see $out/$name.stderr):" >&2
        head -n 5 "$out/$name.stderr" >&2
    fi
done

python3 - "$out" "${names[@]}" <<'PY'
import json, sys
from collections import Counter

out, names = sys.argv[1], sys.argv[2:]
counts, files, status = {}, {}, {}
for name in names:
    code, start, end = open(f"{out}/{name}.status").read().split()
    status[name] = (int(code), float(end) - float(start))
    try:
        report = json.load(open(f"{out}/{name}.json"))
    except ValueError:
        report = {"files_checked": 0, "diagnostics": []}
    files[name] = report["files_checked"]
    counts[name] = Counter(
        (d["rule"], d["severity"]) for d in report["diagnostics"]
    )

rules = sorted({key for c in counts.values() for key in c})
print("| rule | severity | " + " | ".join(names) + " |")
print("|---|---|" + "---:|" * len(names))
for rule, severity in rules:
    cells = [str(counts[n].get((rule, severity), 0) or "") for n in names]
    print(f"| `{rule}` | {severity} | " + " | ".join(cells) + " |")
print("| **findings** | | " + " | ".join(str(sum(counts[n].values())) for n in names) + " |")
print("| files checked | | " + " | ".join(str(files[n]) for n in names) + " |")
print("| exit code | | " + " | ".join(
    str(status[n][0]) + ("" if status[n][0] <= 1 else " TROUBLE") for n in names) + " |")
print("| seconds | | " + " | ".join(f"{status[n][1]:.2f}" for n in names) + " |")
PY

exit "$trouble"
