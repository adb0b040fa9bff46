#!/usr/bin/env python3
"""Checks that carnet's time and memory grow linearly on pathological inputs.

    scripts/scaling.py                      every shape, release build (built first if needed)
    scripts/scaling.py link-open refs       only the shapes whose name contains one of the words
    SCALING_CARNET=path scripts/scaling.py  that binary instead of target/release/carnet
    SCALING_LIMIT=6                         the largest growth allowed for 4 times the input
    SCALING_TIMEOUT=60                      seconds before a run counts as a failure
    SCALING_MARKDOWN=FILE                   also write the table as Markdown to FILE
    SCALING_RETRIES=2                       how many times a command that grew too much is re-run

Each shape is a site with one post (or a front matter) built around one construct repeated
n times, generated at n and at 4n. `lint`, `list`, `tags`, `export --format json`,
`export --format html` and `lint --fix` run over both; wall time and peak resident memory are measured per run
(wait4). Time is CPU time (user and system), which other work on a shared machine
disturbs far less than wall time. A command fails when its time or its memory grows more than SCALING_LIMIT times for
4 times the input. Small figures are noise: times are compared from 0.1 s up and memory from
16 MiB up (`max(x, floor)`), so a command that stays fast and small always passes. A command
that grows too much is measured again at both sizes (SCALING_RETRIES times at most) and judged
on its best time and best memory at each size: on a loaded machine one run in a few spends
seconds of system time clearing pages, which a linear command does not repeat.
Exits 1 when any command fails, 0 otherwise. Not run by `cargo test`: timings on shared
machines belong here, not in tests.
"""

import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT = float(os.environ.get("SCALING_LIMIT", "6"))
TIMEOUT = float(os.environ.get("SCALING_TIMEOUT", "60"))
RETRIES = int(os.environ.get("SCALING_RETRIES", "2"))
TIME_FLOOR = 0.1
RSS_FLOOR = 16 * 1024 * 1024

HEAD = "---\ntitle: Shape\n---\n\n"


def body(text):
    """A post whose body is `text` and a last line with one finding."""
    return HEAD + text + "\n\nThe end: (a link)[https://example.org].\n"


def line_of(unit, tail=""):
    """A post with one line holding `unit` n times."""
    return lambda n: body(unit * n + tail)


def front(lines):
    """A post whose front matter holds `lines` before its title."""
    return "---\n" + lines + "title: Shape\n---\n\nText.\n"


def tags_block(n):
    return front("tags:\n" + "".join(f"  - tag{i}\n" for i in range(n)))


def tags_flow(n):
    return front("tags: [" + ", ".join(f"tag{i}" for i in range(n)) + "]\n")


def tags_string(n):
    return front("tags: " + " ".join(f"tag{i}" for i in range(n)) + "\n")


def categories_string(n):
    return front("categories: " + " ".join(f"cat{i}" for i in range(n)) + "\n")


def categories_block(n):
    return front("categories:\n" + "".join(f"  - cat{i}\n" for i in range(n)))


def long_category(n):
    return front("categories: [" + "c" * n + "]\n")


def keys(n):
    return front("".join(f"key{i}: value {i}\n" for i in range(n)))


def aliases(n):
    anchors = ", ".join(f"&a{i} tag{i}" for i in range(n))
    uses = ", ".join(f"*a{i}" for i in range(n))
    return front(f"words: [{anchors}]\ntags: [{uses}]\n")


def references(n):
    defs = "".join(f"[x{i}]: /u/{i}\n" for i in range(n))
    uses = " ".join(f"[x{i % n}]" for i in range(4 * n))
    return body(uses + "\n\n" + defs)


def prose(n):
    paragraph = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
        "[exercitation](https://example.org) ullamco laboris nisi ut aliquip ex ea commodo.\n"
    )
    return body(("".join([paragraph] * 20) + "\n") * n)


def findings_line(n):
    return body(("word " * 200 + "https://example.org/page ") * n)


def nested(unit, tail="deep"):
    return lambda n: body(unit * n + tail)


def alias_bomb(_n):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 16):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return front("\n".join(lines) + "\n")


def yaml_nested(n):
    return front("deep: " + "[" * n + "]" * n + "\n")


def near_misses(n):
    """n comments that look like the configured excerpt separator, one a line."""
    return front('excerpt_separator: "<!--more-->"\n') + "Intro.\n\n" + "<!-- more -->\n\n" * n


def spaced_links(n):
    """n `[text] (url)` links, one a line."""
    return front("") + "".join(f"[x{i}] (https://x/{i})\n" for i in range(n))


