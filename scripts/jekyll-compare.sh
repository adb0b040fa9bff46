#!/usr/bin/env bash
# Compares carnet's view of a Jekyll site with Jekyll's own: which posts are published, and for each
# its URL path, date, categories, tags and excerpt text.
#
#   scripts/jekyll-compare.sh [SITE...]      (default: fixtures/demo)
#
# Each site is copied to a temporary folder, with a page added that dumps `site.posts` as JSON and a
# configuration overlay that drops themes and plugins (only posts matter here). Jekyll 4 builds the
# copy; carnet exports the same copy as JSON; the two lists are compared post by post. Excerpts are
# compared as text: tags stripped, entities decoded, whitespace collapsed, and kramdown's typographic
# quotes, dashes and ellipses mapped back to their ASCII spelling.
# Exits 1 when any site differs, 2 when a tool is missing or a build fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

for tool in jekyll python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "jekyll-compare: $tool is needed (Debian: apt-get install -y jekyll python3)" >&2
        exit 2
    fi
done

cargo build --quiet
carnet="$root/target/debug/carnet"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ "$#" -gt 0 ] || set -- fixtures/demo

status=0
n=0
for site in "$@"; do
    n=$((n + 1))
    copy="$work/site-$n"
    cp -R "$site" "$copy"
    rm -rf "$copy/_site" "$copy/.jekyll-cache" "$copy/Gemfile" "$copy/Gemfile.lock"
    # Only posts are compared: layouts and pages (which may need plugins that are not installed) go;
    # pages that posts link to come back below as empty pages.
    rm -rf "$copy/_layouts"
    find "$copy" -path "$copy/_*" -prune -o -type f -print | while read -r page; do
        if head -c 4 "$page" | grep -q '^---'; then rm -f "$page"; fi
    done
    # Jekyll 4.3 on Psych 4 refuses unquoted `:symbol` values (`permalink: :title`): quote them.
    sed -i -E "s/^([[:space:]]*[A-Za-z_-]+:[[:space:]]+)(:[^[:space:]\"']*)[[:space:]]*$/\1\"\2\"/" \
        "$copy/_config.yml"
    # A copy of a blog's posts alone lacks the pages they link to: give each missing
    # `{% link %}` target an empty page, for both tools to resolve.
    { grep -rhoE '\{%-?[[:space:]]*link[[:space:]]+[^[:space:]%]+' "$copy" \
        --include='*.md' --include='*.markdown' || true; } |
        sed -E 's/.*link[[:space:]]+//' | sort -u | while read -r target; do
            case "$target" in /* | *..*) continue ;; esac
            if [ ! -e "$copy/$target" ]; then
                mkdir -p "$(dirname "$copy/$target")"
                printf -- '---\n---\n' >"$copy/$target"
            fi
        done
    # A whole site, as opposed to a folder of posts, needs more to build without its plugins and theme:
    # its Gemfile would hold Jekyll to the bundle's gems; plugin tags would be unknown tags; styles
    # and layouts are not compared and may need a theme. Posts and documents are kept as they are,
    # but for the plugin tags, removed from both tools' copy.
    rm -f "$copy/Gemfile" "$copy/Gemfile.lock"
    find "$copy" -name '*.scss' -not -path "$copy/_*" -delete
    { grep -rlE '\{%-?[[:space:]]*(avatar|seo|feed_meta)[[:space:]%-]' "$copy" \
        --include='*.md' --include='*.markdown' --include='*.html' || true; } |
        while read -r file; do
            sed -i -E 's/\{%-?[[:space:]]*(avatar|seo|feed_meta)([[:space:]][^%]*)?-?%\}//g' "$file"
        done
    { grep -rhoE '\{%-?[[:space:]]*include[[:space:]]+[A-Za-z0-9_./-]+' "$copy" \
        --include='*.md' --include='*.markdown' --include='*.html' || true; } |
        sed -E 's/.*include[[:space:]]+//' | sort -u | while read -r name; do
            case "$name" in /* | *..*) continue ;; esac
            if [ ! -e "$copy/_includes/$name" ]; then
                mkdir -p "$(dirname "$copy/_includes/$name")"
                : >"$copy/_includes/$name"
            fi
        done
    cat >"$copy/_carnet_compare.yml" <<'YAML'
layouts_dir: _carnet_compare_no_layouts
theme: null
remote_theme: null
plugins: []
whitelist: []
destination: _carnet_compare_site
YAML
    cat >"$copy/carnet-compare.json" <<'LIQUID'
---
layout: null
permalink: /carnet-compare.json
---
[{% for p in site.posts %}{"path": {{ p.relative_path | jsonify }}, "url": {{ p.url | jsonify }}, "date": {{ p.date | date_to_xmlschema | jsonify }}, "categories": {{ p.categories | jsonify }}, "tags": {{ p.tags | jsonify }}, "excerpt": {{ p.excerpt | jsonify }}, "content": {{ p.content | jsonify }}}{% unless forloop.last %},
{% endunless %}{% endfor %}]
LIQUID
    if ! (cd "$copy" && jekyll build --quiet --config _config.yml,_carnet_compare.yml \
        >"$work/jekyll-$n.log" 2>&1); then
        echo "jekyll-compare: $site: Jekyll could not build the copy:" >&2
        grep -v '^\s*$' "$work/jekyll-$n.log" | tail -n 5 >&2
        status=2
        continue
    fi
    if ! "$carnet" --site "$copy" --quiet export --format json --base-url / \
        >"$work/carnet-$n.json" 2>"$work/carnet-$n.log"; then
        echo "jekyll-compare: $site: carnet could not export the copy:" >&2
        tail -n 5 "$work/carnet-$n.log" >&2
        status=2
        continue
    fi
    if ! python3 - "$site" "$copy/_carnet_compare_site/carnet-compare.json" "$work/carnet-$n.json" "$copy" <<'PY'
import html, json, os, re, sys

site, jekyll_path, carnet_path, copy_root = sys.argv[1:]
TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "--", "\u2014": "---", "\u2026": "...", "\u00ab": "<<", "\u00bb": ">>",
    "\u00a0": " ", "\u202f": " ", "\ufe0e": "",
})

def text(fragment):
    fragment = re.sub(r"<!--.*?-->", " ", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]*>", " ", fragment)
    fragment = html.unescape(fragment).translate(TYPOGRAPHY)
    return " ".join(fragment.split())

def normalize(post):
    return {
        "url": post["url"],
        "date": post["date"],
        "categories": post["categories"],
        "tags": post["tags"],
        "excerpt": text(post["excerpt"]),
    }

jekyll = {p["path"]: normalize(p) for p in json.load(open(jekyll_path, encoding="utf-8"))}
carnet = {
    p["path"]: normalize({**p, "excerpt": p["excerpt_html"]})
    for p in json.load(open(carnet_path, encoding="utf-8"))["posts"]
}
differences = []
for path in sorted(set(jekyll) - set(carnet)):
    differences.append(f"{path}: published by Jekyll, not exported by carnet")
for path in sorted(set(carnet) - set(jekyll)):
    differences.append(f"{path}: exported by carnet, not published by Jekyll")
fields_checked = 0
fields_differing = 0
for path in sorted(set(jekyll) & set(carnet)):
    for field in ("url", "date", "categories", "tags", "excerpt"):
        fields_checked += 1
        mine, theirs = carnet[path][field], jekyll[path][field]
        if mine != theirs:
            fields_differing += 1
            if field == "excerpt":
                common = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b),
                              min(len(mine), len(theirs)))
                start = max(0, common - 30)
                mine, theirs = f"...{mine[start:common + 50]}", f"...{theirs[start:common + 50]}"
            differences.append(f"{path}: {field}\n    jekyll: {theirs!r}\n    carnet: {mine!r}")
agreed = len(set(jekyll) & set(carnet))
print(f"{site}: {len(jekyll)} posts from Jekyll, {len(carnet)} from carnet, "
      f"{fields_checked - fields_differing} of {fields_checked} fields agree on the {agreed} posts in common")
for difference in differences:
    print(f"  {difference}")

# Bodies: Jekyll's `content` against carnet's `content_html`, as text (letters and digits in order)
# and as structure (the sequence of the block and link tags below).
STRUCTURE = re.compile(
    r"<(h[1-6]|p|ul|ol|li|dl|dt|dd|pre|code|table|blockquote|a|img|em|strong)(?=[\s>/])", re.I)
# Liquid carnet evaluates itself; any other tag, or an output with a filter, is Liquid logic.
PLAIN_LIQUID = re.compile(r"\{%-?\s*(end)?(raw|highlight|link|post_url)\b")

def letters(fragment):
    fragment = re.sub(r"<!--.*?-->", " ", fragment, flags=re.S)
    fragment = html.unescape(re.sub(r"<[^>]*>", " ", fragment))
    return "".join(c for c in fragment if c.isalnum())

def structure(fragment):
    fragment = re.sub(r"<!--.*?-->", " ", fragment, flags=re.S)
    return [t.lower() for t in STRUCTURE.findall(fragment)]

def has_liquid_logic(body):
    tags = re.findall(r"\{%.*?%\}", body, flags=re.S)
    return "{{" in body and "|" in "".join(re.findall(r"\{\{.*?\}\}", body, flags=re.S)) \
        or any(not PLAIN_LIQUID.match(t) for t in tags)

contents = {p["path"]: p["content"] for p in json.load(open(jekyll_path, encoding="utf-8"))}
htmls = {p["path"]: (p["content_html"], None)
         for p in json.load(open(carnet_path, encoding="utf-8"))["posts"]}
verbose = os.environ.get("JEKYLL_COMPARE_VERBOSE") == "1"
tally = {"all": [0, 0, 0], "no liquid logic": [0, 0, 0], "liquid logic": [0, 0, 0]}
for path in sorted(set(contents) & set(htmls)):
    mine, source = htmls[path]
    theirs = contents[path]
    same_text = letters(mine) == letters(theirs)
    same_structure = structure(mine) == structure(theirs)
    liquid = has_liquid_logic(open(os.path.join(copy_root, path), encoding="utf-8").read())
    for group in ("all", "liquid logic" if liquid else "no liquid logic"):
        tally[group][0] += 1
        tally[group][1] += same_text
        tally[group][2] += same_structure
    if verbose and not (same_text and same_structure):
        what = "text" if not same_text else "structure"
        a, b = (letters(mine), letters(theirs)) if not same_text else (structure(mine), structure(theirs))
        common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        start = max(0, common - 8)
        print(f"  body {what}{' (liquid)' if liquid else ''}: {path}\n    jekyll: {b[start:common + 12]!r}"
              f"\n    carnet: {a[start:common + 12]!r}")
for group, (n, text_ok, structure_ok) in tally.items():
    if n:
        print(f"{site}: bodies ({group}): {n} posts, same text {100 * text_ok / n:.1f}%, "
              f"same structure {100 * structure_ok / n:.1f}%")
sys.exit(1 if differences else 0)
PY
    then
        status=$((status > 1 ? status : 1))
    fi
done
exit "$status"
