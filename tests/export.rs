//! `carnet export`: JSON, JSON Feed and the HTML site, over the fixtures and small temporary sites.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use serde_json::Value;

mod common;

const NOW: &str = "2024-01-01T12:00:00+01:00";

fn fixture(name: &str) -> PathBuf {
    common::fixture(name)
}

/// `carnet --site SITE --now NOW`, without the highlight cache (which would land in `fixtures/`).
fn carnet(site: &Path) -> Command {
    let mut cmd = cached_carnet(site);
    cmd.env("CARNET_NO_CACHE", "1");
    cmd
}

/// `carnet --site SITE --now NOW`, with the highlight cache on.
fn cached_carnet(site: &Path) -> Command {
    let mut cmd = common::carnet();
    cmd.arg("--site").arg(site).arg("--now").arg(NOW);
    cmd
}

/// A temporary site with a Paris time zone and the given files.
fn site(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    common::site_with_config(&format!("timezone: Europe/Paris\n{config}"), files)
}

fn json_export(site: &Path, args: &[&str]) -> Value {
    let out = carnet(site).arg("export").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn without_version(mut doc: Value) -> Value {
    doc["generator"] = Value::from("carnet VERSION");
    doc
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "VERSION")
}

/// Every file under `dir`, relative, sorted, with its contents.
fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/export.schema.json"),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn json_of_the_demo_site() {
    let doc = json_export(&fixture("demo"), &[]);
    insta::assert_json_snapshot!("demo_json", without_version(doc));
}

/// Liquid over the whole site model: `_data` in YAML, JSON, CSV and a nested folder, includes
/// with parameters, a collection, pages, static files; what each post shows was checked against
/// `jekyll build` (Jekyll 4.3.1) of the same folder.
#[test]
fn json_of_the_liquid_site() {
    let doc = json_export(&fixture("liquid"), &[]);
    insta::assert_json_snapshot!("liquid_json", without_version(doc));
}

fn stopped_export(dir: &Path) -> String {
    let out = carnet(dir)
        .arg("export")
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_include_cycle_stops_the_export_at_the_tag() {
    let dir = site(
        "",
        &[
            ("_includes/a.html", "A {% include b.html %}"),
            ("_includes/b.html", "B {% include a.html %}"),
            (
                "_posts/2020-01-01-x.md",
                "---\ntitle: X\n---\nText.\n\n{% include a.html %}\n",
            ),
        ],
    );
    let stderr = stopped_export(dir.path());
    assert!(
        stderr.contains("2020-01-01-x.md:6:1")
            && stderr.contains("include cycle")
            && stderr.contains("a.html → b.html → a.html"),
        "{stderr}"
    );
}

#[test]
fn a_runaway_loop_stops_the_export() {
    let dir = site(
        "",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: X\n---\n{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}\n",
        )],
    );
    let stderr = stopped_export(dir.path());
    assert!(
        stderr.contains("2020-01-01-x.md:4:27") && stderr.contains("runaway loop"),
        "{stderr}"
    );
}

