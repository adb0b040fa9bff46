//! `carnet new`, `init`, `publish` and `unpublish` over temporary sites.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use carnet::post::Post;
use carnet::site::Site;
use predicates::prelude::*;
use tempfile::TempDir;

mod common;

const NOW: &str = "2024-05-01T12:00:00+02:00";
const CONFIG: &str = "title: Test\ntimezone: Europe/Paris\nexcerpt_separator: <!--more-->\n";

fn site(config: &str) -> TempDir {
    common::site(&[("_config.yml", config)])
}

fn carnet(dir: &Path) -> Command {
    let mut cmd = common::carnet();
    cmd.current_dir(dir)
        .args(["--now", NOW, "--color", "never"]);
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Creates a post and returns the path printed, relative to the site.
fn new(dir: &Path, args: &[&str]) -> String {
    stdout_of(carnet(dir).arg("new").args(args))
        .trim_end()
        .to_string()
}

fn read_post(dir: &Path, rel: &str) -> Post {
    let site = Site::load(dir).unwrap();
    Post::read(site.source_file(&dir.join(rel)), &site).unwrap()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_french_title_gives_the_exact_path_and_front_matter() {
    let dir = site(CONFIG);
    let path = new(
        dir.path(),
        &[
            "IntercoTOUR, un baromètre des usages du numérique en collectivités",
            "--tags",
            "evenement,collectivites",
            "--category",
            "good_job",
        ],
    );
    assert_eq!(
        path,
        "_posts/2024-05-01-intercotour-un-barometre-des-usages-du-numerique-en-collectivites.md"
    );
    let text = std::fs::read_to_string(dir.path().join(&path)).unwrap();
    insta::assert_snapshot!("french_title", text);
    // A new post gets the usual 0666 less the umask, not a temporary file's 0600.
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::PermissionsExt;
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap());
        if let Some(umask) = umask {
            let mode = std::fs::metadata(dir.path().join(&path))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o666 & !umask);
        }
    }
    let post = read_post(dir.path(), &path);
    assert_eq!(
        post.data.title.as_deref(),
        Some("IntercoTOUR, un baromètre des usages du numérique en collectivités")
    );
    assert_eq!(post.data.tags, ["evenement", "collectivites"]);
    assert_eq!(post.data.categories, ["good_job"]);
    assert_eq!(
        post.data.date.unwrap().to_rfc3339(),
        "2024-05-01T12:00:00+02:00"
    );
}

const HOSTILE: &[&str] = &[
    "Jekyll: the guide",
    "# not a comment",
    "a #hash and a: colon",
    "[bracketed] start",
    "*starred",
    "&anchor",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "| pipe",
    "> folded",
    "- dash",
    "? question",
    "'single' quotes",
    "\"double\" quotes",
    "back\\slash",
    "yes",
    "No",
    "on",
    "OFF",
    "null",
    "~",
    "true",
    "2017-06-22",
    "1:20",
    "0x1F",
    "3.14",
    "1e5",
    "012",
    "---",
    "...",
    "<!--more-->",
    "{{ title }} and {% raw %}",
    "Ünïcödé àccents, ß, œ",
    "שלום עולם, مرحبا بالعالم",
    "\u{202e}reversed\u{202c} text",
    "emoji 😀🎉 in the middle 👩‍👩‍👧",
    "🎉",
    " leading and trailing spaces ",
    "non\u{a0}breaking\u{a0}: space",
    "line\u{2028}separator",
];

#[test]
fn hostile_titles_read_back_exactly_and_lint_clean() {
    let dir = site(CONFIG);
    let long = "Une très longue histoire ".repeat(12);
    let mut titles: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    titles.push(long.trim().to_string());
    for (i, title) in titles.iter().enumerate() {
        let slug = format!("hostile-{i}");
        let (tags, category) = (format!("--tags={title}"), format!("--category={title}"));
        let path = new(
            dir.path(),
            &["--slug", &slug, &tags, &category, "--", title],
        );
        let post = read_post(dir.path(), &path);
        assert!(post.is_valid(), "{title:?}: {}", post.text);
        assert_eq!(
            post.data.title.as_deref(),
            Some(title.as_str()),
            "{}",
            post.text
        );
        let tags: Vec<&str> = title
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(post.data.tags, tags, "{}", post.text);
        assert_eq!(post.data.categories, [title.trim()], "{}", post.text);
    }
    let path = new(dir.path(), &[&long]);
    let name = path.rsplit('/').next().unwrap();
    assert!(name.len() <= 100, "{name}");
    assert!(
        name.starts_with("2024-05-01-une-tres-longue-histoire-"),
        "{name}"
    );
    assert_eq!(
        read_post(dir.path(), &path).data.title.as_deref(),
        Some(long.as_str())
    );
    carnet(dir.path())
        .args(["lint", "--format", "short"])
        .assert()
        .success()
        .stdout(predicate::str::contains("error[").not());
}

