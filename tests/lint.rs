//! `carnet lint` end to end: the real binary over the fixture sites and temporary sites.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A fixed clock, so that future-dated posts do not depend on the day the tests run.
const NOW: &str = "2024-06-01T12:00:00+02:00";

use common::{fixture, root};

mod common;

fn small() -> PathBuf {
    root().join("tests/fixtures/lint-small")
}

/// `carnet --now NOW lint ARGS...` in `dir`, with no colour settings inherited.
fn lint(dir: &Path, args: &[&str]) -> Output {
    carnet(dir).arg("lint").args(args).output().unwrap()
}

/// `carnet --now NOW` in `dir`, without the facts cache (which would land in `fixtures/`).
fn carnet(dir: &Path) -> Command {
    let mut command = cached_carnet(dir);
    command.env("CARNET_NO_CACHE", "1");
    command
}

/// `carnet --now NOW` in `dir`, with the facts cache on.
fn cached_carnet(dir: &Path) -> Command {
    let mut command = common::carnet();
    command.current_dir(dir).args(["--now", NOW]);
    command
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

/// (path, rule, line, column) of every finding of a JSON report.
fn findings(report: &Value) -> BTreeSet<(String, String, u64, u64)> {
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
            )
        })
        .collect()
}

/// A temporary site from (path, contents) pairs; `_config.yml` gets a time zone unless given.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = common::site(files);
    if !files.iter().any(|(p, _)| *p == "_config.yml") {
        common::write(dir.path(), "_config.yml", "timezone: UTC\n");
    }
    dir
}

const GOOD: &str = "---\ntitle: Fine\n---\n\nNothing to see.\n";
const NO_TITLE: &str = "---\nlayout: post\n---\n\nNo title.\n";
const LATE: &str = "---\ntitle: Late\ndate: 2020-01-03\n---\n\nDated two days later.\n";

// ---------------------------------------------------------------- fixture sites

#[test]
fn demo_site_is_clean() {
    let output = lint(&fixture("demo"), &[]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).starts_with("No problems in 12 files checked."));
    let output = lint(&fixture("demo"), &["--format", "json"]);
    assert_eq!(json(&output)["diagnostics"], Value::Array(Vec::new()));
}

/// One row of the findings table of `fixtures/broken/EXPECTED.md`.
struct Expected {
    finding: (String, String, u64, u64),
    off_by_default: bool,
}

/// The table of EXPECTED.md, and the "A default run reports N findings in M files" counts.
fn expected_findings() -> (Vec<Expected>, usize, usize) {
    let text = std::fs::read_to_string(fixture("broken").join("EXPECTED.md")).unwrap();
    let rows = text
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line
                .split('|')
                .map(|c| c.trim().trim_matches('`'))
                .collect();
            Expected {
                finding: (
                    cells[1].to_string(),
                    cells[2].to_string(),
                    cells[3].parse().unwrap(),
                    cells[4].parse().unwrap(),
                ),
                off_by_default: cells[5].contains("OFF BY DEFAULT"),
            }
        })
        .collect();
    let sentence = text
        .split("A default run reports ")
        .find(|s| s.starts_with(|c: char| c.is_ascii_digit()))
        .expect("the sentence counting a default run's findings");
    let mut numbers = sentence
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().unwrap());
    (rows, numbers.next().unwrap(), numbers.next().unwrap())
}

#[test]
fn broken_site_reports_exactly_what_expected_md_lists() {
    let (rows, count, files) = expected_findings();
    let expected: BTreeSet<_> = rows
        .iter()
        .filter(|r| !r.off_by_default)
        .map(|r| r.finding.clone())
        .collect();
    assert_eq!(expected.len(), count, "EXPECTED.md's table and its count");
    let distinct: BTreeSet<_> = expected.iter().map(|f| &f.0).collect();
    assert_eq!(
        distinct.len(),
        files,
        "EXPECTED.md's table and its file count"
    );

    let output = lint(&fixture("broken"), &["--format", "json"]);
    assert_eq!(code(&output), 1);
    let found = findings(&json(&output));
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
}

