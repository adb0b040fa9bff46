//! Bad input, end to end: every file a person (or a broken tool) might leave in a blog, run through
//! the real binary. Each case checks for a clear message naming the file (with line:column where
//! there is one), the documented exit code, no panic, and that the other posts are still checked.
//! The large inputs are generated here, at test time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

mod common;

/// A fixed clock, so that nothing depends on the day the tests run.
const NOW: &str = "2024-06-01T12:00:00+02:00";

/// Longest any run may take: a hang (a FIFO read, a runaway loop) fails the test instead of the suite.
/// Generous, since the 50 MB post runs unoptimized and CI machines are shared.
const LIMIT: Duration = Duration::from_secs(300);

/// A post with one known finding, to show that the other files are still checked.
const OTHER: &str = "_posts/2020-01-01-other.md";
const OTHER_TEXT: &str = "---\ntitle: Other\n---\n\nSee (the docs)[https://example.org].\n";

/// A finished run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The JSON document on stdout.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    /// `path:line:col rule` of every finding of `lint --format json`.
    fn findings(&self) -> Vec<String> {
        self.json()["diagnostics"]
            .as_array()
            .expect("a diagnostics array")
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {}",
                    d["path"].as_str().unwrap(),
                    d["line"],
                    d["column"],
                    d["rule"].as_str().unwrap()
                )
            })
            .collect()
    }

    /// `path status` of every post of `list --format json`.
    fn listed(&self) -> Vec<String> {
        self.json()
            .as_array()
            .expect("a JSON array")
            .iter()
            .map(|p| {
                format!(
                    "{} {}",
                    p["path"].as_str().unwrap(),
                    p["status"].as_str().unwrap()
                )
            })
            .collect()
    }

    fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn assert_stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }
}

fn carnet_in(dir: &Path) -> Command {
    let mut command = common::carnet();
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(LIMIT)
        .args(["--now", NOW]);
    command
}

/// Runs `carnet --now NOW ARGS...` in `dir`; no run may panic or die of a signal.
fn run(dir: &Path, args: &[&str]) -> Run {
    finish(carnet_in(dir).args(args), args)
}

fn finish(command: &mut Command, args: &[&str]) -> Run {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("carnet {args:?} did not finish: {e}"));
    let run = Run {
        code: output.status.code().unwrap_or_else(|| {
            panic!(
                "carnet {args:?} was killed: {:?}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
        }),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "carnet {args:?} panicked:\n{}",
        run.stderr
    );
    assert!(
        (0..=2).contains(&run.code),
        "carnet {args:?} exited {}",
        run.code
    );
    run
}

/// A temporary site holding `_config.yml` (a time zone) and the other post, plus `files`.
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "_config.yml", b"timezone: UTC\n");
    write(dir.path(), OTHER, OTHER_TEXT.as_bytes());
    for (path, bytes) in files {
        write(dir.path(), path, bytes);
    }
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    common::write(root, rel, bytes)
}

fn other_finding() -> String {
    format!("{OTHER}:5:5 reversed-link")
}

/// Lints and lists a site holding one bad post: lint reports `finding` (`line:col rule`) on it
/// beside the other post's finding and exits 1; list shows it as `status` and the other post as
/// published, warning about it when invalid. Returns the lint run.
fn bad_post(rel: &str, bytes: &[u8], finding: &str, status: &str) -> Run {
    let dir = site(&[(rel, bytes)]);
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    lint.assert_code(1);
    let findings = lint.findings();
    assert!(
        findings.contains(&format!("{rel}:{finding}")),
        "{rel}: no {finding} in {findings:?}"
    );
    assert!(findings.contains(&other_finding()), "{findings:?}");

    let list = run(dir.path(), &["list", "--all", "--format", "json"]);
    list.assert_code(0);
    let listed = list.listed();
    assert!(listed.contains(&format!("{rel} {status}")), "{listed:?}");
    assert!(listed.contains(&format!("{OTHER} published")), "{listed:?}");
    if status == "invalid" {
        list.assert_stderr_has(&format!("carnet: warning: {rel}"));
    }
    lint
}

// ---------------------------------------------------------------- encodings and bytes