#[test]
fn titles_without_a_slug_or_on_several_lines_are_usage_errors() {
    let dir = site(CONFIG);
    carnet(dir.path())
        .args(["new", "?!…"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--slug"));
    carnet(dir.path())
        .args(["new", "two\nlines"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("one line"));
    carnet(dir.path())
        .args(["new", "x", "--slug", "../etc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("lowercase letters"));
    carnet(dir.path())
        .args(["new", "x", "--field", "title=y"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("TITLE"));
    carnet(dir.path())
        .args(["new", "x", "--draft", "--date", "2024-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("publish"));
    carnet(dir.path())
        .args(["new", "x", "--date", "tomorrow"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--date tomorrow"));
    assert_eq!(files(dir.path()), [PathBuf::from("_config.yml")]);
}

#[test]
fn without_a_title_and_without_a_terminal_it_is_a_usage_error() {
    let dir = site(CONFIG);
    carnet(dir.path())
        .arg("new")
        .write_stdin("A title\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no TITLE"));
}

#[test]
fn refuses_to_overwrite_and_leaves_the_original_byte_for_byte() {
    let dir = site(CONFIG);
    let posts = dir.path().join("_posts");
    std::fs::create_dir(&posts).unwrap();
    let original = b"\xef\xbb\xbf---\r\ntitle: Mine\r\n---\r\nkeep me  \r\n";
    std::fs::write(posts.join("2024-05-01-mine.md"), original).unwrap();
    carnet(dir.path())
        .args(["new", "Mine"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "_posts/2024-05-01-mine.md already exists",
        ));
    assert_eq!(
        std::fs::read(posts.join("2024-05-01-mine.md")).unwrap(),
        original
    );
    // The same slug on the same day in another extension would give the same URL.
    carnet(dir.path())
        .args(["new", "Mine", "--ext", "markdown"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "2024-05-01-mine.md already exists with the same slug",
        ));
    assert_eq!(files(dir.path()).len(), 2);
}

#[test]
fn refuses_a_post_whose_url_another_post_has() {
    let dir = site(&format!("{CONFIG}permalink: /:title/\n"));
    let posts = dir.path().join("voyages/_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(posts.join("2019-01-01-hello.md"), "---\ntitle: Old\n---\n").unwrap();
    carnet(dir.path())
        .args(["new", "Hello"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("/hello/")
                .and(predicate::str::contains("2019-01-01-hello.md")),
        );
    assert!(!dir.path().join("_posts").exists());
    new(dir.path(), &["Hello", "--draft"]);
    carnet(dir.path())
        .args(["publish", "_drafts/hello.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "URL /hello/ is already the URL of voyages/_posts/2019-01-01-hello.md",
        ));
    assert!(dir.path().join("_drafts/hello.md").is_file());
}

#[test]
fn dry_run_prints_the_post_and_writes_nothing() {
    let dir = site(CONFIG);
    let output = stdout_of(carnet(dir.path()).args([
        "new",
        "Yes: a dry run",
        "--dry-run",
        "--layout",
        "article",
        "--tags",
        "a,b",
        "--tags",
        "c d",
        "--category",
        "x",
        "--category",
        "y",
        "--field",
        "published=false",
        "--field",
        "rating=4.5",
        "--field",
        "image=",
        "--field",
        "author=on",
        "--date",
        "2024-06-01 09:30",
    ]));
    insta::assert_snapshot!("dry_run", output);
    assert_eq!(files(dir.path()), [PathBuf::from("_config.yml")]);
}

#[test]
fn drafts_extensions_and_layout_defaults() {
    let dir = site(&format!(
        "{CONFIG}defaults:\n  - scope: {{path: \"\", type: posts}}\n    values: {{layout: article, excerpt_separator: <!--cut-->}}\n"
    ));
    std::fs::write(
        dir.path().join("carnet.toml"),
        "[new]\next = \"markdown\"\n",
    )
    .unwrap();
    let path = new(dir.path(), &["A draft", "--draft"]);
    assert_eq!(path, "_drafts/a-draft.markdown");
    let text = std::fs::read_to_string(dir.path().join(&path)).unwrap();
    assert_eq!(text, "---\ntitle: A draft\ntags: []\n---\n\n<!--cut-->\n");
    let path = new(dir.path(), &["A post", "--ext", "md", "--layout", "wide"]);
    assert_eq!(path, "_posts/2024-05-01-a-post.md");
    assert!(std::fs::read_to_string(dir.path().join(&path))
        .unwrap()
        .starts_with("---\nlayout: wide\ntitle: A post\n"));
}

#[test]
fn outside_a_site_it_explains_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    carnet(dir.path())
        .args(["new", "Lost"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--site DIR").and(predicate::str::contains("carnet init")),
        );
    assert!(files(dir.path()).is_empty());
    let blog = site(CONFIG);
    let path = stdout_of(
        carnet(dir.path())
            .args(["new", "Found"])
            .arg("--site")
            .arg(blog.path()),
    );
    assert!(
        path.trim_end().ends_with("_posts/2024-05-01-found.md"),
        "{path}"
    );
    assert!(blog.path().join("_posts/2024-05-01-found.md").is_file());
}

#[test]
fn lint_errors_are_refused_and_required_fields_written_empty() {
    let dir = site(CONFIG);
    std::fs::write(
        dir.path().join("carnet.toml"),
        "[lint]\nrequired = [\"title\", \"description\"]\n[lint.fields.layout]\nallowed = [\"post\"]\n[lint.fields.rating]\ntype = \"number\"\n",
    )
    .unwrap();
    carnet(dir.path())
        .args(["new", "Typo", "--layout", "psot"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("error[field-value]").and(predicate::str::contains("psot")),
        );
    carnet(dir.path())
        .args(["new", "Typo", "--field", "rating=high"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[field-type]"));
    assert!(!dir.path().join("_posts").exists());
    let path = new(dir.path(), &["Fine", "--field", "rating=4"]);
    let text = std::fs::read_to_string(dir.path().join(&path)).unwrap();
    assert!(text.contains("rating: 4\ndescription:\n---\n"), "{text}");
}

#[test]
fn draft_publish_unpublish_round_trip() {
    let dir = site(CONFIG);
    let draft = new(
        dir.path(),
        &["Un brouillon: à finir", "--draft", "--tags", "a"],
    );
    assert_eq!(draft, "_drafts/un-brouillon-a-finir.md");
    let original = std::fs::read(dir.path().join(&draft)).unwrap();
    let post = stdout_of(carnet(dir.path()).args(["publish", &draft, "--date", "2024-06-02"]));
    assert_eq!(post, "_posts/2024-06-02-un-brouillon-a-finir.md\n");
    assert!(!dir.path().join(&draft).exists());
    let text = std::fs::read_to_string(dir.path().join(post.trim_end())).unwrap();
    assert_eq!(
        text,
        "---\nlayout: post\ntitle: \"Un brouillon: à finir\"\ndate: 2024-06-02 00:00:00 +0200\ntags: [a]\n---\n\n<!--more-->\n"
    );
    carnet(dir.path()).args(["lint"]).assert().success();
    let back = stdout_of(carnet(dir.path()).args(["unpublish", post.trim_end()]));
    assert_eq!(back, "_drafts/un-brouillon-a-finir.md\n");
    assert_eq!(std::fs::read(dir.path().join(&draft)).unwrap(), original);
    assert!(!dir
        .path()
        .join("_posts/2024-06-02-un-brouillon-a-finir.md")
        .exists());
    // A bare name finds the draft; the date defaults to now.
    let post = stdout_of(carnet(dir.path()).args(["publish", "un-brouillon-a-finir"]));
    assert_eq!(post, "_posts/2024-05-01-un-brouillon-a-finir.md\n");
}

#[test]
fn publish_keeps_every_other_byte() {
    let dir = site(CONFIG);
    let drafts = dir.path().join("voyages/_drafts");
    std::fs::create_dir_all(&drafts).unwrap();
    let text = "\u{feff}---\r\n# a comment\r\ntitle: 'Kept: as is'   \r\ndate: 2020-01-01\r\nzz: last\r\n---\r\nBody without final newline  ";
    std::fs::write(drafts.join("Odd Name.md"), text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            drafts.join("Odd Name.md"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
    }
    let post = stdout_of(carnet(dir.path()).args([
        "publish",
        "voyages/_drafts/Odd Name.md",
        "--date",
        "2024-06-02T08:00:00Z",
    ]));
    assert_eq!(post, "voyages/_posts/2024-06-02-Odd Name.md\n");
    let published = std::fs::read_to_string(dir.path().join(post.trim_end())).unwrap();
    assert_eq!(
        published,
        text.replace("date: 2020-01-01", "date: 2024-06-02 10:00:00 +0200")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(post.trim_end()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let draft = stdout_of(carnet(dir.path()).args(["unpublish", post.trim_end()]));
    assert_eq!(draft, "voyages/_drafts/Odd Name.md\n");
    let unpublished = std::fs::read_to_string(dir.path().join(draft.trim_end())).unwrap();
    assert_eq!(unpublished, text.replace("date: 2020-01-01\r\n", ""));
}

#[test]
fn publish_and_unpublish_refuse_to_overwrite_or_to_leave_the_site() {
    let dir = site(CONFIG);
    std::fs::create_dir_all(dir.path().join("_drafts")).unwrap();
    std::fs::create_dir_all(dir.path().join("_posts")).unwrap();
    std::fs::write(
        dir.path().join("_drafts/a.md"),
        "---\ntitle: A\n---\ndraft\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("_drafts/b.md"), "no front matter\n").unwrap();
    std::fs::write(
        dir.path().join("_posts/2024-05-01-a.markdown"),
        "---\ntitle: A\n---\npost\n",
    )
    .unwrap();
    carnet(dir.path())
        .args(["publish", "_drafts/a.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "2024-05-01-a.markdown already exists",
        ));
    carnet(dir.path())
        .args(["unpublish", "_posts/2024-05-01-a.markdown"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("_drafts/a.md already exists"));
    carnet(dir.path())
        .args(["publish", "_drafts/b.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no front matter"));
    carnet(dir.path())
        .args(["publish", "_posts/2024-05-01-a.markdown"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a draft"));
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(outside.path().join("_drafts")).unwrap();
    std::fs::write(outside.path().join("_drafts/x.md"), "---\ntitle: X\n---\n").unwrap();
    carnet(dir.path())
        .arg("publish")
        .arg(outside.path().join("_drafts/x.md"))
        .arg("--site")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside the site"));
    carnet(dir.path())
        .args(["publish", "_drafts/../../x.md"])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_drafts/a.md")).unwrap(),
        "---\ntitle: A\n---\ndraft\n"
    );
    assert_eq!(files(dir.path()).len(), 4);
}

#[test]
fn templates_fill_in_yaml_safe_values() {
    let dir = site(CONFIG);
    // The template's include must exist: a missing one stops Jekyll, so lint refuses the post.
    common::write(dir.path(), "_includes/note.html", "<aside>Note</aside>\n");
    std::fs::create_dir(dir.path().join("_templates")).unwrap();
    std::fs::write(
        dir.path().join("_templates/note.md"),
        "---\nlayout: {{ layout }}\ntitle: \"{{ title }}\"\ndate: {{ date }}\nsummary: About {{ title }} # shown on the index\ntags: {{ tags }}\nimage: /assets/{{ slug }}.png\n---\n\n# {{ title }}\n\n![]({{ site.baseurl }}/assets/{{ slug }}.png)\n{% include note.html %}\n",
    )
    .unwrap();
    let path = new(
        dir.path(),
        &[
            "Note: \"quoted\" # 1",
            "--template",
            "note",
            "--tags",
            "yes,a b",
            "--field",
            "author=Camille",
        ],
    );
    assert_eq!(path, "_posts/2024-05-01-note-quoted-1.md");
    // The image the template points at, so that the site-wide link check finds it.
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/note-quoted-1.png"), b"").unwrap();
    let text = std::fs::read_to_string(dir.path().join(&path)).unwrap();
    insta::assert_snapshot!("template", text);
    let post = read_post(dir.path(), &path);
    assert_eq!(post.data.title.as_deref(), Some("Note: \"quoted\" # 1"));
    assert_eq!(
        post.data.fields["summary"].as_str(),
        Some("About Note: \"quoted\" # 1")
    );
    assert_eq!(post.data.tags, ["yes", "a b"]);
    // The default template comes from carnet.toml; a template without front matter gets the built-in one.
    std::fs::write(
        dir.path().join("_templates/plain.md"),
        "Hello {{ title }}.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("carnet.toml"),
        "[new]\ntemplate = \"plain\"\n",
    )
    .unwrap();
    let path = new(dir.path(), &["Plain", "--draft"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&path)).unwrap(),
        "---\nlayout: post\ntitle: Plain\ntags: []\n---\nHello Plain.\n"
    );
    // A template without a title gets one; one whose YAML breaks says where.
    std::fs::write(
        dir.path().join("_templates/bare.md"),
        "---\nlayout: page\n---\nText\n",
    )
    .unwrap();
    let path = new(
        dir.path(),
        &["Bare: yes", "--template", "bare", "--category", "a"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&path)).unwrap(),
        "---\nlayout: page\ntitle: \"Bare: yes\"\ndate: 2024-05-01 12:00:00 +0200\ncategory: a\n---\nText\n"
    );
    std::fs::write(
        dir.path().join("_templates/broken.md"),
        "---\ntitle: {{ title }}\nx: [\n---\n",
    )
    .unwrap();
    carnet(dir.path())
        .args(["new", "x", "--template", "broken"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "_templates/broken.md: once filled in, line 3: front matter: invalid YAML",
        ));
    carnet(dir.path())
        .args(["new", "x", "--template", "../_config"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("template name"));
    carnet(dir.path())
        .args(["new", "x", "--template", "missing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "available: bare, broken, note, plain",
        ));
    carnet(dir.path())
        .args(["lint", "--format", "short"])
        .assert()
        .success()
        .stdout(predicate::str::contains("error[").not());
}

#[cfg(unix)]
#[test]
fn templates_cannot_be_links_out_of_the_site() {
    let dir = site(CONFIG);
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(
        secret.path().join("secret.md"),
        "---\ntitle: secret\n---\nsecret\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("_templates")).unwrap();
    std::os::unix::fs::symlink(
        secret.path().join("secret.md"),
        dir.path().join("_templates/leak.md"),
    )
    .unwrap();
    carnet(dir.path())
        .args(["new", "x", "--template", "leak", "--dry-run"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("inside _templates"));
}

#[test]
fn edit_opens_the_editor_and_reports_its_failures() {
    let dir = site(CONFIG);
    carnet(dir.path())
        .args(["new", "Edited", "--edit"])
        .env("VISUAL", "cat")
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("_posts/2024-05-01-edited.md\n---\ntitle: Edited\n").or(
                predicate::str::starts_with(
                    "_posts/2024-05-01-edited.md\n---\nlayout: post\ntitle: Edited\n",
                ),
            ),
        );
    carnet(dir.path())
        .args(["new", "Failed", "--edit"])
        .env("EDITOR", "false")
        .assert()
        .code(2)
        .stdout("_posts/2024-05-01-failed.md\n")
        .stderr(predicate::str::contains("exited"));
    carnet(dir.path())
        .args(["new", "Missing", "--edit"])
        .env("VISUAL", "carnet-no-such-editor")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "could not start the editor `carnet-no-such-editor`",
        ));
}

#[test]
fn concurrent_runs_with_the_same_title_have_one_winner() {
    let dir = site(CONFIG);
    let bin = assert_cmd::cargo::cargo_bin("carnet");
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(&bin)
                .current_dir(dir.path())
                .args(["--now", NOW, "new", "Same title", "--tags", "race"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| *c == 0 || *c == 1), "{codes:?}");
    assert_eq!(
        files(dir.path()),
        [
            PathBuf::from("_config.yml"),
            PathBuf::from("_posts/2024-05-01-same-title.md")
        ]
    );
}

#[test]
fn init_creates_a_site_that_lints_clean_and_never_twice() {
    let parent = tempfile::tempdir().unwrap();
    let out = stdout_of(
        carnet(parent.path())
            .args(["init", "blog"])
            .env("TZ", "America/Toronto"),
    );
    assert_eq!(
        out,
        "blog/_config.yml\nblog/.gitignore\nblog/_posts/2024-05-01-welcome.md\n"
    );
    let blog = parent.path().join("blog");
    let config = std::fs::read_to_string(blog.join("_config.yml")).unwrap();
    assert_eq!(
        config,
        "title: blog\nlang: en\nexcerpt_separator: <!--more-->\ntimezone: America/Toronto\n"
    );
    assert!(std::fs::read_to_string(blog.join(".gitignore"))
        .unwrap()
        .contains("_site/"));
    let post = read_post(&blog, "_posts/2024-05-01-welcome.md");
    assert_eq!(
        post.data.date.unwrap().to_rfc3339(),
        "2024-05-01T06:00:00-04:00"
    );
    assert!(post.excerpt_end().is_some());
    carnet(&blog)
        .args(["lint", "--deny-warnings"])
        .assert()
        .success();
    std::fs::write(blog.join("_config.yml"), "title: mine\n").unwrap();
    carnet(parent.path())
        .args(["init", "blog"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(blog.join("_config.yml")).unwrap(),
        "title: mine\n"
    );
    let new_post = new(&blog, &["Second"]);
    assert_eq!(new_post, "_posts/2024-05-01-second.md");
}