# (name, generator, n): n is chosen so that the post is a few hundred KB at n.
SHAPES = [
    # Unclosed link constructs on one line.
    ("link-open `[a](`", line_of("[a]("), 50_000),
    ("link-open `[](`", line_of("[]("), 50_000),
    ("link-open `[a](x`", line_of("[a](x"), 50_000),
    ("link-open `![a](`", line_of("![a]("), 50_000),
    ("link-open `[a](#`", line_of("[a](#"), 50_000),
    ("link-open `[a]((`", line_of("[a](("), 50_000),
    ("link-open `[a](\\(`", line_of("[a](\\("), 50_000),
    ("link-open `[a](<>`", line_of("[a](<>"), 50_000),
    ("link-open `[a](<`", line_of("[a](<"), 50_000),
    ("link-open `[a](()`", line_of("[a](()"), 50_000),
    ("link-open `[a][`", line_of("[a]["), 50_000),
    ("link-open `[a](x \"`", line_of('[a](x "'), 50_000),
    ("link-open `[a] (#`", line_of("[a] (#"), 50_000),
    ("link-open `(a)[#`", line_of("(a)[#"), 50_000),
    ("link-open `[`", line_of("["), 100_000),
    ("link-open `![`", line_of("!["), 100_000),
    ("link-open `](`", line_of("]("), 100_000),
    ("refs: n definitions, 4n uses", references, 12_500),
    # Front matter.
    ("front tags block list", tags_block, 20_000),
    ("front tags flow list", tags_flow, 20_000),
    ("front tags string", tags_string, 20_000),
    ("front categories string", categories_string, 20_000),
    ("front categories block list", categories_block, 5_000),
    ("front one long category", long_category, 100_000),
    ("front distinct keys", keys, 20_000),
    ("front distinct aliases", aliases, 20_000),
    ("front alias bomb", alias_bomb, 1),
    ("front nested flow lists", yaml_nested, 10_000),
    ("front nested flow maps", lambda n: front("deep: " + "{a: " * n + "1" + "}" * n + "\n"), 10_000),
    ("front nested block lists", lambda n: front("deep:\n" + "- " * n + "x\n"), 10_000),
    # Long lines where comrak's tree is large.
    ("line `[^1]`", line_of("[^1]", "\n\n[^1]: note"), 100_000),
    ("line `<`", line_of("<"), 400_000),
    ("line `a[^1] `", line_of("a[^1] ", "\n\n[^1]: note"), 100_000),
    # Shapes already checked while fixing earlier cases.
    ("prose paragraphs with links", prose, 100),
    ("line of bare URLs", findings_line, 250),
    ("line `(a)[b]`", line_of("(a)[https://x] "), 25_000),
    ("line `[a] (b)`", line_of("[a] (https://x) "), 25_000),
    ("line `{{ `", line_of("{{ "), 100_000),
    ("line `{% `", line_of("{% "), 100_000),
    ("line `{% if a %}`", line_of("{% if a %}"), 25_000),
    ("line `]:`", line_of("]: "), 100_000),
    ("line `)[`", line_of(")["), 100_000),
    ("line `]`", line_of("]"), 200_000),
    ("line `<!--`", line_of("<!-- "), 50_000),
    ("line `<a `", line_of("<a "), 100_000),
    ("line `` ` ``", line_of("` "), 100_000),
    ("line `*_`", line_of("*_"), 100_000),
    ("line `\\`", line_of("\\"), 200_000),
    ("line `<!-- more -->`", line_of("<!-- more --> "), 20_000),
    # Fixable findings by the thousand (`fix` runs `lint --fix`; `line `(a)[b]`` above is one).
    ("fix: lines of `[a] (u)`", spaced_links, 25_000),
    ("fix: near-miss separators", near_misses, 25_000),
    ("nested `>`", nested(">"), 10_000),
    ("nested `- `", nested("- "), 10_000),
    ("nested `1. `", nested("1. "), 10_000),
    ("nested `[`…`](u)`", lambda n: body("[" * n + "x" + "](u)" * n), 10_000),
    ("nested `*_`…`_*`", lambda n: body("*_" * n + "x" + "_*" * n), 10_000),
]

COMMANDS = [
    ("lint", ["lint", "--format", "json"]),
    ("list", ["list", "--format", "json"]),
    ("tags", ["tags", "--format", "json"]),
    ("json", ["export", "--format", "json", "-o", "{out}/site.json"]),
    ("html", ["export", "--format", "html", "-o", "{out}/site", "--force"]),
    # Last: it rewrites the post the others read.
    ("fix", ["lint", "--fix", "--format", "json"]),
]


def carnet_binary():
    given = os.environ.get("SCALING_CARNET")
    if given:
        return os.path.join(ROOT, given)
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "carnet")