#[test]
fn invalid_utf8_names_the_file_line_column_and_byte_offset() {
    let rel = "_posts/2020-01-02-latin1.md";
    let dir = site(&[(rel, b"---\ntitle: ok\n---\n\nCaf\xe9 cr\xe8me.\n")]);
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    lint.assert_code(2)
        .assert_stderr_has(&format!("{rel}:5:4: not valid UTF-8 (byte offset 22)"));
    assert_eq!(lint.findings(), [other_finding()]);

    let list = run(dir.path(), &["list", "--all", "--format", "json"]);
    list.assert_code(0)
        .assert_stderr_has(&format!("{rel}:5:4: not valid UTF-8 (byte offset 22)"));
    assert!(list.listed().contains(&format!("{rel} invalid")));
}

#[test]
fn a_nul_byte_in_front_matter_is_invalid_yaml_and_in_the_body_is_text() {
    bad_post(
        "_posts/2020-01-02-nul.md",
        b"---\ntitle: a\0b\n---\nText.\n",
        "2:9 front-matter-invalid",
        "invalid",
    );
    let rel = "_posts/2020-01-03-nul-body.md";
    let dir = site(&[(rel, b"---\ntitle: Nul\n---\nText\0more.\n")]);
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(lint.assert_code(1).findings(), [other_finding()]);
    let list = run(dir.path(), &["list", "--format", "json"]);
    assert!(list.listed().contains(&format!("{rel} published")));
}

#[test]
fn an_empty_file_has_no_front_matter() {
    bad_post(
        "_posts/2020-01-02-empty.md",
        b"",
        "1:1 front-matter-missing",
        "invalid",
    );
}

#[test]
fn a_file_that_is_only_dashes_is_unclosed_front_matter() {
    for bytes in [&b"---"[..], b"---\n", b"---\r\n"] {
        bad_post(
            "_posts/2020-01-02-dashes.md",
            bytes,
            "1:1 front-matter-unclosed",
            "invalid",
        );
    }
}

#[test]
fn front_matter_never_closed() {
    bad_post(
        "_posts/2020-01-02-open.md",
        b"---\ntitle: Open\n\nThe body, taken for YAML.\n",
        "1:1 front-matter-unclosed",
        "invalid",
    );
}

#[test]
fn yaml_indented_with_tabs_is_invalid_at_the_tab() {
    bad_post(
        "_posts/2020-01-02-tabs.md",
        b"---\ntitle: Tabs\ntags:\n\t- a\n---\nText.\n",
        "4:1 front-matter-invalid",
        "invalid",
    );
}

#[test]
fn cr_only_line_endings_are_lines() {
    let rel = "_posts/2020-01-02-cr.md";
    let text = "---\rtitle: Old Mac\r---\r\rSee (this)[https://example.org].\r";
    let lint = bad_post(rel, text.as_bytes(), "5:5 reversed-link", "published");
    assert_eq!(lint.findings().len(), 2);

    let dir = site(&[(rel, text.as_bytes())]);
    run(dir.path(), &["lint", "--fix", "--format", "short"]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(rel)).unwrap(),
        "---\rtitle: Old Mac\r---\r\rSee [this](https://example.org).\r"
    );
}

#[test]
fn a_bom_and_crlf_are_kept_and_not_counted_in_columns() {
    let rel = "_posts/2020-01-02-bom.md";
    let text = "\u{feff}---\r\ntitle: Été\r\n---\r\n\r\nÉté (ici)[https://example.org]\r\n";
    bad_post(rel, text.as_bytes(), "5:5 reversed-link", "published");

    let dir = site(&[(rel, text.as_bytes())]);
    let list = run(dir.path(), &["list", "--format", "json"]);
    let listed = list.json();
    let titles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert!(titles.contains(&"Été"), "{titles:?}");
    run(dir.path(), &["lint", "--fix", "--format", "short"]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(rel)).unwrap(),
        text.replace("(ici)[https://example.org]", "[ici](https://example.org)")
    );
}

// ---------------------------------------------------------------- YAML that explodes

