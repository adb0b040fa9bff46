#!/usr/bin/env bash
# Benchmarks carnet against peer tools on generated Jekyll sites and rewrites BENCHMARKS.md.
#
#   scripts/bench.sh                  full run (hyperfine: 1 warm-up, at least 5 runs)
#   BENCH_QUICK=1 scripts/bench.sh    fewer runs (1 warm-up, 2 runs)
#   BENCH_100K=1 scripts/bench.sh     also lint a 100,000-post site (scaling 10k -> 100k)
#   BENCH_PEERS_ONLY=1 scripts/bench.sh   skip carnet (check that the peers run on the sites)
#   BENCH_CARNET=/path/to/carnet scripts/bench.sh  benchmark that binary instead of building one
#                                     (a relative path is taken from the repository root)
#
# Steps: install the peer tools if missing (Debian packages, npm, PyPI), build carnet with
# `cargo build --release --locked`, generate sites with examples/gen_site.rs into scripts/out/,
# run hyperfine side by side, print medians and ratios, and write BENCHMARKS.md.
# Every path in the benchmarked commands is relative to the repository root.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# ---- carnet commands: adjust here while the CLI settles ------------------------------------
# Placeholders: {carnet} the binary, {site} a site root, {file} one post, {out} an output dir.
# `carnet lint` exits 1 when it finds errors (the sites have planted defects).
CARNET_LINT='{carnet} lint --site {site}'
CARNET_LINT_ONE='{carnet} lint --site {site} {file}'
CARNET_LINT_ONE_COLD='{carnet} lint --site {site} --no-cache {file}'
CARNET_LIST='{carnet} list --site {site} --format paths'
# Cold: every code block highlighted anew. Warm: blocks read back from the site's .carnet-cache/.
CARNET_EXPORT='{carnet} export --site {site} --format html -o {out} --force --no-cache'
CARNET_EXPORT_WARM='{carnet} export --site {site} --format html -o {out} --force'

# ---- settings ------------------------------------------------------------------------------
QUICK=${BENCH_QUICK:-0}
WITH_100K=${BENCH_100K:-0}
PEERS_ONLY=${BENCH_PEERS_ONLY:-0}
SEED=${BENCH_SEED:-carnet-bench}
OUT=scripts/out
RESULTS=$OUT/results
BUILD=$OUT/build
TARGET_DIR=${CARGO_TARGET_DIR:-target}
CARNET_BIN=${BENCH_CARNET:-$TARGET_DIR/release/carnet}
GEN_SITE=$TARGET_DIR/release/examples/gen_site

# Peer tools not packaged by Debian go under $PEERS, with shims in $PEERS/bin.
PEERS=${BENCH_PEERS_DIR:-/opt/peers}
MDL2_VERSION=0.22.1
RUMDL_VERSION=0.3.0
APT_PKGS=(hugo jekyll hyperfine pandoc time)
export PATH="$PEERS/bin:$PATH"

if [[ $QUICK == 1 ]]; then
  HYPERFINE=(hyperfine --warmup 1 --runs 2 -i --style basic)
  RSS_RUNS=1
else
  HYPERFINE=(hyperfine --warmup 1 --min-runs 5 -i --style basic)
  RSS_RUNS=3
fi

say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
# first_line CMD...: the first line CMD prints (nothing if it fails to start).
first_line() {
  local out
  out=$("$@" 2>/dev/null) || true
  printf '%s\n' "${out%%$'\n'*}"
}
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