def write_site(dir, post):
    os.makedirs(os.path.join(dir, "_posts"))
    with open(os.path.join(dir, "_config.yml"), "w") as f:
        f.write("title: Scaling\nurl: https://example.org\n")
    path = os.path.join(dir, "_posts", "2020-01-02-shape.md")
    with open(path, "w") as f:
        f.write(post)
    return len(post.encode())


def measure(carnet, site, out, args):
    """CPU time in seconds and peak RSS in bytes of one run, or None when it timed out.

    GNU time reports them: a child forked from this script would start with its memory counted.
    """
    report = os.path.join(out, "time.txt")
    command = [carnet, "--site", site] + [a.replace("{out}", out) for a in args]
    argv = ["/usr/bin/time", "-f", "%U %S %M", "-o", report]
    argv += ["timeout", "-s", "KILL", str(TIMEOUT)] + command
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if code in (124, 137):
        return None
    if code not in (0, 1):
        sys.exit(f"{' '.join(command)}: exit {code}")
    with open(report) as f:
        user, system, rss = f.read().split()[-3:]
    return float(user) + float(system), int(rss) * 1024


def growth(small, large, floor):
    return max(large, floor) / max(small, floor)


def growths(runs, cmd, n):
    """Time and memory growth of `cmd` from n to 4n."""
    small, large = runs[(cmd, n)], runs[(cmd, 4 * n)]
    if small is None or large is None:
        return float("inf"), float("inf")
    return growth(small[0], large[0], TIME_FLOOR), growth(small[1], large[1], RSS_FLOOR)


def grew_too_much(runs, cmd, n):
    return max(growths(runs, cmd, n)) > LIMIT


def best(old, new):
    """The lower time and the lower memory of two runs of one command."""
    if old is None or new is None:
        return new if old is None else old
    return min(old[0], new[0]), min(old[1], new[1])


def measure_shape(carnet, make, counts, commands, runs, sizes):
    """Runs `commands` over a fresh site for each count, keeping each command's best figures."""
    for k in counts:
        with tempfile.TemporaryDirectory(prefix="carnet-scaling-") as tmp:
            site, out = os.path.join(tmp, "site"), os.path.join(tmp, "out")
            os.makedirs(out)
            sizes[k] = write_site(site, make(k))
            for cmd, args in commands:
                run = measure(carnet, site, out, args)
                runs[(cmd, k)] = best(runs[(cmd, k)], run) if (cmd, k) in runs else run
            shutil.rmtree(out, ignore_errors=True)


def fmt_run(run, size):
    if run is None:
        return "timeout"
    return f"{run[0]:.2f} s, {run[1] / 2**20:.0f} MB ({run[1] / size:.0f}x)"


def main():
    words = sys.argv[1:]
    shapes = [s for s in SHAPES if not words or any(w in s[0] for w in words)]
    carnet = carnet_binary()
    rows, failed = [], 0
    header = (
        "| Shape | n | 4n input | Command | n: CPU, peak RSS (x input) | 4n: CPU, peak RSS (x input) "
        "| Time growth | Memory growth |"
    )
    rule = "|---|---|---|---|---|---|---|---|"
    print(header)
    print(rule)
    for name, make, n in shapes:
        runs, sizes = {}, {}
        measure_shape(carnet, make, (n, 4 * n), COMMANDS, runs, sizes)
        # A busy machine adds seconds of page clearing to one run: re-measure what grew too much
        # and keep each figure's best.
        for _ in range(RETRIES):
            again = [(cmd, args) for cmd, args in COMMANDS if grew_too_much(runs, cmd, n)]
            if not again:
                break
            measure_shape(carnet, make, (n, 4 * n), again, runs, sizes)
        for cmd, _ in COMMANDS:
            small, large = runs[(cmd, n)], runs[(cmd, 4 * n)]
            t, m = growths(runs, cmd, n)
            bad = t > LIMIT or m > LIMIT
            failed += bad
            row = (
                f"| {name} | {n:,} | {sizes[4 * n] / 1024:,.0f} KB | {cmd} | {fmt_run(small, sizes[n])} "
                f"| {fmt_run(large, sizes[4 * n])} | {t:.1f}x | {m:.1f}x |{' **FAIL**' if bad else ''}"
            )
            rows.append(row)
            print(row, flush=True)
    target = os.environ.get("SCALING_MARKDOWN")
    if target:
        with open(target, "w") as f:
            f.write("\n".join([header, rule] + rows) + "\n")
    print(f"\n{failed} of {len(rows)} commands grew more than {LIMIT}x for 4x the input", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
