//! Whole Jekyll sites: collections, pages, redirects and static files, through the binary.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;

/// `carnet --now ... ARGS` in `dir`, without the facts cache (which would land in `fixtures/`).
fn run(dir: &Path, args: &[&str]) -> Output {
    common::carnet()
        .current_dir(dir)
        .env("CARNET_NO_CACHE", "1")
        .args(["--now", "2025-01-01T00:00:00+01:00"])
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Each finding as `rule path:line`.
fn findings(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().replace('\\', "/");
            let path = path
                .rsplit_once("collections/")
                .map_or(path.as_str(), |(_, p)| p)
                .to_string();
            format!("{} {path}:{}", d["rule"].as_str().unwrap(), d["line"])
        })
        .collect()
}

#[test]
fn lint_checks_documents_of_written_collections_and_resolves_every_url_of_the_site() {
    let output = run(
        &common::fixture("collections"),
        &["lint", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    // The post and the two documents of `docs`; not `notes` (output: false) nor `docs/readme.md`,
    // which has no front matter and is copied as a static file.
    assert_eq!(report["files_checked"], 3);
    // Pages with permalinks, `include:`d pages, redirects, static files and documents all resolve:
    // only the two links to nothing are reported.
    assert_eq!(
        findings(&report),
        [
            "broken-post-link _docs/guide.md:6",
            "broken-post-link _posts/2024-01-01-hello.md:8"
        ]
    );
}

#[test]
fn list_shows_a_collection_and_the_collections() {
    let site = common::fixture("collections");
    let output = run(&site, &["list", "--collection", "docs", "--format", "json"]);
    assert!(output.status.success());
    let urls: Vec<String> = json(&output)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        urls,
        [
            "https://handbook.example/docs/sub/setup/",
            "https://handbook.example/docs/guide/"
        ]
    );
    let output = run(&site, &["list", "--collections", "--format", "json"]);
    let rows = json(&output);
    let rows: Vec<(String, u64, bool, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["documents"].as_u64().unwrap(),
                r["output"].as_bool().unwrap(),
                r["permalink"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "posts".into(),
                1,
                true,
                "/:categories/:year/:month/:day/:title/".into()
            ),
            ("docs".into(), 2, true, "/:collection/:path/".into()),
            ("notes".into(), 1, false, "/:collection/:path/".into()),
        ]
    );
    let output = run(&site, &["list", "--collection", "nope"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no collection `nope`") && stderr.contains("posts, docs, notes"),
        "{stderr}"
    );
}

#[test]
fn a_site_whose_content_is_a_collection_is_linted() {
    let site = common::site_with_config(
        "collections_dir: content\ncollections:\n  startups:\n    output: true\n    permalink: /startups/:title.html\n",
        &[
            ("content/_startups/acme.md", "---\ntitle: Acme\n---\nSee [Beta](/startups/beta.html) and [Gamma](/startups/gamma.html).\n"),
            ("content/_startups/beta.md", "---\ntitle: Beta\n---\nBack to [Acme]({% link content/_startups/acme.md %}).\n"),
        ],
    );
    let output = run(site.path(), &["lint", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["files_checked"], 2);
    assert_eq!(findings(&report).len(), 1, "{report}");
    assert!(report["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("/startups/gamma.html"));
}

#[test]
fn documents_of_collections_without_output_are_no_link_targets() {
    // Jekyll's `{% link %}` stops the build on them: they are not written.
    let site = common::site_with_config(
        "collections:\n  notes:\n    output: false\n",
        &[
            ("_notes/a.md", "---\ntitle: A\n---\n"),
            (
                "_posts/2024-01-01-p.md",
                "---\ntitle: P\n---\n[a]({% link _notes/a.md %})\n",
            ),
        ],
    );
    let output = run(site.path(), &["lint", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["files_checked"], 1);
    assert_eq!(
        findings(&report),
        ["broken-post-link _posts/2024-01-01-p.md:4"]
    );
}

#[test]
fn a_document_that_cannot_be_read_is_named() {
    let site = common::site_with_config(
        "collections:\n  docs: {output: true}\n",
        &[
            ("_docs/bad.md", b"---\ntitle: caf\xe9\n---\n".as_slice()),
            ("_docs/good.md", b"---\ntitle: good\n---\n".as_slice()),
        ],
    );
    let output = run(site.path(), &["lint"]);
    // As for a post: the file is named with where it goes wrong, and the run exits 2.
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.md:2:11"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    let output = run(site.path(), &["doctor"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("bad.md") && stdout.contains("cannot be read"),
        "{stdout}"
    );
}

#[test]
fn doctor_reports_collections_data_includes_and_plugin_tags() {
    let site = common::site_with_config(
        "plugins: [jekyll-seo-tag]\ncollections:\n  docs: {output: true}\n",
        &[
            (
                "_docs/a.md",
                "---\ntitle: A\n---\n{% seo %} {% avatar x %} {% gizmo %}\n",
            ),
            ("_data/people.yml", "- a\n"),
            ("_data/nested/places.csv", "a,b\n"),
            ("_includes/note.html", "x"),
        ],
    );
    let output = run(site.path(), &["doctor"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "collections read: docs (1 document, written at /:collection/:path:output_ext)",
        "2 data files in _data/: nested/places.csv, people.yml",
        "1 include in _includes/",
        "`{% seo %}` (from the plugin jekyll-seo-tag)",
        "`{% avatar %}` (from the plugin jekyll-avatar, which _config.yml does not list)",
        "`{% gizmo %}` (from a plugin carnet does not know)",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
}