#[test]
fn rules_off_by_default_report_when_selected() {
    let (rows, _, _) = expected_findings();
    let off: Vec<_> = rows.iter().filter(|r| r.off_by_default).collect();
    assert!(!off.is_empty());
    for row in off {
        let rule = &row.finding.1;
        let output = lint(&fixture("broken"), &["--format", "json", "--select", rule]);
        let expected: BTreeSet<_> = rows
            .iter()
            .filter(|r| &r.finding.1 == rule)
            .map(|r| r.finding.clone())
            .collect();
        assert_eq!(findings(&json(&output)), expected);
    }
}

#[test]
fn suppressed_fixtures_report_nothing() {
    for file in [
        "_posts/2020-09-01-suppressed-carnet.md",
        "_posts/2020-09-02-suppressed-markdownlint.md",
    ] {
        let output = lint(&fixture("broken"), &[file, "--format", "json"]);
        assert_eq!(code(&output), 0, "{file}: {}", stdout(&output));
        assert!(findings(&json(&output)).is_empty(), "{file}");
    }
}

#[test]
fn suppression_comments_silence_whole_file_findings() {
    let dir = site(&[
        (
            "_posts/2020-01-01-a.md",
            "---\nlayout: post\n---\n\n<!-- carnet-disable-file required-field -->\nText.\n",
        ),
        (
            "_posts/2020-01-02-b.md",
            "---\nlayout: post\n---\n\n```\n<!-- carnet-disable-file required-field -->\n```\n",
        ),
    ]);
    let output = lint(dir.path(), &["--format", "json"]);
    let found = findings(&json(&output));
    assert_eq!(
        found.into_iter().map(|f| f.0).collect::<Vec<_>>(),
        ["_posts/2020-01-02-b.md"],
        "the comment in a code block is text"
    );
}

#[test]
fn a_file_alone_gets_the_same_findings_as_in_the_full_run() {
    let checked = each_file_alone_matches_the_full_run(&fixture("broken"), lint);
    assert!(checked > 40);
}

/// Lints each post of `site` alone with `lint_alone` and compares with the full run's findings for
/// it; returns how many posts were checked.
fn each_file_alone_matches_the_full_run(
    site: &Path,
    lint_alone: impl Fn(&Path, &[&str]) -> Output,
) -> usize {
    let full = json(&lint(site, &["--format", "json"]));
    let mut files: Vec<String> = std::fs::read_dir(site.join("_posts"))
        .unwrap()
        .map(|e| format!("_posts/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    for file in &files {
        let alone = json(&lint_alone(site, &[file, "--format", "json"]));
        let in_full: Vec<&Value> = full["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == file.as_str())
            .collect();
        let alone: Vec<&Value> = alone["diagnostics"].as_array().unwrap().iter().collect();
        assert_eq!(alone, in_full, "{file}");
    }
    files.len()
}

// ---------------------------------------------------------------- facts cache

/// A copy of a fixture site whose files were last changed an hour ago, long enough for the cache.
fn aged_copy(fixture_name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(fixture_name), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            age(&target, 3600);
        }
    }
}

/// Sets a file's modification time `seconds` in the past.
fn age(path: &Path, seconds: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(seconds);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(when).unwrap();
}

fn cached_lint(dir: &Path, args: &[&str]) -> Output {
    cached_carnet(dir).arg("lint").args(args).output().unwrap()
}

/// The facts cache file as stored: its format is binary, but paths and URLs are in it as written.
fn cache_file(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(".carnet-cache/facts-v5.bin")).unwrap()
}

/// How many times `text` occurs in `bytes`.
fn occurrences(bytes: &[u8], text: &str) -> usize {
    bytes
        .windows(text.len())
        .filter(|w| *w == text.as_bytes())
        .count()
}