/// An alias bomb ("billion laughs"): 9^16 strings if every alias were expanded.
fn alias_bomb() -> String {
    let mut yaml =
        String::from("---\ntitle: Laughs\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names: Vec<char> = ('a'..='q').collect();
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        yaml.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    yaml.push_str("---\nText.\n");
    yaml
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let rel = "_posts/2020-01-02-bomb.md";
    let started = Instant::now();
    bad_post(
        rel,
        alias_bomb().as_bytes(),
        "2:1 front-matter-invalid",
        "invalid",
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// `carnet --now NOW ARGS...` in `dir` with 512 MiB of address space: expanding an alias bomb
/// would need far more. (`ulimit -v` is Linux's; other systems may refuse it.)
#[cfg(target_os = "linux")]
fn run_in_512_mib(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new("sh");
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", "2")
        .timeout(LIMIT)
        .args(["-c", "ulimit -v 524288 && exec \"$@\"", "sh"])
        .arg(assert_cmd::cargo::cargo_bin("carnet"))
        .args(["--now", NOW])
        .args(args);
    finish(&mut command, args)
}

#[cfg(target_os = "linux")]
#[test]
fn a_yaml_alias_bomb_is_refused_in_bounded_memory() {
    let rel = "_posts/2020-01-02-bomb.md";
    let dir = site(&[(rel, alias_bomb().as_bytes())]);
    let lint = run_in_512_mib(dir.path(), &["lint", "--format", "json"]);
    assert!(lint
        .assert_code(1)
        .findings()
        .contains(&format!("{rel}:2:1 front-matter-invalid")));
    run_in_512_mib(dir.path(), &["list", "--all"])
        .assert_code(0)
        .assert_stderr_has(&format!(
            "{rel}:2:1: invalid YAML: repetition limit exceeded"
        ));
}

#[test]
fn yaml_nested_10000_levels_deep_is_refused_with_a_position() {
    let deep = 10_000;
    for (name, value, at) in [
        (
            "flow",
            format!("{}{}", "[".repeat(deep), "]".repeat(deep)),
            "3:131",
        ),
        (
            "map",
            format!("{}1{}", "{a: ".repeat(deep), "}".repeat(deep)),
            "3:512",
        ),
        ("block", format!("\n{}x", "- ".repeat(deep)), "4:255"),
    ] {
        let rel = format!("_posts/2020-01-02-{name}.md");
        let text = format!("---\ntitle: Deep\nd: {value}\n---\nText.\n");
        bad_post(
            &rel,
            text.as_bytes(),
            &format!("{at} front-matter-invalid"),
            "invalid",
        )
        .assert_code(1);
        let dir = site(&[(rel.as_str(), text.as_bytes())]);
        run(dir.path(), &["list", "--all"]).assert_stderr_has(&format!(
            "{rel}:{at}: invalid YAML: recursion limit exceeded"
        ));
    }
}

// ---------------------------------------------------------------- sizes and depths

#[test]
fn a_50_mb_post_is_linted_and_listed() {
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor \
incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud [exercitation](https://example.org) \
ullamco laboris nisi ut aliquip ex ea commodo consequat.\n";
    let mut text = String::from("---\ntitle: Huge\n---\n\n");
    let mut lines = 4;
    while text.len() < 50 * 1024 * 1024 {
        for _ in 0..20 {
            text.push_str(paragraph);
        }
        text.push('\n');
        lines += 21;
    }
    text.push_str("The end: (a link)[https://example.org].\n");
    let rel = "_posts/2020-01-02-huge.md";
    let dir = site(&[(rel, text.as_bytes())]);
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(
        lint.assert_code(1).findings(),
        [
            other_finding(),
            format!("{rel}:{}:10 reversed-link", lines + 1)
        ]
    );
    let list = run(dir.path(), &["list", "--format", "json"]);
    assert!(list.listed().contains(&format!("{rel} published")));
}

#[test]
fn nesting_10000_levels_deep_does_not_overflow_the_stack() {
    let deep = 10_000;
    let end = "\n\nThe end: (a link)[https://example.org].\n";
    for (name, body) in [
        ("quotes", format!("{} deep", ">".repeat(deep))),
        ("bullets", format!("{}deep", "- ".repeat(deep))),
        ("numbers", format!("{}deep", "1. ".repeat(deep))),
        ("mixed", format!("{}deep", "> - 1. ".repeat(deep / 3))),
        (
            "brackets",
            format!("{}x{}", "[".repeat(deep), "](u)".repeat(deep)),
        ),
        (
            "emphasis",
            format!("{}x{}", "*_".repeat(deep), "_*".repeat(deep)),
        ),
        ("liquid", format!("{}x", "{% if a %}".repeat(deep))),
    ] {
        let rel = format!("_posts/2020-01-02-{name}.md");
        let text = format!("---\ntitle: Deep\n---\n\n{body}{end}");
        let dir = site(&[(rel.as_str(), text.as_bytes())]);
        let lint = run(dir.path(), &["lint", "--format", "json"]);
        lint.assert_code(1);
        let findings = lint.findings();
        assert!(
            findings.contains(&format!("{rel}:7:10 reversed-link")),
            "{name}: {findings:?}"
        );
        let list = run(dir.path(), &["list", "--format", "json"]);
        assert!(
            list.listed().contains(&format!("{rel} published")),
            "{name}"
        );
    }
}

#[test]
fn a_10_mb_line_full_of_findings_prints_a_bounded_excerpt_of_it() {
    let stretch = format!("{}https://example.org/page ", "word ".repeat(200));
    let line = stretch.repeat(10 * 1024 * 1024 / stretch.len() + 1);
    let count = line.matches("https://").count();
    let rel = "_posts/2020-01-02-line.md";
    let text = format!("---\ntitle: Long\n---\n\n{line}\n");
    let dir = site(&[(rel, text.as_bytes())]);
    let lint = run(dir.path(), &["lint", "--select", "bare-url"]);
    lint.assert_code(0);
    let shown = lint
        .stdout
        .matches("bare URL `https://example.org/page`")
        .count();
    assert_eq!(shown, count);
    // Each finding shows at most a few hundred bytes of its line, not the whole 10 MB.
    assert!(
        lint.stdout.len() < count * 1000,
        "{} bytes for {count} findings",
        lint.stdout.len()
    );
    let last = lint.stdout.lines().rfind(|l| l.contains('…')).unwrap();
    assert!(last.len() < 400, "{last}");
    let list = run(dir.path(), &["list", "--format", "json"]);
    assert!(list.listed().contains(&format!("{rel} published")));
}

// ---------------------------------------------------------------- files that are not files

#[test]
fn a_folder_named_like_a_post_is_not_a_post() {
    let dir = site(&[]);
    let folder = "_posts/2020-01-02-folder.md";
    std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(lint.assert_code(1).findings(), [other_finding()]);
    let list = run(dir.path(), &["list", "--all", "--format", "json"]);
    assert_eq!(list.assert_code(0).listed(), [format!("{OTHER} published")]);

    std::fs::create_dir_all(dir.path().join("_drafts/folder.md")).unwrap();
    run(dir.path(), &["publish", "_drafts/folder.md"])
        .assert_code(2)
        .assert_stderr_has("_drafts/folder.md: not a draft");
    run(dir.path(), &["unpublish", folder])
        .assert_code(2)
        .assert_stderr_has(&format!("{folder}: not a post"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_under_posts_are_skipped_and_named_when_asked_for() {
    let dir = site(&[]);
    let posts = dir.path().join("_posts");
    std::os::unix::fs::symlink("2020-01-02-loop.md", posts.join("2020-01-02-loop.md")).unwrap();
    std::os::unix::fs::symlink(".", posts.join("again")).unwrap();
    std::os::unix::fs::symlink("..", posts.join("up")).unwrap();
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(lint.assert_code(1).findings(), [other_finding()]);
    let list = run(dir.path(), &["list", "--all", "--format", "json"]);
    assert_eq!(list.assert_code(0).listed(), [format!("{OTHER} published")]);

    let named = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "_posts/2020-01-02-loop.md",
            OTHER,
        ],
    );
    named
        .assert_code(2)
        .assert_stderr_has("_posts/2020-01-02-loop.md: ")
        .assert_stderr_has("symbolic links");
    assert_eq!(named.findings(), [other_finding()]);
}

/// Makes a FIFO with `mkfifo`: opening one for reading waits for a writer that never comes.
#[cfg(unix)]
fn fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_post_that_cannot_be_read_exits_2_and_the_others_are_still_checked() {
    let dir = site(&[]);
    let posts = dir.path().join("_posts");
    fifo(&posts.join("2020-01-02-fifo.md"));
    std::os::unix::fs::symlink("nowhere.md", posts.join("2020-01-03-dangling.md")).unwrap();

    // The walk takes neither for a post.
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(lint.assert_code(1).findings(), [other_finding()]);
    let list = run(dir.path(), &["list", "--all", "--format", "json"]);
    assert_eq!(list.assert_code(0).listed(), [format!("{OTHER} published")]);

    // Named, each is an error and the named post beside them is still checked.
    for (name, error) in [
        (
            "_posts/2020-01-02-fifo.md",
            "cannot read: not a regular file",
        ),
        ("_posts/2020-01-03-dangling.md", "No such file or directory"),
    ] {
        let named = run(dir.path(), &["lint", "--format", "json", name, OTHER]);
        named
            .assert_code(2)
            .assert_stderr_has(&format!("carnet: error: {name}: {error}"));
        assert_eq!(named.findings(), [other_finding()], "{name}");
    }
    run(dir.path(), &["lint", "--fix", "_posts/2020-01-02-fifo.md"]).assert_code(2);

    // Permissions, where they apply: root reads anything, so this part needs another user.
    let locked = write(
        dir.path(),
        "_posts/2020-01-04-locked.md",
        OTHER_TEXT.as_bytes(),
    );
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("skipped the permission case: this user reads files whatever their mode (root)");
        return;
    }
    let lint = run(dir.path(), &["lint", "--format", "json"]);
    lint.assert_code(2)
        .assert_stderr_has("_posts/2020-01-04-locked.md: cannot read: Permission denied");
    assert_eq!(lint.findings(), [other_finding()]);
}

#[test]
fn a_path_that_does_not_exist_is_named() {
    let dir = site(&[]);
    let lint = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "_posts/2020-01-09-missing.md",
            OTHER,
        ],
    );
    lint.assert_code(2)
        .assert_stderr_has("_posts/2020-01-09-missing.md: No such file or directory");
    assert_eq!(lint.findings(), [other_finding()]);
    for args in [
        &["--site", "no-such-folder", "list"][..],
        &["--site", "no-such-folder", "lint"],
    ] {
        run(dir.path(), args)
            .assert_code(2)
            .assert_stderr_has("--site no-such-folder: no such folder");
    }
    run(dir.path(), &["publish", "_drafts/missing.md"])
        .assert_code(2)
        .assert_stderr_has("_drafts/missing.md: no such file");
}

#[test]
fn a_site_named_by_its_config_file_is_pointed_to_its_folder() {
    let dir = site(&[]);
    for (site, folder) in [("_config.yml", "."), ("./_config.yml", ".")] {
        for command in ["list", "lint", "doctor", "export"] {
            run(dir.path(), &["--site", site, command])
                .assert_code(2)
                .assert_stderr_has(&format!(
                    "--site {site}: a file, not a folder; --site names the site's folder (`--site {folder}`)"
                ));
        }
    }
    let outside = dir.path().parent().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    run(outside, &["--site", &format!("{name}/_config.yml"), "list"])
        .assert_code(2)
        .assert_stderr_has(&format!("(`--site {name}`)"));
}

#[test]
fn paths_with_spaces_and_accents_are_read_shown_and_fixed() {
    let root = tempfile::tempdir().unwrap();
    let blog = root.path().join("mon blog à moi");
    let rel = "_posts/2020-01-02-café au lait.md";
    write(&blog, "_config.yml", b"timezone: UTC\n");
    write(
        &blog,
        rel,
        "---\ntitle: Café\n---\n\nVoir (ici)[https://example.org].\n".as_bytes(),
    );
    let lint = run(&blog, &["lint", "--format", "json"]);
    assert_eq!(
        lint.assert_code(1).findings(),
        [format!("{rel}:5:6 reversed-link")]
    );
    let short = run(
        root.path(),
        &["lint", "--format", "short", "mon blog à moi"],
    );
    assert!(
        short.stdout.starts_with(
            "mon blog à moi/_posts/2020-01-02-café au lait.md:5:6: error[reversed-link]"
        ),
        "{}",
        short.stdout
    );
    let list = run(
        root.path(),
        &["--site", "mon blog à moi", "list", "--format", "json"],
    );
    assert_eq!(
        list.listed(),
        ["mon blog à moi/_posts/2020-01-02-café au lait.md published"]
    );
    run(&blog, &["lint", "--fix", rel]).assert_code(0);
    assert!(std::fs::read_to_string(blog.join(rel))
        .unwrap()
        .contains("Voir [ici](https://example.org)."));
}

// ---------------------------------------------------------------- configuration

/// Each command that reads the site refuses a bad configuration with exit 2 and `message`.
fn bad_configuration(file: &str, bytes: &[u8], message: &str) {
    let dir = site(&[(file, bytes)]);
    for args in [
        &["lint"][..],
        &["lint", "--fix"],
        &["list"],
        &["tags"],
        &["new", "A title", "--dry-run"],
        &["publish", "_drafts/a.md"],
    ] {
        run(dir.path(), args)
            .assert_code(2)
            .assert_stderr_has(&format!("{file}{message}"));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join(OTHER)).unwrap(),
        OTHER_TEXT,
        "nothing is fixed under a bad configuration"
    );
}

#[test]
fn a_config_yml_that_is_not_yaml() {
    bad_configuration(
        "_config.yml",
        b"title: [unclosed\ntimezone: UTC\n",
        ":1:8: invalid YAML: did not find expected ',' or ']'; this `[` is never closed",
    );
    bad_configuration(
        "_config.yml",
        b"title: Blog\n\ttimezone: UTC\n",
        ":2:1: invalid YAML: found a tab character",
    );
    bad_configuration(
        "_config.yml",
        b"- title\n- Blog\n",
        ":1:1: the file is a list, not a mapping of settings",
    );
    bad_configuration(
        "_config.yml",
        b"title: Caf\xe9\n",
        ":1:11: not valid UTF-8 (byte offset 10)",
    );
}

#[test]
fn a_config_yml_with_values_of_the_wrong_type() {
    bad_configuration(
        "_config.yml",
        b"title: Blog\nexcerpt_separator: 3\n",
        ":2:20: `excerpt_separator` must be a string, found a number",
    );
    bad_configuration(
        "_config.yml",
        b"timezone: Mars/Olympus\n",
        ":1:11: unknown timezone `Mars/Olympus`",
    );
    bad_configuration(
        "_config.yml",
        b"defaults: yes please\n",
        ":1:11: `defaults` must be a list",
    );
}

#[test]
fn an_invalid_carnet_toml() {
    bad_configuration("carnet.toml", b"[lint\n", ":1:6: unclosed table");
    bad_configuration(
        "carnet.toml",
        b"[lint]\nrequired = \"title\"\n",
        ":2:12: invalid type: string \"title\", expected a sequence",
    );
    bad_configuration(
        "carnet.toml",
        b"[lint]\nrequire = []\n",
        ":2:1: unknown field `require`",
    );
    bad_configuration(
        "carnet.toml",
        b"[lint.rules]\nbare-url = \"loud\"\n",
        ":2:12: unknown variant `loud`",
    );
    bad_configuration(
        "carnet.toml",
        b"[new]\ntemplate = \"caf\xe9\"\n",
        ":2:16: not valid UTF-8 (byte offset 21)",
    );
}

// ---------------------------------------------------------------- writing commands on bad input

#[test]
fn fix_publish_and_unpublish_leave_bad_files_byte_for_byte() {
    let bad: [(&str, Vec<u8>); 6] = [
        (
            "latin1",
            b"---\ntitle: caf\xe9\n---\n(a)[https://x.org]\n".to_vec(),
        ),
        ("empty", Vec::new()),
        ("open", b"---\ntitle: Open\n(a)[https://x.org]\n".to_vec()),
        (
            "tabs",
            b"---\ntitle:\ta\n\tb: c\n---\n(a)[https://x.org]\n".to_vec(),
        ),
        ("bomb", alias_bomb().into_bytes()),
        ("nul", b"---\ntitle: \0\n---\n(a)[https://x.org]\n".to_vec()),
    ];
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, bytes) in &bad {
        files.push((format!("_posts/2020-01-02-{name}.md"), bytes.clone()));
        files.push((format!("_drafts/{name}.md"), bytes.clone()));
    }
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let dir = site(&borrowed);

    let fix = run(dir.path(), &["lint", "--fix", "--format", "short"]);
    fix.assert_code(2);
    for (name, _) in &bad {
        let draft = format!("_drafts/{name}.md");
        let post = format!("_posts/2020-01-02-{name}.md");
        let published = run(dir.path(), &["publish", &draft, "--date", "2024-05-01"]);
        assert_ne!(published.code, 0, "{name}: {}", published.stdout);
        assert!(
            published.stderr.contains(&draft),
            "{name}: {}",
            published.stderr
        );
        let unpublished = run(dir.path(), &["unpublish", &post]);
        assert_ne!(unpublished.code, 0, "{name}: {}", unpublished.stdout);
    }
    for (rel, bytes) in &files {
        assert_eq!(
            &std::fs::read(dir.path().join(rel)).unwrap(),
            bytes,
            "{rel}"
        );
    }
    assert!(std::fs::read_to_string(dir.path().join(OTHER))
        .unwrap()
        .contains("[the docs](https://example.org)"));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("_posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), bad.len() + 1, "nothing published: {names:?}");
}
