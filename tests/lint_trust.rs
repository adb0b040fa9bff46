//! `carnet lint` on the mistakes real blogs make and the findings they must not get, end to end.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;

/// A fixed clock, so that future-dated posts do not depend on the day the tests run.
const NOW: &str = "2024-06-01T12:00:00+02:00";

/// `carnet --now NOW lint ARGS...` in `dir`, without the facts cache.
fn lint(dir: &Path, args: &[&str]) -> Output {
    common::carnet()
        .current_dir(dir)
        .env("CARNET_NO_CACHE", "1")
        .args(["--now", NOW, "lint"])
        .args(args)
        .output()
        .unwrap()
}

/// (path, rule, line, column, message) of every finding of `carnet lint --format json`.
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, String, u64, u64, String)> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = lint(dir, &all);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn of_rule<'a>(
    all: &'a [(String, String, u64, u64, String)],
    rule: &str,
) -> Vec<&'a (String, String, u64, u64, String)> {
    all.iter().filter(|f| f.1 == rule).collect()
}

fn post(front: &str) -> String {
    format!("---\n{front}---\n\nText.\n")
}

// ---------------------------------------------------------------- front-matter-unknown-key

#[test]
fn a_misspelt_key_is_reported_at_its_line_and_fixed() {
    let usual = post("title: A\ntranslator: Ann\n");
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        ("_posts/2020-01-01-a.md", usual.clone()),
        ("_posts/2020-01-02-b.md", usual.clone()),
        ("_posts/2020-01-03-c.md", post("title: C\ntranslate: Bob\n")),
        (
            "_posts/2020-01-04-d.md",
            post("tittle: D\npermalnik: /d/\n"),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    let found = of_rule(&all, "front-matter-unknown-key");
    let places: Vec<(&str, u64)> = found.iter().map(|f| (f.0.as_str(), f.2)).collect();
    assert_eq!(
        places,
        [
            ("_posts/2020-01-03-c.md", 3),
            ("_posts/2020-01-04-d.md", 2),
            ("_posts/2020-01-04-d.md", 3),
        ],
        "{found:?}"
    );
    assert!(
        found[0].4.contains("`translator` (used by 2 posts)"),
        "{}",
        found[0].4
    );
    lint(dir.path(), &["--fix"]);
    let fixed = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
    assert_eq!(
        fixed("_posts/2020-01-03-c.md"),
        post("title: C\ntranslator: Bob\n")
    );
    assert_eq!(
        fixed("_posts/2020-01-04-d.md"),
        post("title: D\npermalink: /d/\n")
    );
    assert!(of_rule(&findings(dir.path(), &[]), "front-matter-unknown-key").is_empty());
}

#[test]
fn keys_other_posts_use_or_the_site_declares_are_not_reported() {
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        (
            "carnet.toml",
            "[lint.fields.tittles]\ntype = \"string\"\n".to_string(),
        ),
        ("_posts/2020-01-01-a.md", post("title: A\nimages: [x]\n")),
        ("_posts/2020-01-02-b.md", post("title: B\nimages: [y]\n")),
        (
            "_posts/2020-01-03-c.md",
            post("title: C\ntittles: declared\n"),
        ),
        (
            "_posts/2020-01-04-d.md",
            post("title: D\nvenue: unrelated\n"),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    assert!(
        of_rule(&all, "front-matter-unknown-key").is_empty(),
        "{all:?}"
    );
}

#[test]
fn a_key_with_several_candidates_is_reported_without_a_fix() {
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        ("_posts/2020-01-01-a.md", post("title: A\ncolour: red\n")),
        ("_posts/2020-01-02-b.md", post("title: B\ncolour: red\n")),
        ("_posts/2020-01-03-c.md", post("title: C\ncolor: red\n")),
        ("_posts/2020-01-04-d.md", post("title: D\ncolor: red\n")),
        ("_posts/2020-01-05-e.md", post("title: E\ncolorr: red\n")),
    ]);
    let all = findings(dir.path(), &[]);
    let found = of_rule(&all, "front-matter-unknown-key");
    assert_eq!(found.len(), 1, "{all:?}");
    assert!(found[0].4.contains("one of"), "{}", found[0].4);
    lint(dir.path(), &["--fix"]);
    let text = std::fs::read_to_string(dir.path().join("_posts/2020-01-05-e.md")).unwrap();
    assert_eq!(text, post("title: E\ncolorr: red\n"));
}

// ---------------------------------------------------------------- tags-as-string