#[test]
fn a_data_file_that_does_not_parse_is_named_and_posts_keep_their_own_findings() {
    let dir = site(
        "",
        &[
            ("_data/menu.yml", "plats:\n  - crêpe\n  - [far\n"),
            (
                "_posts/2020-01-01-x.md",
                "---\ntitle: X\n---\n{{ site.data.menu.plats | size }}\n\n{% include absent.html %}\n",
            ),
        ],
    );
    let stderr = stopped_export(dir.path());
    assert!(stderr.contains("_data/menu.yml:4:1"), "{stderr}");
    assert!(
        stderr.contains("2020-01-01-x.md:6:1") && stderr.contains("absent.html"),
        "{stderr}"
    );
    let out = carnet(dir.path())
        .args(["lint", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stderr.contains("_data/menu.yml:4:1"), "{stderr}");
    assert!(
        stdout.contains(
            "2020-01-01-x.md:6:1: error[include-missing] `absent.html` is not in _includes/"
        ) && stdout.contains("`absent.html` is not in _includes/"),
        "{stdout}"
    );
}

#[test]
fn every_export_of_the_fixtures_matches_the_schema() {
    let validator = schema_validator();
    for name in ["demo", "odd", "liquid"] {
        for flags in [
            &[][..],
            &["--drafts", "--future", "--unpublished"][..],
            &["--base-url", "https://example.org/blog/", "--no-highlight"][..],
            &["--sanitize"][..],
        ] {
            let doc = json_export(&fixture(name), flags);
            let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name} {flags:?}: {errors:#?}");
        }
    }
    let bad = serde_json::json!({"version": 1, "generator": "x", "site": {}, "posts": []});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn json_follows_the_site_and_the_flags() {
    let doc = json_export(&fixture("demo"), &[]);
    let paths: Vec<&str> = doc["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 9, "{paths:?}");
    assert_eq!(
        paths[0],
        "_posts/2020-06-10-une-soiree-au-cafe-reparation.md"
    );
    assert!(!paths
        .iter()
        .any(|p| p.contains("2031") || p.contains("compteurs")));

    let all = json_export(&fixture("demo"), &["--drafts", "--future", "--unpublished"]);
    let statuses: Vec<&str> = all["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 12);
    for status in ["draft", "future", "unpublished", "published"] {
        assert!(statuses.contains(&status), "{statuses:?}");
    }

    let based = json_export(
        &fixture("demo"),
        &["--base-url", "https://example.org/blog/"],
    );
    assert_eq!(based["site"]["url"], "https://example.org");
    assert_eq!(based["site"]["baseurl"], "/blog");
    let open_data = &based["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "open-data-ville-moyenne")
        .unwrap();
    assert_eq!(
        open_data["url"],
        "https://example.org/blog/territoires/donnees/2017/09/14/open-data-ville-moyenne.html"
    );
    assert!(open_data["content_html"]
        .as_str()
        .unwrap()
        .contains(r#"href="/blog/good_job/2017/06/22/intercotour-barometre.html""#));

    let named = json_export(
        &fixture("demo"),
        &[fixture("demo/_drafts/un-brouillon-en-cours.md")
            .to_str()
            .unwrap()],
    );
    assert_eq!(named["posts"].as_array().unwrap().len(), 1);
    assert_eq!(named["posts"][0]["status"], "draft");
}

#[test]
fn liquid_is_resolved_before_markdown() {
    let doc = json_export(&fixture("demo"), &[]);
    let post = |slug: &str| {
        doc["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == slug)
            .unwrap()["content_html"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(post("keep-your-front-matter-boring").contains(r#"<a href="/about/">about page</a>"#));
    let liquid = post("showing-liquid-without-running-it");
    assert!(liquid.contains("{{ not_liquid }}"), "{liquid}");
    assert!(!liquid.contains("{% raw %}"));
    assert!(
        !liquid.contains("{% highlight") && !liquid.contains("endhighlight"),
        "{liquid}"
    );
    assert!(
        liquid.contains(r#"<code class="language-ruby">"#),
        "{liquid}"
    );
}

#[test]
fn a_broken_reference_stops_the_export_before_writing() {
    let dir = site(
        "",
        &[
            ("_posts/2020-01-01-ok.md", "---\ntitle: Ok\n---\nFine.\n"),
            (
                "_posts/2020-01-02-broken.md",
                "---\ntitle: Broken\n---\n\nSee [this]({% post_url 2001-01-01-nowhere %}).\n",
            ),
        ],
    );
    let out_dir = dir.path().join("_site");
    let out = carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("_posts/2020-01-02-broken.md:5:12:")
            && stderr.contains("2001-01-01-nowhere"),
        "{stderr}"
    );
    assert!(!out_dir.exists());
    let json = carnet(dir.path()).arg("export").output().unwrap();
    assert_eq!(json.status.code(), Some(1));
    assert!(json.stdout.is_empty());
}

#[test]
fn plugin_tags_are_kept_and_reported_once_and_a_missing_include_is_an_error() {
    let dir = site(
        "",
        &[
            (
                "_posts/2020-01-01-a.md",
                "---\ntitle: A\n---\n{% youtube abc %}\n\n{% youtube def %}\n",
            ),
            (
                "_posts/2020-01-02-b.md",
                "---\ntitle: B\n---\n{% youtube x %} {{ site.data.x }}\n",
            ),
        ],
    );
    let out = carnet(dir.path()).arg("export").output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("`youtube`").count(), 1, "{stderr}");
    assert!(stderr.contains("_posts/2020-01-01-a.md:4:1"), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["posts"][1]["content_html"]
        .as_str()
        .unwrap()
        .contains("{% youtube abc %}"));
    std::fs::write(
        dir.path().join("_posts/2020-01-03-c.md"),
        "---\ntitle: C\n---\nText.\n\n{% include note.html %}\n",
    )
    .unwrap();
    let out = carnet(dir.path()).arg("export").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("_posts/2020-01-03-c.md:6:1") && stderr.contains("note.html"),
        "{stderr}"
    );
}

#[test]
fn excerpts_cut_inside_a_list_and_after_reference_definitions() {
    let dir = site(
        "excerpt_separator: <!--more-->\n",
        &[
            (
                "_posts/2020-01-01-list.md",
                "---\ntitle: List\n---\n- one\n- two <!--more-->\n- three\n",
            ),
            (
                "_posts/2020-01-02-refs.md",
                "---\ntitle: Refs\n---\nRead [the guide][g].\n\n[g]: https://example.org/guide\n\n<!--more-->\n\nMore, with [a later link][later].\n\n[later]: https://example.org/later\n",
            ),
            (
                "_posts/2020-01-03-default.md",
                "---\ntitle: Default\nexcerpt_separator: \"\"\n---\nNo excerpt.\n",
            ),
        ],
    );
    let doc = json_export(dir.path(), &[]);
    let excerpt = |slug: &str| {
        doc["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == slug)
            .unwrap()["excerpt_html"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(excerpt("list"), "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
    assert_eq!(
        excerpt("refs"),
        "<p>Read <a href=\"https://example.org/guide\">the guide</a>.</p>\n"
    );
    assert_eq!(excerpt("default"), "");

    let jekyll_default = site(
        "",
        &[(
            "_posts/2020-01-01-first.md",
            "---\ntitle: First\n---\nFirst [paragraph][p].\n\nSecond.\n\n[p]: /p.html\n",
        )],
    );
    let doc = json_export(jekyll_default.path(), &[]);
    assert_eq!(
        doc["posts"][0]["excerpt_html"],
        "<p>First <a href=\"/p.html\">paragraph</a>.</p>\n"
    );
}

#[test]
fn html_site_of_the_demo() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("public");
    carnet(&fixture("demo"))
        .args(["export", "--format", "html", "-o"])
        .arg(&dir)
        .assert()
        .success();
    let files: Vec<String> = tree(&dir).into_iter().map(|(rel, _)| rel).collect();
    insta::assert_snapshot!("demo_html_files", files.join("\n"));
    insta::assert_snapshot!("demo_html_index", read(&dir.join("index.html")));
    insta::assert_snapshot!(
        "demo_html_post",
        read(&dir.join("dev/rust/2018/02/03/linting-front-matter-in-rust.html"))
    );
    insta::assert_snapshot!(
        "demo_html_tag",
        read(&dir.join("tags/collectivites/index.html"))
    );
    insta::assert_snapshot!("demo_html_feed", read(&dir.join("feed.xml")));

    let index = read(&dir.join("index.html"));
    assert!(index.contains("<html lang=\"fr\">"));
    assert!(index.contains("22 juin 2017"), "French dates");
    for href in index
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        if !href.starts_with("http") {
            assert!(dir.join(href).is_file(), "dead link {href}");
        }
    }
    let post = read(&dir.join("good_job/2017/06/22/intercotour-barometre.html"));
    for href in post
        .split("href=\"../")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        let target = dir.join("good_job/2017/06/22").join(format!("../{href}"));
        assert!(target.is_file(), "dead link ../{href}");
    }
}

#[test]
fn html_pagination_and_code_highlighting() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("public");
    carnet(&fixture("demo"))
        .args(["export", "--format", "html", "--per-page", "4", "-o"])
        .arg(&dir)
        .assert()
        .success();
    assert!(dir.join("page/2/index.html").is_file());
    assert!(dir.join("page/3/index.html").is_file());
    assert!(!dir.join("page/4").exists());
    let second = read(&dir.join("page/2/index.html"));
    assert!(second.contains(r#"href="../../index.html""#), "{second}");
    assert!(second.contains(r#"href="../../page/3/index.html""#));
    let post = read(&dir.join("territoires/donnees/2017/09/14/open-data-ville-moyenne.html"));
    assert!(post.contains(r#"<pre class="syntax-highlighting"><code class="language-bash">"#));
    assert!(post.contains("<span class=\""));

    let plain = out.path().join("plain");
    carnet(&fixture("demo"))
        .args(["export", "--format", "html", "--no-highlight", "-o"])
        .arg(&plain)
        .assert()
        .success();
    let post = read(&plain.join("territoires/donnees/2017/09/14/open-data-ville-moyenne.html"));
    assert!(post.contains(r#"<pre><code class="language-bash">"#));
    assert!(!post.contains("syntax-highlighting"));
}

#[test]
fn a_script_title_is_escaped_everywhere() {
    let dir = site(
        "title: \"<script>alert('site')</script>\"\nurl: https://example.org\n",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: \"<script>alert(1)</script>\"\ntags: [\"<b>bold</b>\"]\ncategories: [\"<i>cat</i>\"]\nauthor: \"<img src=x onerror=alert(2)>\"\n---\nTitle again: {{ page.title }}, site {{ site.title }}, author {{ page.author }}.\n",
        )],
    );
    let out = tempfile::tempdir().unwrap();
    let html_dir = out.path().join("public");
    // Liquid prints front-matter values as Jekyll does, unescaped: `--sanitize` is the guard.
    carnet(dir.path())
        .args(["export", "--format", "html", "--sanitize", "-o"])
        .arg(&html_dir)
        .assert()
        .success();
    let files = tree(&html_dir);
    let names: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    for needed in ["index.html", "feed.xml", "x.html", "tags", "categories"] {
        assert!(
            names
                .iter()
                .any(|n| n.contains(needed) || n.ends_with(needed)),
            "{needed}: {names:?}"
        );
    }
    for (rel, text) in &files {
        for raw in ["<script", "<b>bold", "<i>cat", "<img src=x"] {
            assert!(!text.contains(raw), "{rel} holds {raw}:\n{text}");
        }
    }
    let post = files
        .iter()
        .find(|(rel, _)| rel.ends_with("x.html"))
        .unwrap();
    assert!(
        post.1.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        post.1
    );

    for format in ["json", "jsonfeed"] {
        let out = carnet(dir.path())
            .args(["export", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('<'), "{format}: {text}");
        let doc: Value = serde_json::from_str(&text).unwrap();
        let title = if format == "json" {
            &doc["posts"][0]["title"]
        } else {
            &doc["items"][0]["title"]
        };
        assert_eq!(title, "<script>alert(1)</script>");
    }
    let page = carnet(dir.path())
        .args(["export", "--format", "html", "--sanitize"])
        .arg(dir.path().join("_posts/2020-01-01-x.md"))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&page.stdout).contains("<script"));
}

#[test]
fn traversal_permalinks_are_refused() {
    for permalink in ["../../x/", "/%2e%2e/%2e%2e/escaped.html"] {
        let dir = site(
            "",
            &[(
                "_posts/2020-01-01-x.md",
                &format!("---\ntitle: X\npermalink: \"{permalink}\"\n---\nBody.\n"),
            )],
        );
        let out_dir = dir.path().join("_site");
        let out = carnet(dir.path())
            .args(["export", "--format", "html", "-o"])
            .arg(&out_dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{permalink}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("_posts/2020-01-01-x.md"), "{stderr}");
        assert!(!out_dir.exists());
        assert!(!dir.path().join("escaped.html").exists());
        assert!(!dir.path().parent().unwrap().join("escaped.html").exists());
    }
}

#[cfg(unix)]
#[test]
fn colons_in_categories_and_permalinks_are_written_as_jekyll_writes_them() {
    let dir = site(
        "",
        &[
            (
                "_posts/2020-01-01-x.md",
                "---\ntitle: X\ncategories: [re:Invent]\n---\nBody.\n",
            ),
            (
                "_posts/2020-01-02-y.md",
                "---\ntitle: Y\ncategory: \"C:\"\n---\nBody.\n",
            ),
            (
                "_posts/2020-01-03-z.md",
                "---\ntitle: Z\npermalink: /talks/re%3Ainvent-2020/\n---\nBody.\n",
            ),
        ],
    );
    let out_dir = dir.path().join("_site");
    let out = carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "re:invent/2020/01/01/x.html",
        "c:/2020/01/02/y.html",
        "talks/re:invent-2020/index.html",
    ] {
        assert!(out_dir.join(file).is_file(), "{file}");
    }
}

#[test]
fn an_unknown_permalink_placeholder_is_a_lint_finding_and_refused_by_export() {
    let dir = site(
        "",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: X\npermalink: /talks/re:invent-2020/\n---\nBody.\n",
        )],
    );
    let lint = carnet(dir.path())
        .args(["lint", "--format", "short"])
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&lint.stdout);
    assert!(
        found.contains("2020-01-01-x.md:3:12: error[field-value] `permalink` holds `:invent`"),
        "{found}"
    );
    assert!(found.contains("%3Ainvent"), "{found}");
    assert_eq!(lint.status.code(), Some(1));
    let out = carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(dir.path().join("_site"))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains(":invent"));
}

#[test]
fn distinct_tags_with_one_slug_get_pages_of_their_own() {
    let dir = site(
        "",
        &[
            (
                "_posts/2020-01-01-x.md",
                "---\ntitle: X\ntags: [a/b]\n---\nX.\n",
            ),
            (
                "_posts/2020-01-02-y.md",
                "---\ntitle: Y\ntags: [a\\b]\n---\nY.\n",
            ),
            (
                "_posts/2020-01-03-z.md",
                "---\ntitle: Z\ntags: [a b]\n---\nZ.\n",
            ),
            (
                "_posts/2020-01-04-w.md",
                "---\ntitle: W\ntags: [A B]\n---\nW.\n",
            ),
        ],
    );
    let out_dir = dir.path().join("_site");
    let out = carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = |slug: &str| read(&out_dir.join(format!("tags/{slug}/index.html")));
    let titles = |html: &str| -> Vec<&str> {
        ["X", "Y", "Z", "W"]
            .into_iter()
            .filter(|t| html.contains(&format!(">{t}</a>")))
            .collect()
    };
    assert_eq!(titles(&page("a-b")), ["X"]);
    assert_eq!(titles(&page("a-b-2")), ["Y"]);
    assert_eq!(
        titles(&page("a-b-3")),
        ["Z", "W"],
        "case alone makes no new tag"
    );
    let post = read(&out_dir.join("2020/01/02/y.html"));
    assert!(post.contains("tags/a-b-2/index.html"), "{post}");
}

#[test]
fn an_empty_tag_is_a_lint_finding() {
    let dir = site(
        "",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: X\ntags: [rust, \"\"]\n---\nBody.\n",
        )],
    );
    let lint = carnet(dir.path())
        .args(["lint", "--format", "short"])
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&lint.stdout);
    assert!(
        found.contains("2020-01-01-x.md:3:7: error[field-value] `tags` holds an empty name"),
        "{found}"
    );
}

#[test]
fn liquid_blocks_lint_reports_unclosed_stop_the_export() {
    for (body, at) in [
        ("Body {% if x %} more.\n", "4:6"),
        (
            "{% for p in site.posts %}\n{% if p %}\n{% endfor %}\n",
            "5:1",
        ),
        ("{% capture x %}one\n", "4:1"),
    ] {
        let dir = site(
            "",
            &[(
                "_posts/2020-01-01-x.md",
                &format!("---\ntitle: X\n---\n{body}"),
            )],
        );
        let lint = carnet(dir.path())
            .args(["lint", "--format", "short"])
            .output()
            .unwrap();
        let found = String::from_utf8_lossy(&lint.stdout);
        assert!(
            found.contains(&format!("2020-01-01-x.md:{at}: error[liquid-unclosed]")),
            "{found}"
        );
        for format in ["json", "jsonfeed", "html"] {
            let out_dir = dir.path().join("_site");
            let out = carnet(dir.path())
                .args(["export", "--format", format, "-o"])
                .arg(&out_dir)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{format}: {body}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains(&format!("2020-01-01-x.md:{at}: `{{%")),
                "{stderr}"
            );
            assert!(!out_dir.exists(), "nothing written");
        }
    }
    // In a code span lint leaves it alone, but Liquid runs before Markdown: the export, like
    // Jekyll, stops on it.
    let dir = site(
        "",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: X\n---\nWrite `{% if x %}` to test.\n",
        )],
    );
    let out = carnet(dir.path()).args(["export"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn line_separators_are_escaped_in_json_and_json_feed() {
    let dir = site(
        "url: https://x.org\n",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: \"a\\u2028b\\u2029c\"\n---\nOne\u{2028}two.\n",
        )],
    );
    for format in ["json", "jsonfeed"] {
        let out = carnet(dir.path())
            .args(["export", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains(['\u{2028}', '\u{2029}']),
            "{format}: raw separator"
        );
        assert!(text.contains("a\\u2028b\\u2029c"), "{format}: {text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(
            value.to_string().contains('\u{2028}'),
            "the same text once parsed"
        );
    }
}

#[test]
fn a_date_past_year_9999_in_the_site_zone_is_refused_and_reported() {
    let dir = site(
        "timezone: Pacific/Kiritimati\n",
        &[(
            "_posts/9999-12-31-x.md",
            "---\ntitle: X\ndate: 9999-12-31 20:00:00 +0000\n---\nBody.\n",
        )],
    );
    for format in ["json", "jsonfeed", "html"] {
        let out_dir = dir.path().join("_site");
        let out = carnet(dir.path())
            .args(["export", "--format", format, "-o"])
            .arg(&out_dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("9999-12-31-x.md:3:7: `date:` falls in year 10000"),
            "{stderr}"
        );
        assert!(!out_dir.exists());
    }
    let lint = carnet(dir.path())
        .args(["lint", "--format", "short"])
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&lint.stdout);
    assert!(
        found.contains("9999-12-31-x.md:3:7: error[invalid-date] `date:` falls in year 10000"),
        "{found}"
    );
}

#[test]
fn a_base_url_that_is_not_a_url_is_a_usage_error() {
    let dir = site(
        "",
        &[("_posts/2020-01-01-x.md", "---\ntitle: X\n---\nBody.\n")],
    );
    for bad in ["https://a b/", "https://x.org/my blog/", "https://x.org/?q"] {
        let out = carnet(dir.path())
            .args(["export", "--base-url", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid URL"));
    }
}

#[test]
fn paths_too_long_for_the_file_system_name_the_post() {
    let many: String = (0..400).map(|i| format!("  - category{i}\n")).collect();
    let long_name = "n".repeat(300);
    for (front, expected) in [
        (
            format!("slug: {long_name}\n"),
            "a file or folder name of 305 bytes (file systems allow 255)",
        ),
        (
            format!("categories:\n{many}"),
            "a path of 4707 bytes (carnet writes paths of at most 3072)",
        ),
        (
            format!("permalink: /x/\ntags: [{long_name}]\n"),
            "the page of its tag `nnnn",
        ),
    ] {
        let dir = site(
            "",
            &[(
                "_posts/2020-01-01-x.md",
                &format!("---\n{front}---\nBody.\n"),
            )],
        );
        let out_dir = dir.path().join("_site");
        let out = carnet(dir.path())
            .args(["export", "--format", "html", "-o"])
            .arg(&out_dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("_posts/2020-01-01-x.md: "), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(
            stderr.len() < 2000,
            "the error quotes the whole path: {stderr}"
        );
        assert!(!out_dir.exists());
    }
}

#[test]
fn output_folders_that_are_not_carnet_s_are_refused() {
    let dir = site(
        "",
        &[("_posts/2020-01-01-x.md", "---\ntitle: X\n---\nBody.\n")],
    );
    for target in [dir.path().to_path_buf(), dir.path().join("_posts")] {
        let out = carnet(dir.path())
            .args(["export", "--format", "html", "--force", "-o"])
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", target.display());
        assert!(dir.path().join("_posts/2020-01-01-x.md").is_file());
    }
    // Outside the site: a folder inside it holding files is the site's own (see `guards.rs`).
    let elsewhere = tempfile::tempdir().unwrap();
    let foreign = elsewhere.path().join("public");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let out = carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&foreign)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );

    carnet(dir.path())
        .args(["export", "--format", "html", "--force", "-o"])
        .arg(&foreign)
        .assert()
        .success();
    assert!(!foreign.join("notes.txt").exists());
    assert!(foreign.join(".carnet-export").is_file());
    carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&foreign)
        .assert()
        .success();
    let beside: Vec<String> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("carnet-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn an_interrupted_export_leaves_the_previous_output_whole() {
    use carnet::render::{dir::Target, html, prepare, Options};

    let site = carnet::site::Site::load(&fixture("demo")).unwrap();
    let files = site.scan();
    let options = Options {
        drafts: false,
        future: false,
        unpublished: false,
        named: Vec::new(),
        base_url: None,
        highlight: true,
        sanitize: false,
        cache: false,
        now: chrono::DateTime::parse_from_rfc3339(NOW).unwrap(),
    };
    let export = prepare(&site, &files, &options, &|| {}).unwrap();
    let templates = html::Templates::load(None).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("public");
    let target = Target::check(&dir, &site, &files, false).unwrap();
    let build = |per_page: usize, fail_after: Option<usize>| {
        let plan = html::Plan::new(&export, per_page).unwrap();
        let settings = html::Limits {
            per_page,
            feed_limit: 20,
            heading_anchors: false,
        };
        let written = AtomicUsize::new(0);
        target.build(|staging| {
            html::write_site(
                &export,
                &templates,
                settings,
                &plan,
                &|rel, bytes| {
                    if fail_after.is_some_and(|n| written.fetch_add(1, Ordering::SeqCst) >= n) {
                        anyhow::bail!("injected failure while writing {rel}");
                    }
                    staging.write(rel, bytes)
                },
                &|| {},
            )
        })
    };
    build(10, None).unwrap();
    let before = tree(&dir);
    let error = build(2, Some(6)).unwrap_err();
    assert!(error.to_string().contains("injected failure"), "{error:#}");
    assert_eq!(tree(&dir), before);
    let beside: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"]);
    build(2, None).unwrap();
    assert!(dir.join("page/5/index.html").is_file());
}

#[test]
fn one_post_as_a_standalone_page_or_a_fragment() {
    let post = fixture("demo/_posts/2018-02-03-linting-front-matter-in-rust.md");
    let page = Command::cargo_bin("carnet")
        .unwrap()
        .env("CARNET_NO_CACHE", "1")
        .args(["--now", NOW, "export", "--format", "html"])
        .arg(&post)
        .output()
        .unwrap();
    assert!(
        page.status.success(),
        "{}",
        String::from_utf8_lossy(&page.stderr)
    );
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<style>"));
    assert!(!page.contains("style.css"));
    assert!(page
        .contains("<h1 class=\"post-title\">Linting front matter with a few lines of Rust</h1>"));
    assert!(page.contains("3 février 2018"));

    let fragment = carnet(&fixture("demo"))
        .args(["export", "--format", "html", "--fragment"])
        .arg(&post)
        .output()
        .unwrap();
    let fragment = String::from_utf8(fragment.stdout).unwrap();
    assert!(
        fragment.starts_with("<p>Most of the broken builds"),
        "{fragment}"
    );
    assert!(!fragment.contains("<html"));

    let out = carnet(&fixture("demo"))
        .args(["export", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o DIR"));
}

#[test]
fn json_feed_and_files() {
    let feed = json_export(&fixture("demo"), &["--format", "jsonfeed", "--limit", "3"]);
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://carnet.example.org/feed.json");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        for key in [
            "id",
            "url",
            "title",
            "content_html",
            "summary",
            "date_published",
            "tags",
        ] {
            assert!(item.get(key).is_some(), "{key} in {item}");
        }
    }
    assert!(items[0]["summary"]
        .as_str()
        .unwrap()
        .starts_with("Un grille-pain, deux lampes"));

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("posts.json");
    carnet(&fixture("demo"))
        .args(["export", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(doc["posts"].as_array().unwrap().len(), 9);
}

#[test]
fn sanitize_strips_scripts_but_keeps_structure() {
    let dir = site(
        "",
        &[(
            "_posts/2020-01-01-x.md",
            "---\ntitle: X\n---\n<script>alert(1)</script>\n\n## Part\n\n<a href=\"javascript:alert(2)\" onclick=\"x()\">link</a>\n\n```rust\nfn main() {}\n```\n",
        )],
    );
    let kept = json_export(dir.path(), &[]);
    assert!(kept["posts"][0]["content_html"]
        .as_str()
        .unwrap()
        .contains("<script>"));
    let clean = json_export(dir.path(), &["--sanitize"]);
    let html = clean["posts"][0]["content_html"].as_str().unwrap();
    for unsafe_bit in ["<script", "javascript:", "onclick"] {
        assert!(!html.contains(unsafe_bit), "{html}");
    }
    assert!(html.contains(r#"<h2 id="part">"#), "{html}");
    assert!(html.contains("syntax-highlighting"), "{html}");
}

#[test]
fn templates_can_be_overridden() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("post.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ post.title }}</h1>{% include \"byline.html\" %}{{ post.content }}{% endblock %}",
    )
    .unwrap();
    std::fs::write(
        templates.path().join("byline.html"),
        "<p class=\"byline\">{{ site.author }} · {{ post.front_matter.title }}</p>",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("public");
    carnet(&fixture("demo"))
        .args(["export", "--format", "html", "--templates"])
        .arg(templates.path())
        .arg("-o")
        .arg(&dir)
        .assert()
        .success();
    let post = read(&dir.join("notes/2019/03/04/keep-your-front-matter-boring.html"));
    assert!(
        post.contains("<p class=\"byline\">Camille Martin · Keep your front matter boring</p>"),
        "{post}"
    );
    assert!(read(&dir.join("index.html")).contains("Lire la suite"));

    std::fs::write(templates.path().join("index.html"), "{% for %}").unwrap();
    let broken = carnet(&fixture("demo"))
        .args(["export", "--format", "html", "--templates"])
        .arg(templates.path())
        .arg("-o")
        .arg(out.path().join("other"))
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("index.html"));
}

#[test]
fn nothing_but_the_document_on_stdout_when_piped() {
    let out = carnet(&fixture("demo")).arg("export").output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let quiet = tempfile::tempdir().unwrap();
    carnet(&fixture("demo"))
        .args(["--quiet", "export", "--format", "html", "-o"])
        .arg(quiet.path().join("site"))
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn a_post_may_be_in_another_language_than_its_site() {
    let dir = site(
        "lang: fr\n",
        &[(
            "_posts/2017-06-22-english.md",
            "---\ntitle: In English\nlang: en\n---\nHello.\n",
        )],
    );
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("public");
    carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&html)
        .assert()
        .success();
    let post = read(&html.join("2017/06/22/english.html"));
    assert!(post.contains("<html lang=\"en\">"), "{post}");
    assert!(post.contains("June 22, 2017"), "{post}");
    let index = read(&html.join("index.html"));
    assert!(index.contains("<html lang=\"fr\">"));
    assert!(
        index.contains("June 22, 2017"),
        "each post's date in its language"
    );
    assert!(index.contains("Lire la suite"));
}

#[test]
fn jekyll_details_that_change_urls_dates_and_excerpts() {
    let dir = site(
        "collections:\n  posts:\n    permalink: /news/:year/:month/:day/:title/\n  docs:\n    output: true\n    permalink: /:collection/:path/\n",
        &[
            (
                "_posts/2023-01-29-odd-date.md",
                "---\ntitle: Odd\ndate: 2023-01-29 18:30:22 2023 -0800\nexcerpt: \"Own <em>excerpt</em>\"\n---\nSee [history]({% link _docs/history.md %}).\n",
            ),
            ("_docs/history.md", "---\ntitle: History\n---\n"),
        ],
    );
    let doc = json_export(dir.path(), &["--base-url", "/"]);
    let post = &doc["posts"][0];
    assert_eq!(post["date"], "2023-01-30T03:30:22+01:00");
    assert_eq!(post["url"], "/news/2023/01/30/odd-date/");
    assert_eq!(
        post["excerpt_html"],
        "<p>Own &lt;em&gt;excerpt&lt;/em&gt;</p>\n"
    );
    assert!(post["content_html"]
        .as_str()
        .unwrap()
        .contains(r#"<a href="/docs/history/">history</a>"#));
}

/// Ctrl-C while the site is being written: the temporary folder goes, the previous export stays.
#[cfg(unix)]
#[test]
fn ctrl_c_during_an_export_leaves_no_temporary_folder() {
    let posts: Vec<(String, String)> = (0..3000)
        .map(|i| {
            (
                format!("_posts/2020-01-01-post-{i}.md"),
                format!(
                    "---\ntitle: Post {i}\ntags: [t{}]\n---\nText {i}.\n",
                    i % 50
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = posts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site("", &files);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("previous.html"), "previous").unwrap();
    std::fs::write(out.join(".carnet-export"), "Written by carnet").unwrap();
    let temporary = |out: &Path| {
        std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("carnet-tmp"))
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("carnet"))
        .arg("--site")
        .arg(dir.path())
        .args(["--now", NOW, "-q", "export", "--format", "html", "-o"])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut interrupted = false;
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if temporary(&out) {
            std::process::Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            interrupted = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // Its stderr is captured, not left to print in the middle of the test run's own output.
    let output = child.wait_with_output().unwrap();
    let status = output.status;
    assert!(!temporary(&out), "a temporary folder was left behind");
    if interrupted {
        assert!(!status.success());
        assert_eq!(
            std::fs::read_to_string(out.join("previous.html")).unwrap(),
            "previous"
        );
    }
}

#[test]
fn bodies_follow_the_sites_markdown_dialect() {
    let post = "---\ntitle: T\n---\n## Été *chaud*\n{: .hot}\n\nSee https://example.org -- \"now\".\n\n- a\n- b\n";
    let kramdown = site("title: K\n", &[("_posts/2020-01-01-t.md", post)]);
    let doc = json_export(kramdown.path(), &[]);
    assert_eq!(
        doc["posts"][0]["content_html"],
        "<h2 class=\"hot\" id=\"été-chaud\">Été <em>chaud</em></h2>\n<p>See https://example.org – “now”.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    );
    let commonmark = site(
        "title: C\nmarkdown: CommonMark\n",
        &[("_posts/2020-01-01-t.md", post)],
    );
    let doc = json_export(commonmark.path(), &[]);
    assert_eq!(
        doc["posts"][0]["content_html"],
        "<h2>Été <em>chaud</em></h2>\n<p>{: .hot}</p>\n<p>See https://example.org -- &quot;now&quot;.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n",
        "jekyll-commonmark: no extension, no option, no heading id by default"
    );
    let gh_pages = site(
        "title: G\nmarkdown: CommonMarkGhPages\ncommonmark:\n  extensions: [autolink]\n",
        &[("_posts/2020-01-01-t.md", post)],
    );
    let doc = json_export(gh_pages.path(), &[]);
    let html = doc["posts"][0]["content_html"].as_str().unwrap();
    assert!(
        html.starts_with("<h2 id=\"t-chaud\">Été <em>chaud</em></h2>\n<p>{: .hot}</p>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://example.org\">"), "{html}");
}

#[test]
fn heading_anchors_are_the_templates_and_speak_the_posts_language() {
    let post = "---\ntitle: T\n---\n## Le déroulé\n\nTexte.\n";
    let dir = site("title: S\nlang: fr\n", &[("_posts/2020-01-01-t.md", post)]);
    let path = dir.path().join("_posts/2020-01-01-t.md");
    let plain = carnet(dir.path())
        .args(["export", "--format", "html", "--fragment"])
        .arg(&path)
        .output()
        .unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert_eq!(
        plain,
        "<h2 id=\"le-déroulé\">Le déroulé</h2>\n<p>Texte.</p>\n"
    );
    let anchored = carnet(dir.path())
        .args([
            "export",
            "--format",
            "html",
            "--fragment",
            "--heading-anchors",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let anchored = String::from_utf8(anchored.stdout).unwrap();
    assert!(
        anchored.contains("<h2 id=\"le-déroulé\">Le déroulé<a class=\"anchor\" href=\"#le-déroulé\" aria-label=\"Lien vers la section: Le déroulé\">#</a></h2>"),
        "{anchored}"
    );
}

/// Highlighted code is kept in `.carnet-cache/` and read back by the next export, which writes the
/// same pages; an unchanged page is not written again; `--no-cache` neither reads nor writes it.
#[test]
fn a_second_export_reuses_highlighted_code_and_leaves_unchanged_pages_alone() {
    let post = "---\ntitle: Code\n---\nIntro.\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n";
    let dir = site("", &[("_posts/2020-01-01-code.md", post)]);
    let cache = dir.path().join(".carnet-cache/highlight-v1.json");
    let export = |out: &Path, extra: &[&str]| {
        cached_carnet(dir.path())
            .args(["-q", "export", "--format", "html", "-o"])
            .arg(out)
            .args(extra)
            .assert()
            .success();
    };
    let uncached = dir.path().join("uncached");
    export(&uncached, &["--no-cache"]);
    assert!(!dir.path().join(".carnet-cache").exists());

    let out = dir.path().join("_site");
    export(&out, &[]);
    let stored = std::fs::read_to_string(&cache).unwrap();
    assert!(stored.contains("println!"), "{stored}");
    let page = out.join("2020/01/01/code.html");
    // A cache entry is trusted as it is: an edited one shows that the second export read it.
    let mut edited: Value = serde_json::from_str(&stored).unwrap();
    let html = edited["blocks"][0]["html"]
        .as_str()
        .unwrap()
        .replace("hi", "from the cache");
    edited["blocks"][0]["html"] = Value::from(html);
    std::fs::write(&cache, edited.to_string()).unwrap();
    export(&out, &[]);
    assert!(read(&page).contains("from the cache"));
    std::fs::write(&cache, &stored).unwrap();
    export(&out, &[]);
    assert_eq!(tree(&out), tree(&uncached));
    let index = out.join("index.html");
    let index_modified = std::fs::metadata(&index).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    export(&out, &[]);
    assert_eq!(
        std::fs::metadata(&index).unwrap().modified().unwrap(),
        index_modified
    );
}
