#!/usr/bin/env bash
# Opens the demo site's HTML export in headless Chromium and checks what a reader gets: the index
# with its titles, excerpts and "read more" links, a French post with its date and highlighted code,
# and a tag page. Then opens a post served by `carnet serve`, saves the post with a new title and
# checks that the open page reloads by itself (its title, as Chromium's DevTools list reports it).
# Screenshots go to the folder given as $1 (default scripts/out/browser).
# Installs Debian's chromium package, after apt-get update, when no Chromium is found.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

shots="${1:-scripts/out/browser}"
mkdir -p "$shots"

if ! command -v chromium >/dev/null 2>&1; then
    echo "browser-check: installing Debian's chromium package" >&2
    as_root() {
        if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
    }
    # A fresh machine's package lists can be empty, and install would then find no chromium.
    as_root apt-get update >&2
    as_root apt-get install -y chromium >&2
fi

cargo build --quiet
carnet="$PWD/target/debug/carnet"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
site="$work/site"
"$carnet" --site fixtures/demo --now 2024-01-01T12:00:00+01:00 --quiet \
    export --format html -o "$site"

failures=0
fail() {
    echo "browser-check: FAIL: $*" >&2
    failures=$((failures + 1))
}

browser() {
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}

# dump FILE: the DOM Chromium builds for a page of the export.
dump() {
    browser --dump-dom "file://$site/$1"
}

# shot FILE NAME [FLAGS...]: a screenshot of a page of the export.
shot() {
    local file="$1" name="$2"
    shift 2
    browser --window-size=1100,1400 --hide-scrollbars "$@" --screenshot="$PWD/$shots/$name.png" \
        "file://$site/$file" >/dev/null
    [ -s "$shots/$name.png" ] || fail "no screenshot of $file"
}

# expect NAME DOM TEXT: the DOM holds TEXT.
expect() {
    grep -qF -- "$3" <<<"$2" || fail "$1: expected to find: $3"
}

# --- the index: titles, excerpts, a "read more" link that leads to an existing page
index="$(dump index.html)"
[ -n "$index" ] || fail "index.html: empty DOM"
expect index "$index" '<title>Carnet de route</title>'
expect index "$index" '<html lang="fr">'
expect index "$index" '« Faire avec » : une soirée au café réparation'
expect index "$index" 'Keep your front matter boring'
expect index "$index" 'Un grille-pain, deux lampes, une machine à coudre et beaucoup de patience'
expect index "$index" 'Lire la suite'
if grep -qF 'Le principe est simple' <<<"$index"; then
    fail "index: shows text after the excerpt separator"
fi
more="$(grep -o '<p class="read-more"><a href="[^"]*"' <<<"$index" | head -n 1 | sed 's/.*href="//; s/"$//')"
if [ -z "$more" ]; then
    fail "index: no read-more link"
elif [ ! -f "$site/$more" ]; then
    fail "index: read-more link $more leads to no file"
else
    target="$(dump "$more")"
    expect "read-more target" "$target" '<h1 class="post-title">« Faire avec » : une soirée au café réparation</h1>'
fi
shot index.html index

# --- a French post: localized date, highlighted code, its tags
post_file="territoires/donnees/2017/09/14/open-data-ville-moyenne.html"
post="$(dump "$post_file")"
expect post "$post" "<title>L'open data à l'échelle d'une ville moyenne · Carnet de route</title>"
expect post "$post" '<h1 class="post-title">L'"'"'open data à l'"'"'échelle d'"'"'une ville moyenne</h1>'
expect post "$post" '14 septembre 2017'
expect post "$post" '<pre class="syntax-highlighting"><code class="language-bash">'
grep -qE '<span class="[^"]*(keyword|support|string|variable)[^"]*"' <<<"$post" \
    || fail "post: no highlighted token spans in the code block"
expect post "$post" 'href="../../../../../tags/open-data/index.html"'
intercotour="$(grep -o 'href="[^"]*intercotour-barometre.html"' <<<"$post" | head -n 1)"
[ -n "$intercotour" ] || fail "post: the {% post_url %} link is missing"
shot "$post_file" post
shot "$post_file" post-dark --force-dark-mode --blink-settings=preferredColorScheme=0

# --- a tag page
tag="$(dump tags/collectivites/index.html)"
expect tag "$tag" 'collectivites</span></h1>'
expect tag "$tag" 'IntercoTOUR : un baromètre du numérique dans les collectivités'
expect tag "$tag" "L'open data à l'échelle d'une ville moyenne"
shot tags/collectivites/index.html tag

# --- carnet serve: a page open in the browser reloads by itself when its post is saved
served="$work/served"
cp -r fixtures/demo "$served"
(cd "$served" && exec "$carnet" --now 2024-01-01T12:00:00+01:00 serve --port 0 >"$work/serve.log" 2>/dev/null) &
pids+=($!)
for _ in $(seq 200); do grep -q '^Serving' "$work/serve.log" && break; sleep 0.1; done
home="$(grep -o 'http://[^ ]*' "$work/serve.log" || true)"
post_path="$(cd "$site" && find . -name 'keep-your-front-matter-boring.html' | sed 's|^\./||')"
profile="$(mktemp -d -p "$work")"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --remote-debugging-port=0 "$home$post_path" >/dev/null 2>&1 &
pids+=($!)
# page_title: the title of the page open in Chromium, from its DevTools list of pages.
page_title() {
    local port
    port="$(head -n 1 "$profile/DevToolsActivePort" 2>/dev/null)" || return 0
    curl -s "http://127.0.0.1:$port/json/list" | grep -o '"title": *"[^"]*"' || true
}
# wait_title TEXT SECONDS: whether the open page's title holds TEXT within SECONDS.
wait_title() {
    for _ in $(seq $(($2 * 10))); do
        [[ "$(page_title)" == *"$1"* ]] && return 0
        sleep 0.1
    done
    return 1
}
if [ -z "$home" ]; then
    fail "carnet serve: no URL printed"
elif ! wait_title 'Keep your front matter boring' 30; then
    fail "carnet serve: the post did not open in Chromium ($home$post_path): $(page_title)"
else
    # The page's event stream connects once the page has loaded.
    sleep 1
    sed -i 's/^title:.*/title: "Reloaded by itself"/' "$served/_posts/2019-03-04-keep-your-front-matter-boring.md"
    wait_title 'Reloaded by itself' 15 \
        || fail "carnet serve: the open page did not reload after its post was saved: $(page_title)"
fi

if [ "$failures" -gt 0 ]; then
    echo "browser-check: $failures failure(s)" >&2
    exit 1
fi
echo "browser-check: index, post and tag page render as expected, a served page reloads itself after an edit; screenshots in $shots" >&2
