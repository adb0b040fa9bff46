#!/usr/bin/env bash
# Opens the demo site's HTML export in headless Chromium and checks what a reader gets: the index
# with its titles, excerpts and "read more" links, a French post with its date and highlighted code,
# and a tag page. Screenshots go to the folder given as $1 (default scripts/out/browser).
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
trap 'rm -rf "$work"' EXIT
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

if [ "$failures" -gt 0 ]; then
    echo "browser-check: $failures failure(s)" >&2
    exit 1
fi
echo "browser-check: index, post and tag page render as expected; screenshots in $shots" >&2