#[test]
fn a_file_alone_gets_the_same_findings_with_the_facts_cache() {
    let copy = aged_copy("broken");
    // The first run fills the cache, the others read it.
    each_file_alone_matches_the_full_run(copy.path(), cached_lint);
    let cached = cache_file(copy.path());
    assert!(occurrences(&cached, "_posts/") > 40);
    let ignore = std::fs::read_to_string(copy.path().join(".carnet-cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
}

#[test]
fn a_changed_post_is_read_again_not_taken_from_the_cache() {
    let copy = aged_copy("demo");
    let mut posts: Vec<PathBuf> = std::fs::read_dir(copy.path().join("_posts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    posts.sort();
    let (checked, other) = (&posts[0], &posts[1]);
    let checked_rel = format!("_posts/{}", checked.file_name().unwrap().to_string_lossy());
    assert_eq!(code(&cached_lint(copy.path(), &[&checked_rel])), 0);
    let other_rel = format!("_posts/{}", other.file_name().unwrap().to_string_lossy());
    let cached = cache_file(copy.path());
    assert_eq!(occurrences(&cached, &other_rel), 1);
    assert_eq!(occurrences(&cached, "/same/"), 0);

    // Give both posts one URL: the next one-file run must see the other post's new permalink.
    let full = json(&lint(
        copy.path(),
        &["--format", "json", "--select", "duplicate-url"],
    ));
    assert!(findings(&full).is_empty());
    for post in [checked, other] {
        let text = std::fs::read_to_string(post).unwrap();
        std::fs::write(post, text.replacen("---\n", "---\npermalink: /same/\n", 1)).unwrap();
        age(post, 600);
    }
    let alone = cached_lint(copy.path(), &[&checked_rel, "--select", "duplicate-url"]);
    assert_eq!(code(&alone), 1, "{}", stdout(&alone));
    assert!(stdout(&alone).contains(&other_rel), "{}", stdout(&alone));
}

#[test]
fn a_damaged_cache_is_rebuilt_and_no_cache_leaves_none() {
    let copy = aged_copy("demo");
    let post = std::fs::read_dir(copy.path().join("_posts"))
        .unwrap()
        .map(|e| format!("_posts/{}", e.unwrap().file_name().to_string_lossy()))
        .min()
        .unwrap();
    let expected = stdout(&lint(copy.path(), &[&post]));
    assert_eq!(
        stdout(&cached_lint(copy.path(), &[&post, "--no-cache"])),
        expected
    );
    assert!(!copy.path().join(".carnet-cache").exists());
    assert_eq!(stdout(&cached_lint(copy.path(), &[&post])), expected);
    let damaged = cache_file(copy.path());
    std::fs::write(
        copy.path().join(".carnet-cache/facts-v5.bin"),
        &damaged[..damaged.len() / 2],
    )
    .unwrap();
    let again = cached_lint(copy.path(), &[&post]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(stdout(&again), expected);
    assert_eq!(cache_file(copy.path()), damaged);
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_for_findings() {
    let dir = site(&[("_posts/2020-01-01-late.md", LATE)]);
    let output = lint(dir.path(), &[]);
    assert_eq!(code(&output), 0, "warnings alone pass");
    assert_eq!(code(&lint(dir.path(), &["--deny-warnings"])), 1);
    assert_eq!(code(&lint(&fixture("broken"), &[])), 1);
}

#[test]
fn a_missing_path_exits_2_and_the_other_files_are_still_reported() {
    let dir = site(&[("_posts/2020-01-01-a.md", NO_TITLE)]);
    let output = lint(
        dir.path(),
        &[
            "_posts/2020-01-09-missing.md",
            "_posts/2020-01-01-a.md",
            "--format",
            "short",
        ],
    );
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("_posts/2020-01-09-missing.md"));
    assert!(stdout(&output).contains("_posts/2020-01-01-a.md:1:1: error[required-field]"));
}

#[test]
fn invalid_utf8_exits_2_and_the_other_files_are_still_reported() {
    let dir = site(&[("_posts/2020-01-01-a.md", NO_TITLE)]);
    std::fs::write(
        dir.path().join("_posts/2020-01-02-latin1.md"),
        b"---\ntitle: caf\xe9\n---\n",
    )
    .unwrap();
    let output = lint(dir.path(), &["--format", "short"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("_posts/2020-01-02-latin1.md:2:11: not valid UTF-8"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("_posts/2020-01-01-a.md:1:1: error[required-field]"));
}

#[test]
fn bad_configuration_and_unknown_rules_exit_2() {
    let dir = site(&[
        ("_posts/2020-01-01-a.md", GOOD),
        ("carnet.toml", "[lint.rules]\nno-such-rule = \"error\"\n"),
    ]);
    let output = lint(dir.path(), &[]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("no-such-rule"),
        "{}",
        stderr(&output)
    );

    let dir = site(&[("_posts/2020-01-01-a.md", GOOD)]);
    for flag in ["--select", "--ignore"] {
        let output = lint(dir.path(), &[flag, "empty-link,no-such-rule"]);
        assert_eq!(code(&output), 2, "{flag}");
        assert!(stderr(&output).contains("unknown rule `no-such-rule`"));
    }
}

// ---------------------------------------------------------------- rule selection and configuration

#[test]
fn select_and_ignore() {
    let broken = fixture("broken");
    let rules = |args: &[&str]| -> BTreeSet<String> {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        findings(&json(&lint(&broken, &all)))
            .into_iter()
            .map(|f| f.1)
            .collect()
    };
    assert_eq!(
        rules(&["--select", "required-field,field-type"]),
        BTreeSet::from(["required-field".to_string(), "field-type".to_string()])
    );
    let ignored = rules(&["--ignore", "required-field,field-type"]);
    assert!(!ignored.contains("required-field") && !ignored.contains("field-type"));
    assert!(ignored.contains("field-value"));
}

#[test]
fn rule_levels_from_carnet_toml() {
    let posts = [
        ("_posts/2020-01-01-late.md", LATE),
        ("_posts/2020-01-02-b.md", NO_TITLE),
    ];
    let mut files = posts.to_vec();
    files.push((
        "carnet.toml",
        "[lint.rules]\ndate-mismatch = \"error\"\nrequired-field = \"off\"\n",
    ));
    let dir = site(&files);
    let output = lint(dir.path(), &["--format", "json"]);
    let report = json(&output);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report:#}");
    assert_eq!(diagnostics[0]["rule"], "date-mismatch");
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(code(&output), 1);
}

#[test]
fn required_fields_and_field_specs_from_carnet_toml() {
    let dir = site(&[
        (
            "carnet.toml",
            "[lint]\nrequired = [\"title\", \"description\"]\n\n\
             [lint.fields.lang]\ntype = \"string\"\nallowed = [\"fr\", \"en\"]\n\n\
             [lint.fields.rating]\ntype = \"number\"\n",
        ),
        (
            "_posts/2020-01-01-a.md",
            "---\ntitle: A\ndescription: d\nlang: de\nrating: high\n---\n",
        ),
        ("_posts/2020-01-02-b.md", "---\ntitle: B\nlang: fr\n---\n"),
    ]);
    let output = lint(dir.path(), &["--format", "json"]);
    let found = findings(&json(&output));
    let expected = BTreeSet::from([
        (
            "_posts/2020-01-01-a.md".to_string(),
            "field-value".to_string(),
            4,
            7,
        ),
        (
            "_posts/2020-01-01-a.md".to_string(),
            "field-type".to_string(),
            5,
            9,
        ),
        (
            "_posts/2020-01-02-b.md".to_string(),
            "required-field".to_string(),
            1,
            1,
        ),
    ]);
    assert_eq!(found, expected);
}

// ---------------------------------------------------------------- output formats

/// Exit code, stdout and stderr together, for one snapshot per format.
fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        code(output),
        stdout(output),
        stderr(output)
    )
}

#[test]
fn format_snapshots() {
    for format in ["human", "short", "json", "github"] {
        let output = lint(&small(), &["--format", format, "--color", "never"]);
        insta::assert_snapshot!(format!("format_{format}"), transcript(&output));
    }
}

#[test]
fn sarif_snapshot_of_results() {
    let output = lint(&small(), &["--format", "sarif"]);
    assert_eq!(code(&output), 1);
    let log = json(&output);
    let run = &log["runs"][0];
    // Rule indexes move when rules are added; their consistency is checked with the schema below.
    let mut results = run["results"].clone();
    for result in results.as_array_mut().unwrap() {
        result.as_object_mut().unwrap().remove("ruleIndex");
    }
    insta::assert_json_snapshot!("format_sarif_results", results);
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "carnet");
    assert_eq!(
        run["tool"]["driver"]["version"],
        env!("CARGO_PKG_VERSION"),
        "the driver's version is the crate's"
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let validator = sarif_validator();
    for dir in [fixture("broken"), fixture("demo"), small()] {
        let log = json(&lint(&dir, &["--format", "sarif"]));
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn sarif_rejects_a_broken_log_so_the_validation_can_fail() {
    let validator = sarif_validator();
    let mut log = json(&lint(&small(), &["--format", "sarif"]));
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&log));
}

#[test]
fn sarif_columns_count_characters() {
    let log = json(&lint(
        &fixture("broken"),
        &[
            "_posts/2020-01-04-front-matter-invalid.md",
            "--format",
            "sarif",
        ],
    ));
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].clone(), region["startColumn"].clone()),
        (4.into(), 13.into())
    );
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "_posts/2020-01-04-front-matter-invalid.md");
}

#[test]
fn github_annotations_have_the_documented_shape() {
    let output = lint(&fixture("broken"), &["--format", "github"]);
    let text = stdout(&output);
    assert!(text.lines().count() > 10);
    for line in text.lines() {
        let (command, rest) = line[2..].split_once(' ').expect(line);
        assert!(line.starts_with("::"), "{line}");
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").expect(line);
        assert!(!message.is_empty() && !message.contains('\n'));
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').expect(line).0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
    }
}

#[test]
fn github_escapes_commas_and_colons_in_file_names() {
    let dir = site(&[("_posts/2020-01-01-a,b:c.md", NO_TITLE)]);
    let output = lint(dir.path(), &["--format", "github"]);
    assert_eq!(
        stdout(&output),
        "::error file=_posts/2020-01-01-a%2Cb%3Ac.md,line=1,col=1,endLine=1,endColumn=4,\
         title=required-field::missing required field `title`\n"
    );
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let output = lint(&small(), &["--format", "json"]);
    let report = json(&output);
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&report),
        ["version", "files_checked", "summary", "diagnostics"]
    );
    assert_eq!(report["version"], 1);
    assert_eq!(report["files_checked"], 4);
    assert_eq!(keys(&report["summary"]), ["error", "warning", "info"]);
    assert_eq!(
        report["summary"],
        serde_json::json!({"error": 1, "warning": 1, "info": 1})
    );
    for d in report["diagnostics"].as_array().unwrap() {
        assert_eq!(
            keys(d),
            [
                "path",
                "line",
                "column",
                "end_line",
                "end_column",
                "rule",
                "severity",
                "message",
                "fixable"
            ]
        );
    }
}

