#!/usr/bin/env bash
# Checks that carnet's top-level modules depend on each other one way: a module may use the modules
# of its own layer or of the layers below it, never one above, and no two modules use each other.
# ARCHITECTURE.md describes the layers. Run from anywhere; exits 1 and names each wrong import.
set -euo pipefail
cd "$(dirname "$0")/../src"

# From the bottom up.
layers=(
    "source fs paths text interrupt git cache"
    "error escape liquid markdown"
    "site"
    "post"
    "template"
    "lint listing render scaffold doctor lsp serve"
    "config output cli context commands"
)

declare -A layer_of
for i in "${!layers[@]}"; do
    for module in ${layers[$i]}; do
        layer_of[$module]=$i
    done
done

# Every `crate::NAME` a file mentions, as "FROM TO" pairs between top-level modules; `use crate::{..}`
# lists are split first.
edges=$(
    find . -name '*.rs' | sort | while read -r file; do
        from=${file#./}
        from=${from%%/*}
        from=${from%.rs}
        { { grep -o 'crate::{[^}]*}' "$file" || true; } | sed 's/crate::{//; s/}//' | tr ',' '\n' | sed 's/^ *//; s/::.*//'
          { grep -o 'crate::[a-z_]\+' "$file" || true; } | sed 's/crate:://'
        } | sort -u | while read -r to; do
            if [[ -n $to && $to != "$from" ]]; then echo "$from $to"; fi
        done
    done | sort -u
)

status=0
while read -r from to; do
    [[ -z $from ]] && continue
    if [[ $from == lib || $from == main ]]; then continue; fi
    for name in "$from" "$to"; do
        if [[ -z ${layer_of[$name]+set} ]]; then
            if [[ $name == "$to" && ($to == Context || $to == Outcome || $to == run) ]]; then
                continue 2
            fi
            echo "scripts/check-layers.sh: module \`$name\` is in no layer: add it to the list" >&2
            status=1
            continue 2
        fi
    done
    if (( layer_of[$to] > layer_of[$from] )); then
        echo "src/$from: uses crate::$to, a layer above it" >&2
        status=1
    fi
done <<< "$edges"

# Within a layer, no cycle: tsort fails on one and names its members.
cycles=$(printf '%s\n' "$edges" | grep -v '^\(lib\|main\) \| \(Context\|Outcome\|run\)$' | tsort 2>&1 > /dev/null || true)
if [[ -n $cycles ]]; then
    echo "src: import cycle between top-level modules:" >&2
    echo "$cycles" | sed 's/^tsort: /  /' >&2
    status=1
fi
if (( status == 0 )); then
    echo "layers: each top-level module uses only its own layer or those below it, with no cycle"
fi
exit $status