# ---- 1. peer tools -------------------------------------------------------------------------
install_peers() {
  local missing=() p
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  have npm || missing+=(npm)
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  if ((${#missing[@]})); then
    say "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  as_root mkdir -p "$PEERS/bin"

  local mdl2=$PEERS/node/node_modules/.bin/markdownlint-cli2
  if [[ ! -x $mdl2 || $(first_line "$mdl2" --help) != *" v$MDL2_VERSION "* ]]; then
    say "npm install markdownlint-cli2@$MDL2_VERSION"
    as_root mkdir -p "$PEERS/node"
    (cd "$PEERS/node" && { [[ -f package.json ]] || npm init -y >/dev/null; } &&
      npm install --no-audit --no-fund --loglevel=error "markdownlint-cli2@$MDL2_VERSION" >/dev/null)
  fi
  ln -sf "$mdl2" "$PEERS/bin/markdownlint-cli2"

  local rumdl=$PEERS/py/bin/rumdl
  if [[ ! -x $rumdl || $(first_line "$rumdl" --version) != "rumdl $RUMDL_VERSION" ]]; then
    say "pip install rumdl==$RUMDL_VERSION"
    if ! { { [[ -x $PEERS/py/bin/pip ]] || python3 -m venv "$PEERS/py"; } &&
      "$PEERS/py/bin/pip" install -q --disable-pip-version-check "rumdl==$RUMDL_VERSION"; }; then
      say "no rumdl wheel; cargo install rumdl --locked (slow)"
      cargo install rumdl --locked --version "$RUMDL_VERSION" --root "$PEERS/cargo"
      rumdl=$PEERS/cargo/bin/rumdl
    fi
  fi
  ln -sf "$rumdl" "$PEERS/bin/rumdl"
}

say "peer tools"
install_peers
for tool in rumdl markdownlint-cli2 hugo jekyll hyperfine pandoc /usr/bin/time; do
  have "$tool" || die "$tool is missing after installation"
done

# ---- 2. carnet and the generator -----------------------------------------------------------
if [[ $PEERS_ONLY != 1 ]]; then
  if [[ -z ${BENCH_CARNET:-} ]]; then
    say "cargo build --release --locked"
    cargo build --release --locked
  fi
  [[ -x $CARNET_BIN ]] || die "no carnet binary at $CARNET_BIN"
fi
say "cargo build --release --locked --example gen_site"
cargo build --release --locked --example gen_site

# ---- 3. sites ------------------------------------------------------------------------------
# gen_site_once NAME N [--hugo]: (re)generates $OUT/NAME unless it is up to date.
gen_site_once() {
  local name=$1 n=$2 dir=$OUT/$1
  shift 2
  local stamp
  stamp="$GEN_SITE $dir $n $SEED${*:+ $*}"$'\n'"$(cksum < examples/gen_site.rs)"
  if [[ -d $dir/_posts && -f $OUT/$name.stamp && $(cat "$OUT/$name.stamp") == "$stamp" ]]; then
    echo "$dir is up to date" >&2
    return
  fi
  say "generate $dir ($n posts)"
  rm -rf "$dir" "$OUT/$name.stamp"
  "$GEN_SITE" "$dir" "$n" "$SEED" "$@"
  printf '%s\n' "$stamp" > "$OUT/$name.stamp"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$OUT" "$BUILD"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
SITE_1K=$OUT/site-1k
SITE_10K=$OUT/site-10k
SITE_100K=$OUT/site-100k
gen_site_once site-1k 1000 --hugo
gen_site_once site-10k 10000 --hugo
if [[ $WITH_100K == 1 ]]; then
  gen_site_once site-100k 100000
fi
# One post in the middle of the 10k site, for the single-file lint.
ONE_FILE=$SITE_10K/_posts/$(cd "$SITE_10K/_posts" && ls | sed -n 5000p)

# ---- 4. commands ---------------------------------------------------------------------------
# fill TEMPLATE key=value...: replaces each {key} with the shell-quoted value.
fill() {
  local s=$1 kv
  shift
  for kv in "$@"; do
    s=${s//"{${kv%%=*}}"/"$(printf '%q' "${kv#*=}")"}
  done
  printf '%s' "$s"
}
q() { printf '%q' "$1"; }

lint_cmd() { fill "$CARNET_LINT" carnet="$CARNET_BIN" site="$1"; }
LINT_1K=$(lint_cmd "$SITE_1K")
LINT_10K=$(lint_cmd "$SITE_10K")
LINT_100K=$(lint_cmd "$SITE_100K")
LINT_ONE=$(fill "$CARNET_LINT_ONE" carnet="$CARNET_BIN" site="$SITE_10K" file="$ONE_FILE")
LINT_ONE_COLD=$(fill "$CARNET_LINT_ONE_COLD" carnet="$CARNET_BIN" site="$SITE_10K" file="$ONE_FILE")
LIST_10K=$(fill "$CARNET_LIST" carnet="$CARNET_BIN" site="$SITE_10K")
LIST_1K=$(fill "$CARNET_LIST" carnet="$CARNET_BIN" site="$SITE_1K")
EXPORT_10K=$(fill "$CARNET_EXPORT" carnet="$CARNET_BIN" site="$SITE_10K" out="$BUILD/carnet-10k")
EXPORT_1K=$(fill "$CARNET_EXPORT" carnet="$CARNET_BIN" site="$SITE_1K" out="$BUILD/carnet-1k")
EXPORT_10K_WARM=$(fill "$CARNET_EXPORT_WARM" carnet="$CARNET_BIN" site="$SITE_10K" out="$BUILD/carnet-10k")
EXPORT_1K_WARM=$(fill "$CARNET_EXPORT_WARM" carnet="$CARNET_BIN" site="$SITE_1K" out="$BUILD/carnet-1k")

# Peers with their default rules and no cache, on the same _posts files.
RUMDL_10K="rumdl check --no-config --no-cache --respect-gitignore=false $(q "$SITE_10K/_posts")"
RUMDL_1K="rumdl check --no-config --no-cache --respect-gitignore=false $(q "$SITE_1K/_posts")"
MDL2_1K="cd $(q "$SITE_1K") && markdownlint-cli2 '_posts/*.md'"
CAT_10K="cd $(q "$SITE_10K/_posts") && cat -- *.md > /dev/null"
# Hugo resolves -d against the site root: ../build is $BUILD.
HUGO_LIST_10K="cd $(q "$SITE_10K") && hugo list all"
HUGO_10K="cd $(q "$SITE_10K") && hugo --quiet -d ../build/hugo-10k"
JEKYLL_1K="jekyll build -s $(q "$SITE_1K") -d $(q "$BUILD/jekyll-1k") --quiet --disable-disk-cache"
# Jekyll 4 keeps each converted Markdown document in .jekyll-cache/: its warm build.
JEKYLL_1K_WARM="jekyll build -s $(q "$SITE_1K") -d $(q "$BUILD/jekyll-1k") --quiet"

# Sanity checks, so that a stub or a renamed flag is not benchmarked as if it did the work.
check_carnet() {
  local rc=0 n
  sh -c "$LINT_1K" >/dev/null 2>"$RESULTS/lint-1k.stderr" || rc=$?
  case $rc in
    1) ;;
    0) die "'$LINT_1K' exited 0 on a site with planted defects (check CARNET_LINT)" ;;
    *) die "'$LINT_1K' failed with exit $rc: $(tail -3 "$RESULTS/lint-1k.stderr")" ;;
  esac
  n=$(sh -c "$LIST_1K" | grep -c .) || true
  [[ $n == 1000 ]] || die "'$LIST_1K' printed $n lines for 1000 posts (check CARNET_LIST)"
  rm -rf "$BUILD/carnet-1k"
  sh -c "$EXPORT_1K" >/dev/null || die "'$EXPORT_1K' failed (check CARNET_EXPORT)"
  n=$(find "$BUILD/carnet-1k" -name '*.html' | wc -l)
  ((n >= 1000)) || die "'$EXPORT_1K' wrote $n HTML files for 1000 posts"
}
if [[ $PEERS_ONLY != 1 ]]; then
  say "sanity checks"
  check_carnet
fi

# ---- 5. measurements -----------------------------------------------------------------------
: > "$RESULTS/commands.tsv"
# bench GROUP NAME CMD [NAME CMD...]: one hyperfine run, the commands side by side.
# In peers-only mode the carnet commands (names starting with "carnet") are left out.
bench() {
  local group=$1 args=()
  shift
  while (($#)); do
    if [[ $PEERS_ONLY != 1 || $1 != carnet* ]]; then
      args+=(-n "$1" "$2")
      printf '%s\t%s\n' "$1" "$2" >> "$RESULTS/commands.tsv"
    fi
    shift 2
  done
  ((${#args[@]})) || return 0
  say "hyperfine: $group"
  "${HYPERFINE[@]}" --export-json "$RESULTS/$group.json" "${args[@]}"
}

bench lint-10k \
  "carnet lint 10k" "$LINT_10K" \
  "carnet lint one file (10k site)" "$LINT_ONE" \
  "carnet lint one file, no cache (10k site)" "$LINT_ONE_COLD" \
  "rumdl check 10k" "$RUMDL_10K" \
  "cat 10k" "$CAT_10K"
bench lint-1k \
  "carnet lint 1k" "$LINT_1K" \
  "markdownlint-cli2 1k" "$MDL2_1K" \
  "rumdl check 1k" "$RUMDL_1K"
bench list-10k \
  "carnet list 10k" "$LIST_10K" \
  "hugo list all 10k" "$HUGO_LIST_10K"
# Each tool builds into the output of its previous run, as an author rebuilds a site: Hugo and
# Jekyll write every page over the old one, carnet writes only the pages that differ. Emptying the
# folders between runs measured the file system instead: on an ext4 mounted without a journal,
# each new inode is checked against every inode freed in the last minutes, so recreating a deleted
# output cost seconds of system time per run, more with each run, for every tool.
rm -rf "$BUILD/carnet-10k" "$BUILD/hugo-10k" "$BUILD/carnet-1k" "$BUILD/jekyll-1k"
bench export-10k \
  "carnet export 10k" "$EXPORT_10K" \
  "hugo 10k" "$HUGO_10K"
bench export-1k \
  "carnet export 1k" "$EXPORT_1K" \
  "jekyll build 1k" "$JEKYLL_1K"
# Warm: the caches filled by hyperfine's warm-up run (Hugo keeps no rendering cache between builds).
bench export-10k-warm \
  "carnet export 10k, warm" "$EXPORT_10K_WARM"
bench export-1k-warm \
  "carnet export 1k, warm" "$EXPORT_1K_WARM" \
  "jekyll build 1k, warm" "$JEKYLL_1K_WARM"
if [[ $WITH_100K == 1 ]]; then
  bench lint-100k "carnet lint 100k" "$LINT_100K"
fi

# Peak RSS of the 10k lint (largest of RSS_RUNS runs), in kB.
RSS_CMD="/usr/bin/time -v $LINT_10K"
RSS_KB=
if [[ $PEERS_ONLY != 1 ]]; then
  say "peak RSS: $RSS_CMD"
  RSS_KB=0
  for ((i = 1; i <= RSS_RUNS; i++)); do
    /usr/bin/time -v -o "$RESULTS/rss.txt" sh -c "exec $LINT_10K" >/dev/null 2>&1 || true
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$RESULTS/rss.txt")
    if ((kb > RSS_KB)); then RSS_KB=$kb; fi
  done
fi

# ---- 6. report -----------------------------------------------------------------------------
# median NAME: median wall time in seconds, or nothing when NAME was not measured.
median() {
  python3 - "$RESULTS" "$1" <<'PY'
import json, pathlib, sys
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    for r in json.loads(f.read_text())["results"]:
        if r["command"] == sys.argv[2]:
            print(f"{r['median']:.6f}")
PY
}
secs() { awk -v t="$1" 'BEGIN { if (t < 1) printf "%.1f ms", t * 1000; else printf "%.2f s", t }'; }
secs_or_na() { if [[ -n $1 ]]; then secs "$1"; else echo n/a; fi; }

ROWS=()
# check LABEL A B OP LIMIT: the ratio median(A) / median(B) against the target "OP LIMIT".
check() {
  local label=$1 a=$2 b=$3 op=$4 limit=$5 ta tb ratio verdict
  ta=$(median "$a")
  tb=$(median "$b")
  if [[ -z $ta || -z $tb ]]; then
    ROWS+=("| $label | $a: $(secs_or_na "$ta") | $b: $(secs_or_na "$tb") | n/a | $op $limit | not measured |")
    printf '%-40s n/a\n' "$label"
    return
  fi
  ratio=$(awk -v x="$ta" -v y="$tb" 'BEGIN { printf "%.3g", x / y }')
  if awk -v r="$ratio" -v l="$limit" -v op="$op" 'BEGIN {
      exit !((op == ">=" && r >= l) || (op == "<=" && r <= l) || (op == "<" && r < l)) }'; then
    verdict=met
  else
    verdict=missed
  fi
  ROWS+=("| $label | $a: $(secs "$ta") | $b: $(secs "$tb") | $ratio | $op $limit | $verdict |")
  printf '%-40s %s / %s = %s (target %s %s): %s\n' \
    "$label" "$(secs "$ta")" "$(secs "$tb")" "$ratio" "$op" "$limit" "$verdict"
}

say "medians"
while IFS=$'\t' read -r name _; do
  printf '%-36s %s\n' "$name" "$(secs "$(median "$name")")"
done < "$RESULTS/commands.tsv"

say "ratios"
check "Lint 10k: rumdl / carnet" "rumdl check 10k" "carnet lint 10k" ">=" 8
check "Lint 1k: markdownlint-cli2 / carnet" "markdownlint-cli2 1k" "carnet lint 1k" ">=" 100
check "Lint 10k: carnet / cat" "carnet lint 10k" "cat 10k" "<=" 5
check "One file / whole 10k site" "carnet lint one file (10k site)" "carnet lint 10k" "<=" 0.05
check "List 10k: hugo / carnet" "hugo list all 10k" "carnet list 10k" ">=" 4
check "Export 10k: carnet / hugo" "carnet export 10k" "hugo 10k" "<=" 0.25
check "Export 1k: jekyll / carnet" "jekyll build 1k" "carnet export 1k" ">=" 25
check "Export 10k warm: carnet / hugo" "carnet export 10k, warm" "hugo 10k" "<=" 0.25
check "Export 1k warm: jekyll / carnet" "jekyll build 1k, warm" "carnet export 1k, warm" ">=" 25
check "Scaling 1k -> 10k (lint)" "carnet lint 10k" "carnet lint 1k" "<=" 11
if [[ $WITH_100K == 1 ]]; then
  check "Scaling 10k -> 100k (lint)" "carnet lint 100k" "carnet lint 10k" "<=" 11
fi
if [[ -n $RSS_KB ]]; then
  rss_mb=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
  verdict=$(awk -v m="$rss_mb" 'BEGIN { print (m <= 150 ? "met" : "missed") }')
  ROWS+=("| Peak RSS, carnet lint 10k | $rss_mb MiB | | | <= 150 MB | $verdict |")
  printf '%-40s %s MiB (target <= 150 MB): %s\n' "Peak RSS, carnet lint 10k" "$rss_mb" "$verdict"
else
  ROWS+=("| Peak RSS, carnet lint 10k | n/a | | | <= 150 MB | not measured |")
fi

version() {
  local v
  v=$(first_line "$@")
  printf '%s\n' "${v:-not available}"
}
site_size() { du -sh --apparent-size "$1/_posts" | cut -f1; }
mode="full (1 warm-up, at least 5 runs)"
if [[ $QUICK == 1 ]]; then mode="quick (1 warm-up, 2 runs)"; fi
if [[ $PEERS_ONLY == 1 ]]; then mode="$mode, peers only (carnet not measured)"; fi

say "writing BENCHMARKS.md"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`scripts/bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); mode: $mode."
  echo "Re-run the script to update this file rather than editing it."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores (nproc)"
  echo "- Memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "- Load average (1, 5, 15 min) before the runs: $LOAD_START; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Tools"
  echo
  echo "| Tool | Version |"
  echo "|---|---|"
  if [[ $PEERS_ONLY != 1 ]]; then
    echo "| carnet | $(version "$CARNET_BIN" --version) ($(git rev-parse --short HEAD)) |"
  fi
  echo "| rustc | $(version rustc --version) |"
  echo "| rumdl | $(version rumdl --version) |"
  echo "| markdownlint-cli2 | $(version markdownlint-cli2 --help) |"
  echo "| hugo | $(version hugo version) |"
  echo "| jekyll | $(version jekyll --version), kramdown $(dpkg-query -W -f='${Version}' ruby-kramdown 2>/dev/null), $(version ruby --version | cut -d' ' -f1-2) |"
  echo "| pandoc | $(version pandoc --version) |"
  echo "| hyperfine | $(version hyperfine --version) |"
  echo "| node | $(version node --version) |"
  echo
  echo "## Sites"
  echo
  echo "Generated by \`examples/gen_site.rs\` with seed \`$SEED\`: Jekyll sites with YAML front matter,"
  echo "300-2,500 words of Markdown per post and about 2% planted defects, plus a Hugo copy of the"
  echo "same posts in \`content/posts/\`."
  echo
  echo "| Site | Posts | Size of \`_posts\` |"
  echo "|---|---:|---:|"
  echo "| \`$SITE_1K\` | 1,000 | $(site_size "$SITE_1K") |"
  echo "| \`$SITE_10K\` | 10,000 | $(site_size "$SITE_10K") |"
  if [[ $WITH_100K == 1 ]]; then
    echo "| \`$SITE_100K\` | 100,000 | $(site_size "$SITE_100K") |"
  fi
  echo
  echo "## Results"
  echo
  echo "Median wall time. Ratios are the first column over the second."
  echo
  echo "| Check | Measured | Against | Ratio | Target | Result |"
  echo "|---|---|---|---:|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "## All measurements"
  echo
  echo "| Command | Median | Mean ± σ | Min | Max | Runs |"
  echo "|---|---:|---:|---:|---:|---:|"
  python3 - "$RESULTS" <<'PY'
import json, pathlib, sys
def t(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
results = pathlib.Path(sys.argv[1])
by_name = {r["command"]: r for f in results.glob("*.json")
           for r in json.loads(f.read_text())["results"]}
for line in (results / "commands.tsv").read_text().splitlines():
    r = by_name[line.split("\t")[0]]
    sd = r["stddev"] or 0.0
    print(f"| {r['command']} | {t(r['median'])} | {t(r['mean'])} ± {t(sd)} "
          f"| {t(r['min'])} | {t(r['max'])} | {len(r['times'])} |")
PY
  echo
  echo "## Commands"
  echo
  echo "Run from the repository root, each through \`${HYPERFINE[*]}\`"
  echo "(\`-i\`: linters exit 1 when they find problems, which the sites contain on purpose)."
  echo
  echo '```sh'
  echo "# sites (the first line of each stamp is the generator command)"
  head -qn1 "$OUT/site-1k.stamp" "$OUT/site-10k.stamp"
  if [[ $WITH_100K == 1 ]]; then head -n1 "$OUT/site-100k.stamp"; fi
  while IFS=$'\t' read -r name cmd; do
    printf '# %s\n%s\n' "$name" "$cmd"
  done < "$RESULTS/commands.tsv"
  if [[ $PEERS_ONLY != 1 ]]; then
    printf '# peak RSS, the largest over %s run(s)\n%s\n' "$RSS_RUNS" "$RSS_CMD"
  fi
  echo '```'
  echo
  echo "Notes:"
  echo
  echo "- rumdl and markdownlint-cli2 run with their default rules and no configuration file;"
  echo "  rumdl with \`--no-cache\`, Jekyll with \`--disable-disk-cache\` and carnet's export with"
  echo "  \`--no-cache\`, so that every run does the whole work (cold). The \`warm\` rows let each tool"
  echo "  keep what it caches between builds: Jekyll each converted Markdown document (\`.jekyll-cache/\`),"
  echo "  carnet each highlighted code block (\`.carnet-cache/\`); Hugo keeps no rendering cache."
  echo "  The targets are judged on the cold rows."
  echo "- Each export builds into the output of its previous run (the warm-up run makes it), as an"
  echo "  author rebuilds a site: Hugo and Jekyll write every page again, carnet only the pages that"
  echo "  differ. On a file system that is slow to recreate what was just deleted (ext4 without a"
  echo "  journal), emptying the folders between runs measured the file system rather than the tools."
  echo "- The Hugo site disables RSS, sitemap and taxonomy pages; Jekyll runs without plugins. Both"
  echo "  render every post through a minimal layout, plus a home page."
  echo "- \`cat 10k\` reads every post once: the floor for any tool that reads them all."
  echo "- \`carnet lint one file\` runs with the facts cache in \`.carnet-cache/\`, which the warm-up"
  echo "  run fills (as a pre-commit hook finds it after the first commit); the \`no cache\` row reads"
  echo "  the front matter of every other post, as the first run does."
  echo "- Each site also holds the Hugo copy of its posts in \`content/posts/\`, which its"
  echo "  \`_config.yml\` lists under \`exclude:\` (Jekyll would otherwise render them as pages)."
  echo "- A load average above the number of cores means other work shared the CPU during the"
  echo "  runs: compare ratios measured within one run rather than absolute times across runs."
  # The profile is written by hand (it needs perf and a look at the call graph), kept beside.
  if [[ -f scripts/bench-profile.md ]]; then
    echo
    cat scripts/bench-profile.md
  fi
} > BENCHMARKS.md
echo "BENCHMARKS.md written" >&2