#[test]
fn colours_follow_color_no_color_and_clicolor_force() {
    let escape = |output: &Output| output.stdout.contains(&0x1b);
    let dir = small();
    assert!(escape(&lint(&dir, &["--color", "always"])));
    assert!(!escape(&lint(&dir, &["--color", "never"])));
    assert!(!escape(&lint(&dir, &[])), "not a terminal");
    let forced = carnet(&dir)
        .arg("lint")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(escape(&forced));
    let no_color = carnet(&dir)
        .arg("lint")
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!escape(&no_color));
}

#[test]
fn paths_are_relative_to_the_current_folder() {
    let file = "2020-01-07-required-field.md";
    let paths = |dir: &Path, args: &[&str]| -> BTreeSet<String> {
        let mut all = args.to_vec();
        all.extend(["--format", "json", "--select", "required-field"]);
        findings(&json(&lint(dir, &all)))
            .into_iter()
            .map(|f| f.0)
            .collect()
    };
    let broken = fixture("broken");
    assert_eq!(
        paths(&root(), &["fixtures/broken"]),
        BTreeSet::from([format!("fixtures/broken/_posts/{file}")])
    );
    assert_eq!(
        paths(&broken.join("_posts"), &[]),
        BTreeSet::from([file.to_string()])
    );
    let output = carnet(&fixture("demo"))
        .args(["--site", "../broken", "lint", "--format", "short"])
        .args(["--select", "required-field"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output),
        format!(
            "../broken/_posts/{file}:1:1: error[required-field] missing required field `title`\n"
        )
    );
}

