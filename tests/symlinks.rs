//! Symbolic links around a site: carnet follows them for writing only while they stay inside the
//! site (compared as resolved paths, so that a site reached through a link still works), and
//! never follows those under an export's output folder.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

mod common;

const NOW: &str = "2024-06-01T12:00:00+02:00";
const CONFIG: &str = "title: Test\ntimezone: Europe/Paris\n";

/// A post with one fixable finding (a reversed link), and the same post fixed.
const REVERSED: &str = "---\ntitle: Reversed\n---\n\nSee (the docs)[https://example.org].\n";
const REPAIRED: &str = "---\ntitle: Reversed\n---\n\nSee [the docs](https://example.org).\n";

/// A temporary folder holding `real/` (the site), `site` (a link to it) and `outside/`.
struct Layout {
    temp: TempDir,
}

impl Layout {
    fn new() -> Layout {
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(temp.path().join("real")).unwrap();
        std::fs::create_dir_all(temp.path().join("outside")).unwrap();
        std::fs::write(temp.path().join("real/_config.yml"), CONFIG).unwrap();
        symlink("real", temp.path().join("site")).unwrap();
        Layout { temp }
    }

    /// The site as reached through the link.
    fn site(&self) -> PathBuf {
        self.temp.path().join("site")
    }

    fn outside(&self) -> PathBuf {
        self.temp.path().join("outside")
    }

    /// Writes `text` at `rel` under the site, creating folders.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        common::write(&self.site(), rel, text)
    }

    /// `carnet --site SITE`, run in the site, with a fixed clock.
    fn carnet(&self) -> Command {
        let mut cmd = common::carnet();
        cmd.current_dir(self.site())
            .arg("--site")
            .arg(self.site())
            .args(["--now", NOW, "--color", "never"]);
        cmd
    }

    /// Every file and link under `outside/`, relative, with the files' contents.
    fn outside_tree(&self) -> Vec<(String, String)> {
        tree(&self.outside())
    }
}

fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = path.symlink_metadata().unwrap();
            if meta.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.push((rel, format!("-> {}", target.display())));
            } else if meta.is_dir() {
                out.push((format!("{rel}/"), String::new()));
                stack.push(path);
            } else {
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn lint_fix_writes_through_links_inside_the_site_and_refuses_links_out_of_it() {
    let layout = Layout::new();
    let site = layout.site();
    layout.write("_posts/2020-01-01-plain.md", REVERSED);
    layout.write("notes/kept.md", REVERSED);
    symlink("../notes/kept.md", site.join("_posts/2020-01-02-inside.md")).unwrap();
    std::fs::write(layout.outside().join("secret.md"), REVERSED).unwrap();
    symlink(
        layout.outside().join("secret.md"),
        site.join("_posts/2020-01-03-out.md"),
    )
    .unwrap();
    std::fs::create_dir_all(layout.outside().join("voyages/_posts")).unwrap();
    std::fs::write(
        layout.outside().join("voyages/_posts/2020-01-04-far.md"),
        REVERSED,
    )
    .unwrap();
    symlink(layout.outside().join("voyages"), site.join("voyages")).unwrap();
    let before = layout.outside_tree();

    let posts = [
        "_posts/2020-01-01-plain.md",
        "_posts/2020-01-02-inside.md",
        "_posts/2020-01-03-out.md",
        "voyages/_posts/2020-01-04-far.md",
    ];
    let output = layout
        .carnet()
        .args(["lint", "--fix"])
        .args(posts.map(|p| site.join(p)))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for refused in [
        "_posts/2020-01-03-out.md",
        "voyages/_posts/2020-01-04-far.md",
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(refused))
            .unwrap_or_else(|| panic!("{refused} is not named: {stderr}"));
        assert!(line.starts_with("carnet: error: "), "{line}");
        assert!(line.contains(": cannot fix: resolves to "), "{line}");
        assert!(line.contains("outside the site"), "{line}");
        assert!(line.contains("nothing was written"), "{line}");
    }
    assert!(stderr.contains("Fixed 2 findings in 2 files."), "{stderr}");
    // The findings of the refused posts are still reported.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("2020-01-03-out.md:5:5"), "{stdout}");
    assert!(
        stdout.contains("\n2 files could not be fixed.\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("could not be read"), "{stdout}");

    assert_eq!(layout.outside_tree(), before);
    let real = layout.temp.path().join("real");
    assert_eq!(
        std::fs::read_to_string(real.join("_posts/2020-01-01-plain.md")).unwrap(),
        REPAIRED
    );
    assert_eq!(
        std::fs::read_to_string(real.join("notes/kept.md")).unwrap(),
        REPAIRED
    );
    assert!(real
        .join("_posts/2020-01-02-inside.md")
        .symlink_metadata()
        .unwrap()
        .is_symlink());
}

#[test]
fn new_refuses_a_posts_or_drafts_folder_that_leads_out_of_the_site() {
    let layout = Layout::new();
    let site = layout.site();
    symlink(layout.outside(), site.join("_posts")).unwrap();
    symlink(layout.outside(), site.join("_drafts")).unwrap();
    for extra in [&[][..], &["--dry-run"], &["--draft"]] {
        layout
            .carnet()
            .args(["new", "Escape"])
            .args(extra)
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains("carnet: error: ")
                    .and(predicate::str::contains("outside the site"))
                    .and(predicate::str::contains("nothing was written")),
            );
    }
    assert!(layout.outside_tree().is_empty());

    // A folder linked inside the site is followed, and so is the link to the whole site.
    std::fs::remove_file(site.join("_posts")).unwrap();
    std::fs::create_dir_all(site.join("content/posts")).unwrap();
    symlink("content/posts", site.join("_posts")).unwrap();
    layout
        .carnet()
        .args(["new", "Kept"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("_posts/2024-06-01-kept.md\n"));
    assert!(site.join("content/posts/2024-06-01-kept.md").is_file());
}

#[test]
fn publish_and_unpublish_refuse_folders_and_drafts_that_lead_out_of_the_site() {
    let layout = Layout::new();
    let site = layout.site();
    let draft_text = "---\ntitle: A\n---\ndraft\n";
    let post_text = "---\ntitle: B\ndate: 2020-01-01 10:00:00 +0100\n---\npost\n";
    let draft = layout.write("_drafts/a.md", draft_text);
    std::fs::create_dir_all(layout.outside().join("posts")).unwrap();
    symlink(layout.outside().join("posts"), site.join("_posts")).unwrap();
    std::fs::write(layout.outside().join("secret.md"), draft_text).unwrap();
    symlink(
        layout.outside().join("secret.md"),
        site.join("_drafts/b.md"),
    )
    .unwrap();
    let before = layout.outside_tree();

    let refused = |args: &[&str], why: &str| {
        layout
            .carnet()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(why));
    };
    refused(&["publish", "_drafts/a.md"], "outside the site");
    refused(&["publish", "_drafts/b.md"], "not a draft");
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), draft_text);
    assert_eq!(layout.outside_tree(), before);

    // Now the posts folder is real and the drafts folder leads out.
    std::fs::remove_file(site.join("_posts")).unwrap();
    std::fs::remove_dir_all(site.join("_drafts")).unwrap();
    let post = layout.write("_posts/2020-01-01-b.md", post_text);
    symlink(layout.outside(), site.join("_drafts")).unwrap();
    let before = layout.outside_tree();
    refused(&["unpublish", "_posts/2020-01-01-b.md"], "outside the site");
    assert_eq!(std::fs::read_to_string(&post).unwrap(), post_text);
    assert_eq!(layout.outside_tree(), before);

    // Through the link to the whole site, both work.
    std::fs::remove_file(site.join("_drafts")).unwrap();
    layout
        .carnet()
        .arg("unpublish")
        .arg(&post)
        .assert()
        .success();
    layout
        .carnet()
        .args(["publish", "_drafts/b.md", "--date", "2020-01-02"])
        .assert()
        .success();
    assert!(site.join("_posts/2020-01-02-b.md").is_file());
}