#[test]
fn comma_separated_tags_are_reported_and_fixed_to_a_list() {
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        (
            "_posts/2020-01-01-a.md",
            post("title: A\ntags: evenement, collectivites\n"),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    let found = of_rule(&all, "tags-as-string");
    assert_eq!(found.len(), 1, "{all:?}");
    assert_eq!((found[0].2, found[0].3), (3, 7));
    lint(dir.path(), &["--fix"]);
    let text = std::fs::read_to_string(dir.path().join("_posts/2020-01-01-a.md")).unwrap();
    assert_eq!(text, post("title: A\ntags: [evenement, collectivites]\n"));
}

// ---------------------------------------------------------------- excerpt-near-miss

#[test]
fn a_mangled_separator_is_reported_at_its_line_and_fixed() {
    let body = "Intro.\n\n<!\u{2014}more\u{2014}>\n\nRest.\n";
    let dir = common::site(&[
        (
            "_config.yml",
            "timezone: UTC\nexcerpt_separator: <!--more-->\n".to_string(),
        ),
        (
            "_posts/2020-01-01-a.md",
            format!("---\ntitle: A\n---\n\n{body}"),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    let rules: Vec<(&str, u64)> = all.iter().map(|f| (f.1.as_str(), f.2)).collect();
    assert_eq!(rules, [("excerpt-near-miss", 7)]);
    lint(dir.path(), &["--fix"]);
    let text = std::fs::read_to_string(dir.path().join("_posts/2020-01-01-a.md")).unwrap();
    assert_eq!(
        text,
        "---\ntitle: A\n---\n\nIntro.\n\n<!--more-->\n\nRest.\n"
    );
}

// ---------------------------------------------------------------- unknown-layout

#[test]
fn a_layout_the_site_lacks_is_reported_and_a_remote_theme_silences_it() {
    let files = |config: &str| {
        common::site(&[
            ("_config.yml", format!("timezone: UTC\n{config}")),
            ("_layouts/post.html", "{{ content }}\n".to_string()),
            ("_posts/2020-01-01-a.md", post("title: A\nlayout: psot\n")),
            ("_posts/2020-01-02-b.md", post("title: B\nlayout: post\n")),
        ])
    };
    let dir = files("");
    let all = findings(dir.path(), &[]);
    let found: Vec<(&str, u64, u64)> = of_rule(&all, "unknown-layout")
        .iter()
        .map(|f| (f.0.as_str(), f.2, f.3))
        .collect();
    assert_eq!(found, [("_posts/2020-01-01-a.md", 3, 9)]);
    let dir = files("remote_theme: owner/theme\n");
    assert!(of_rule(&findings(dir.path(), &[]), "unknown-layout").is_empty());
}

// ---------------------------------------------------------------- link-redirect

#[test]
fn links_without_their_slash_or_html_are_redirects_not_broken_links() {
    let dir = common::site(&[
        (
            "_config.yml",
            "timezone: UTC\npermalink: /:year/:month/:day/:title/\n".to_string(),
        ),
        ("news/index.md", post("title: News\n")),
        ("_posts/2011-10-11-some-post.md", post("title: Some\n")),
        (
            "_posts/2020-01-01-a.md",
            "---\ntitle: A\n---\n\n[a](/2011/10/11/some-post) [b](/news) [c](/missing)\n"
                .to_string(),
        ),
    ]);
    let all = findings(dir.path(), &["_posts/2020-01-01-a.md"]);
    let found: Vec<(&str, u64, &str)> = all
        .iter()
        .map(|f| (f.1.as_str(), f.3, f.4.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "link-redirect",
                1,
                "`/2011/10/11/some-post` is served at `/2011/10/11/some-post/`: link to it directly"
            ),
            ("link-redirect", 28, "`/news` is served at `/news/`: link to it directly"),
            ("broken-post-link", 39, found[2].2),
        ],
    );
}

// ---------------------------------------------------------------- --staged with deletions and renames

fn git(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) {
    let output = git(dir, args);
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn staged_deletions_and_renames_check_the_posts_that_link_to_them() {
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        ("_posts/2020-01-01-target.md", post("title: Target\n")),
        ("_posts/2020-01-02-other.md", post("title: Other\n")),
        (
            "_posts/2020-01-03-by-url.md",
            "---\ntitle: U\n---\n\nSee [it](/2020/01/01/target.html).\n".to_string(),
        ),
        (
            "_posts/2020-01-04-by-name.md",
            "---\ntitle: N\n---\n\nSee [it]({% post_url 2020-01-02-other %}).\n".to_string(),
        ),
        // An old mistake of an untouched post is not this commit's business.
        (
            "_posts/2020-01-05-untitled.md",
            "---\nlayout: post\n---\n\nSee /2020/01/01/target.html\n".to_string(),
        ),
    ]);
    let root = dir.path();
    git_ok(root, &["init", "-q"]);
    git_ok(root, &["add", "."]);
    git_ok(root, &["commit", "-q", "-m", "first"]);
    let staged = || findings(root, &["--staged"]);
    assert!(staged().is_empty(), "{:?}", staged());

    git_ok(root, &["rm", "-q", "_posts/2020-01-01-target.md"]);
    git_ok(
        root,
        &[
            "mv",
            "_posts/2020-01-02-other.md",
            "_posts/2020-01-02-renamed.md",
        ],
    );
    let found: Vec<(String, String, u64)> = staged().into_iter().map(|f| (f.0, f.1, f.2)).collect();
    assert_eq!(
        found,
        [
            (
                "_posts/2020-01-03-by-url.md".to_string(),
                "broken-post-link".to_string(),
                5
            ),
            (
                "_posts/2020-01-04-by-name.md".to_string(),
                "broken-post-link".to_string(),
                5
            ),
        ]
    );
}

// ---------------------------------------------------------------- tag-variant on taxonomy fields

#[test]
fn fields_marked_as_taxonomies_get_tag_variant() {
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        (
            "carnet.toml",
            "[lint.fields.etat]\ntaxonomy = true\n\n[lint.fields.tech]\ntaxonomy = true\n"
                .to_string(),
        ),
        (
            "_posts/2020-01-01-a.md",
            post("title: A\netat: État\ntech: [PostgreSQL]\n"),
        ),
        (
            "_posts/2020-01-02-b.md",
            post("title: B\netat: État\ntech: [PostgreSQL, rust]\n"),
        ),
        (
            "_posts/2020-01-03-c.md",
            post("title: C\netat: etat\ntech: [postgresql]\n"),
        ),
        (
            "_posts/2020-01-04-d.md",
            post("title: D\nother: etat\nother2: Etat\n"),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    let found: Vec<(&str, u64, u64)> = of_rule(&all, "tag-variant")
        .iter()
        .map(|f| (f.0.as_str(), f.2, f.3))
        .collect();
    assert_eq!(
        found,
        [
            ("_posts/2020-01-03-c.md", 3, 7),
            ("_posts/2020-01-03-c.md", 4, 8)
        ],
        "{all:?}"
    );
    // The cached facts of the other posts carry the fields too: one post alone gets the same.
    let alone = findings(dir.path(), &["_posts/2020-01-03-c.md"]);
    assert_eq!(of_rule(&alone, "tag-variant").len(), 2, "{alone:?}");
}

// ---------------------------------------------------------------- bare-email, bare-url by dialect

/// (rule, line, column, severity) of the findings of `rules` on a one-post site.
fn on_one_post(
    config: &str,
    carnet_toml: Option<&str>,
    body: &str,
    rules: &[&str],
) -> Vec<(String, u64, u64, String)> {
    let mut files = vec![
        ("_config.yml", config.to_string()),
        (
            "_posts/2020-01-01-a.md",
            format!("---\ntitle: A\n---\n{body}"),
        ),
    ];
    if let Some(toml) = carnet_toml {
        files.push(("carnet.toml", toml.to_string()));
    }
    let dir = common::site(&files);
    let output = lint(dir.path(), &["--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| rules.contains(&d["rule"].as_str().unwrap()))
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const BARE: &str = "Write to me@example.org or see https://example.org.\n\n\
                    Not <you@example.org>, `us@example.org`, [them](mailto:them@example.org).\n";

#[test]
fn kramdown_sites_get_bare_urls_as_warnings_and_bare_emails_as_info() {
    let found = on_one_post("timezone: UTC\n", None, BARE, &["bare-email", "bare-url"]);
    assert_eq!(
        found,
        [
            ("bare-email".to_string(), 4, 10, "info".to_string()),
            ("bare-url".to_string(), 4, 32, "warning".to_string()),
        ]
    );
}

#[test]
fn commonmark_sites_with_autolink_link_bare_urls_and_emails_unless_the_rules_are_set() {
    let config = "timezone: UTC\nmarkdown: CommonMarkGhPages\ncommonmark:\n  extensions: [strikethrough, autolink, table]\n";
    assert!(on_one_post(config, None, BARE, &["bare-email", "bare-url"]).is_empty());
    let toml = "[lint.rules]\nbare-url = \"info\"\nbare-email = \"warning\"\n";
    let found = on_one_post(config, Some(toml), BARE, &["bare-email", "bare-url"]);
    assert_eq!(
        found,
        [
            ("bare-email".to_string(), 4, 10, "warning".to_string()),
            ("bare-url".to_string(), 4, 32, "info".to_string()),
        ]
    );
}

// ---------------------------------------------------------------- malformed-url, unused-reference

#[test]
fn scheme_less_hosts_and_wrapped_urls_are_malformed_at_their_place() {
    let body = "See [sigstore][s] and [docs](www.example.org/a), [a](post.md), [b](image.png),\n\
                [c](../x.md), [d](/path), [e](#anchor), [f]({{ site.url }}/x.html).\n\n\
                Read [the post](https://example.org/2020/a-long-\nname.html) today.\n\n\
                [s]: sigstore.dev\n";
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        (
            "_posts/2020-01-01-a.md",
            format!("---\ntitle: A\n---\n{body}"),
        ),
        ("_posts/post.md", "---\ntitle: P\n---\nText.\n".to_string()),
    ]);
    let all = findings(dir.path(), &[]);
    let found: Vec<(u64, u64, &str)> = of_rule(&all, "malformed-url")
        .iter()
        .map(|f| (f.2, f.3, f.4.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                4,
                23,
                "`www.example.org/a` has no scheme, so browsers read it as a path on this site, not as \
                 the host `www.example.org`; write `https://www.example.org/a`"
            ),
            (
                7,
                6,
                "URL broken across two lines, so Markdown prints this link as text; join it on one line"
            ),
            (
                10,
                1,
                "`sigstore.dev` has no scheme, so browsers read it as a path on this site, not as the \
                 host `sigstore.dev`; write `https://sigstore.dev`"
            ),
        ],
        "{all:?}"
    );
}

#[test]
fn unused_definitions_are_one_finding_per_post() {
    let body = "Text with [a link][used].\n\n[used]: /a\n[old]: /b\n\
                <!-- carnet-disable-next-line unused-reference -->\n[kept]: /c\n[Other One]: /d\n";
    let dir = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        (
            "_posts/2020-01-01-a.md",
            format!("---\ntitle: A\n---\n{body}"),
        ),
        (
            "_posts/2020-01-02-b.md",
            "---\ntitle: B\n---\nText.\n\n[alone]: /x\n".to_string(),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    let found: Vec<(&str, u64, u64, &str)> = of_rule(&all, "unused-reference")
        .iter()
        .map(|f| (f.0.as_str(), f.2, f.3, f.4.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "_posts/2020-01-01-a.md",
                7,
                1,
                "2 reference definitions that no link uses: `[old]` (line 7), `[Other One]` (line 10)"
            ),
            (
                "_posts/2020-01-02-b.md",
                6,
                1,
                "`[alone]` is defined but no link uses it"
            ),
        ],
        "{all:?}"
    );
}

#[test]
fn commonmark_without_the_autolink_extension_leaves_bare_urls_as_text() {
    let dir = common::site(&[
        (
            "_config.yml",
            "timezone: UTC\nmarkdown: CommonMark\n".to_string(),
        ),
        (
            "_posts/2020-01-01-a.md",
            format!("---\ntitle: A\n---\n{BARE}"),
        ),
    ]);
    let all = findings(dir.path(), &[]);
    let found: Vec<(&str, &str)> = all
        .iter()
        .filter(|f| f.1.starts_with("bare-"))
        .map(|f| (f.1.as_str(), f.4.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "bare-email",
                "bare e-mail address `me@example.org`: CommonMark without the `autolink` extension prints \
                 it as plain text, not a link; write `<me@example.org>` (a mailto: link) or \
                 `[me@example.org](mailto:me@example.org)`"
            ),
            (
                "bare-url",
                "bare URL `https://example.org`: CommonMark without the `autolink` extension prints it as \
                 plain text, not a link; write it as `<...>` or a link"
            ),
        ]
    );
}

#[test]
fn a_broken_link_on_a_site_of_posts_alone_asks_whether_it_is_the_whole_site() {
    let body = "---\ntitle: A\n---\n\n[docs](/docs/history/)\n";
    let posts_only = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        ("_posts/2020-01-01-a.md", body.to_string()),
    ]);
    let found = findings(posts_only.path(), &[]);
    assert_eq!(
        of_rule(&found, "broken-post-link")[0].4,
        "`/docs/history/` is not a post's URL, and the site has no page or file besides its posts: \
         is it the whole site? (list plugin-generated URLs in [lint] known_urls)"
    );
    let with_a_page = common::site(&[
        ("_config.yml", "timezone: UTC\n".to_string()),
        ("_posts/2020-01-01-a.md", body.to_string()),
        ("about.md", post("title: About\n")),
    ]);
    let found = findings(with_a_page.path(), &[]);
    assert_eq!(
        of_rule(&found, "broken-post-link")[0].4,
        "`/docs/history/` is neither a post's URL nor a page or file of the site (list \
         plugin-generated URLs in [lint] known_urls)"
    );
}