// ---------------------------------------------------------------- --fix

/// A copy of the broken site's posts that `--fix` repairs, with its configuration.
const FIXABLE: &[&str] = &[
    "_posts/2020-06-03-reversed-link.md",
    "_posts/2020-06-04-link-spacing.md",
    "_posts/2020-07-04-excerpt-near-miss.md",
    "_posts/2020-08-01-bom-crlf.md",
];

fn fixable_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let broken = fixture("broken");
    std::fs::create_dir(dir.path().join("_posts")).unwrap();
    for file in FIXABLE.iter().chain(&["_config.yml"]) {
        std::fs::copy(broken.join(file), dir.path().join(file)).unwrap();
    }
    dir
}

#[test]
fn fix_repairs_links_and_separators_byte_for_byte() {
    let dir = fixable_site();
    let before: Vec<Vec<u8>> = FIXABLE
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    let output = lint(dir.path(), &["--fix", "--format", "short"]);
    assert_eq!(stderr(&output), "Fixed 4 findings in 4 files.\n");
    assert_eq!(stdout(&output), "", "nothing left to report");
    assert_eq!(code(&output), 0);
    let replace = |bytes: &[u8], from: &str, to: &str| -> Vec<u8> {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(text.contains(from));
        text.replacen(from, to, 1).into_bytes()
    };
    let expected = [
        replace(
            &before[0],
            "(text)[https://example.org]",
            "[text](https://example.org)",
        ),
        replace(
            &before[1],
            "[text] (https://example.org)",
            "[text](https://example.org)",
        ),
        replace(&before[2], "<!-- more -->", "<!--more-->"),
        replace(
            &before[3],
            "[text] (https://example.org)",
            "[text](https://example.org)",
        ),
    ];
    for (file, expected) in FIXABLE.iter().zip(expected) {
        let after = std::fs::read(dir.path().join(file)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&after),
            String::from_utf8_lossy(&expected),
            "{file}"
        );
    }
    assert!(std::fs::read(dir.path().join(FIXABLE[3]))
        .unwrap()
        .starts_with(b"\xef\xbb\xbf---\r\n"));

    let again = lint(dir.path(), &["--fix"]);
    assert_eq!(stderr(&again), "", "a second --fix has nothing to do");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("_posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".carnet-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn reversed_links_whose_fix_would_not_be_that_link_are_left_alone() {
    let post = "---\ntitle: T\n---\n\n(a ] b)[https://x.org]\n\n(a [ b)[https://x.org]\n\n\
(a)[https://x.org\\]\n\n(a)[https://x.y)]\n\nSee https://example.org/(a)[https://x.org/].\n\n\
[x] and (fine)[https://ok.org]\n\n[x]: https://a.org \"(t)[https://b.org]\"\n";
    let dir = site(&[("_posts/2020-01-01-a.md", post)]);
    let output = lint(dir.path(), &["--fix", "--format", "short"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_posts/2020-01-01-a.md")).unwrap(),
        post.replace("(fine)[https://ok.org]", "[fine](https://ok.org)"),
        "only the link that reads back as itself is fixed"
    );
    assert_eq!(stderr(&output), "Fixed 1 finding in 1 file.\n");
    let out = stdout(&output);
    assert_eq!(out.matches("error[reversed-link]").count(), 6, "{out}");
    assert_eq!(out.matches("not fixed").count(), 6, "{out}");
}

#[test]
fn a_near_miss_before_the_separator_is_reported_but_not_fixed() {
    let post = "---\ntitle: T\n---\n\nIntro.\n\n<!-- more -->\n\nMiddle.\n\n<!--more-->\n\nRest.\n";
    let dir = site(&[
        (
            "_config.yml",
            "timezone: UTC\nexcerpt_separator: <!--more-->\n",
        ),
        ("_posts/2020-01-01-a.md", post),
    ]);
    let output = lint(dir.path(), &["--fix", "--format", "short"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_posts/2020-01-01-a.md")).unwrap(),
        post,
        "the fix would have cut a shorter excerpt and left two separators"
    );
    let out = stdout(&output);
    assert!(
        out.contains("_posts/2020-01-01-a.md:7:1: warning[excerpt-near-miss]"),
        "{out}"
    );
    assert!(out.contains("not fixed"), "{out}");
    assert!(!out.contains("excerpt-multiple"), "{out}");
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixable_site();
    let path = dir.path().join(FIXABLE[0]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    lint(dir.path(), &["--fix"]);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("[text](https://example.org)"));
}

#[test]
fn fix_leaves_files_without_fixable_findings_untouched() {
    let dir = site(&[("_posts/2020-01-01-a.md", NO_TITLE)]);
    let path = dir.path().join("_posts/2020-01-01-a.md");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let output = lint(dir.path(), &["--fix", "--format", "short"]);
    assert_eq!(code(&output), 1);
    assert_eq!(stderr(&output), "");
    assert!(stdout(&output).contains("error[required-field]"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), NO_TITLE);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
}

// ---------------------------------------------------------------- --staged

/// `git ARGS` in `dir`, isolated from the user's and the system's git configuration.
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
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

#[test]
fn staged_lints_the_index_copy_not_the_working_tree() {
    let dir = site(&[
        ("_posts/2020-01-01-staged.md", NO_TITLE),
        ("_posts/2020-01-02-unstaged.md", NO_TITLE),
        ("_posts/2020-01-03-good.md", GOOD),
        ("notes.md", NO_TITLE),
    ]);
    git_ok(dir.path(), &["init", "-q"]);
    git_ok(dir.path(), &["add", "_config.yml", "notes.md"]);
    git_ok(
        dir.path(),
        &[
            "add",
            "_posts/2020-01-01-staged.md",
            "_posts/2020-01-03-good.md",
        ],
    );
    // Fixed in the working tree only: the commit would still hold the broken copy.
    std::fs::write(dir.path().join("_posts/2020-01-01-staged.md"), GOOD).unwrap();
    let output = lint(dir.path(), &["--staged", "--format", "json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["files_checked"], 2);
    assert_eq!(
        findings(&report),
        BTreeSet::from([(
            "_posts/2020-01-01-staged.md".to_string(),
            "required-field".to_string(),
            1,
            1
        )])
    );
}

#[test]
fn staged_from_a_site_in_a_subfolder_of_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let blog = dir.path().join("docs");
    std::fs::create_dir_all(blog.join("_posts")).unwrap();
    std::fs::write(blog.join("_config.yml"), "timezone: UTC\n").unwrap();
    std::fs::write(blog.join("_posts/2020-01-01-a.md"), NO_TITLE).unwrap();
    git_ok(dir.path(), &["init", "-q"]);
    git_ok(dir.path(), &["add", "."]);
    let output = carnet(dir.path())
        .args(["--site", "docs", "lint", "--staged", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output),
        "docs/_posts/2020-01-01-a.md:1:1: error[required-field] missing required field `title`\n"
    );
}

#[test]
fn staged_outside_a_repository_exits_2() {
    let dir = site(&[("_posts/2020-01-01-a.md", GOOD)]);
    let output = carnet(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["lint", "--staged"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("not inside a git repository"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn a_pre_commit_hook_refuses_a_broken_post_and_accepts_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site(&[("_posts/2020-01-01-a.md", NO_TITLE)]);
    git_ok(dir.path(), &["init", "-q"]);
    let hook = dir.path().join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nexec '{}' lint --staged --format short\n",
            env!("CARGO_BIN_EXE_carnet")
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    git_ok(dir.path(), &["add", "."]);
    let refused = git(dir.path(), &["commit", "-q", "-m", "broken"]);
    assert!(!refused.status.success());
    // git sends a hook's output to its standard error.
    assert!(
        stderr(&refused).contains("error[required-field]"),
        "{}",
        stderr(&refused)
    );

    std::fs::write(dir.path().join("_posts/2020-01-01-a.md"), GOOD).unwrap();
    git_ok(dir.path(), &["add", "."]);
    git_ok(dir.path(), &["commit", "-q", "-m", "fixed"]);

    // `git commit FILE` commits the working tree's copy through a temporary index.
    std::fs::write(dir.path().join("_posts/2020-01-01-a.md"), NO_TITLE).unwrap();
    let partial = git(
        dir.path(),
        &["commit", "-q", "-m", "partial", "_posts/2020-01-01-a.md"],
    );
    assert!(
        !partial.status.success(),
        "the hook saw the temporary index"
    );
}

// ---------------------------------------------------------------- --watch

/// A running `carnet lint --watch` and the lines it prints, both streams together.
#[cfg(unix)]
struct Watching {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    deadline: std::time::Instant,
}

#[cfg(unix)]
impl Watching {
    fn start(dir: &Path) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_carnet"))
            .current_dir(dir)
            .args(["lint", "--watch", "--format", "short"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (sender, lines) = std::sync::mpsc::channel::<String>();
        let streams: [Box<dyn std::io::Read + Send>; 2] = [
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        ];
        for stream in streams {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            });
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        Watching {
            child,
            lines,
            deadline,
        }
    }

    /// Whether a line holding `needle` comes before the deadline.
    fn wait_for(&self, needle: &str) -> bool {
        while let Some(left) = self
            .deadline
            .checked_duration_since(std::time::Instant::now())
        {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    }

    /// Sends Ctrl-C and returns the exit code (killing the process if it does not end).
    fn stop(mut self) -> Option<i32> {
        use std::time::{Duration, Instant};
        let _ = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let stop = Instant::now() + Duration::from_secs(5);
        while Instant::now() < stop && self.child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.child.try_wait().unwrap().is_none() {
            let _ = self.child.kill();
        }
        self.child.wait().unwrap().code()
    }
}

#[cfg(unix)]
#[test]
fn watch_relints_on_save_and_ends_on_ctrl_c() {
    let dir = site(&[("_posts/2020-01-01-a.md", GOOD)]);
    let watch = Watching::start(dir.path());
    let ready = watch.wait_for("Watching for changes");
    if ready {
        std::fs::write(dir.path().join("_posts/2020-01-01-a.md"), NO_TITLE).unwrap();
    }
    let relinted = ready && watch.wait_for("_posts/2020-01-01-a.md:1:1: error[required-field]");
    let status = watch.stop();
    assert!(ready, "no first report within 20 s");
    assert!(relinted, "no new report after the save");
    assert_eq!(status, Some(0), "Ctrl-C ends with exit 0");
}

#[cfg(unix)]
#[test]
fn watch_follows_a_posts_folder_deleted_and_made_again() {
    let dir = site(&[("_posts/2020-01-01-a.md", GOOD)]);
    let posts = dir.path().join("_posts");
    let watch = Watching::start(dir.path());
    let ready = watch.wait_for("Watching for changes");
    if ready {
        std::fs::remove_dir_all(&posts).unwrap();
        std::fs::create_dir(&posts).unwrap();
        // Then a save a while later, once any new watch would be set.
        std::thread::sleep(std::time::Duration::from_millis(800));
        std::fs::write(posts.join("2020-01-02-b.md"), NO_TITLE).unwrap();
    }
    let relinted = ready && watch.wait_for("_posts/2020-01-02-b.md:1:1: error[required-field]");
    let status = watch.stop();
    assert!(ready, "no first report within 20 s");
    assert!(relinted, "the post saved in the new _posts/ was not linted");
    assert_eq!(status, Some(0));
}

// ---------------------------------------------------------------- pre-commit hook definition

#[test]
fn pre_commit_hook_definition() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<serde_yaml::Mapping> = serde_yaml::from_str(&text).unwrap();
    let hook = &hooks[0];
    let get = |key: &str| hook.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    assert_eq!(get("id"), "carnet-lint");
    assert_eq!(get("entry"), "carnet lint --staged");
    assert_eq!(
        hook.get("pass_filenames").and_then(|v| v.as_bool()),
        Some(false)
    );
    assert_eq!(get("language"), "rust");
    assert_eq!(
        hook.get("require_serial").and_then(|v| v.as_bool()),
        Some(true)
    );
    let files = get("files");
    for ext in ["md", "markdown", "mkdown", "mkdn", "mkd"] {
        assert!(files.contains(ext), "{ext}");
    }
}