#[test]
fn export_never_follows_links_under_its_output() {
    let layout = Layout::new();
    layout.write("_posts/2020-01-01-a.md", "---\ntitle: A\n---\nHello.\n");
    let out = layout.temp.path().join("public");
    let export = || {
        layout
            .carnet()
            .args(["export", "--format", "html", "-o"])
            .arg(&out)
            .assert()
    };
    export().success();
    // Someone leaves links in the exported folder: to a folder and to a file outside.
    std::fs::write(layout.outside().join("feed.xml"), "mine").unwrap();
    std::fs::create_dir(layout.outside().join("keep")).unwrap();
    std::fs::write(layout.outside().join("keep/file.txt"), "mine").unwrap();
    std::fs::remove_file(out.join("feed.xml")).unwrap();
    symlink(layout.outside().join("feed.xml"), out.join("feed.xml")).unwrap();
    symlink(layout.outside().join("keep"), out.join("tags")).unwrap();
    symlink(layout.outside().join("keep"), out.join("page")).unwrap();
    let before = layout.outside_tree();
    export().success();
    assert_eq!(layout.outside_tree(), before);
    for rel in ["feed.xml", "page", "tags"] {
        assert!(
            !out.join(rel)
                .symlink_metadata()
                .is_ok_and(|m| m.is_symlink()),
            "{rel} is still a link"
        );
    }
    assert!(std::fs::read_to_string(out.join("feed.xml"))
        .unwrap()
        .contains("<feed"));

    // A JSON file given as a link is replaced by the export; what it pointed to is left alone.
    let json = layout.temp.path().join("posts.json");
    symlink(layout.outside().join("feed.xml"), &json).unwrap();
    layout
        .carnet()
        .args(["export", "--format", "json", "-o"])
        .arg(&json)
        .assert()
        .success();
    assert_eq!(layout.outside_tree(), before);
    assert!(!json.symlink_metadata().unwrap().is_symlink());

    // An output folder reached through a link to its parent is fine.
    symlink(layout.temp.path(), layout.outside().join("up")).unwrap();
    layout
        .carnet()
        .args(["export", "--format", "html", "-o"])
        .arg(layout.outside().join("up/public"))
        .assert()
        .success();
    assert!(out.join("index.html").is_file());
}

#[test]
fn the_facts_cache_is_not_written_through_a_link_out_of_the_site() {
    let layout = Layout::new();
    let a = layout.write("_posts/2020-01-01-a.md", "---\ntitle: A\n---\n\nA.\n");
    let b = layout.write("_posts/2020-01-02-b.md", "---\ntitle: B\n---\n\nB.\n");
    for post in [&a, &b] {
        let file = std::fs::File::options().write(true).open(post).unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        file.set_modified(hour_ago).unwrap();
    }
    symlink(layout.outside(), layout.site().join(".carnet-cache")).unwrap();
    layout
        .carnet()
        .env_remove("CARNET_NO_CACHE")
        .args(["lint", "_posts/2020-01-01-a.md"])
        .assert()
        .code(0);
    assert_eq!(layout.outside_tree(), Vec::new());

    // Through a plain folder, the same run fills the cache.
    std::fs::remove_file(layout.site().join(".carnet-cache")).unwrap();
    layout
        .carnet()
        .env_remove("CARNET_NO_CACHE")
        .args(["lint", "_posts/2020-01-01-a.md"])
        .assert()
        .code(0);
    assert!(layout.site().join(".carnet-cache/facts-v5.bin").is_file());
}
