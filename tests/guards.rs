//! Where carnet must not read or write: the site's sources as an export's output, devices and
//! FIFOs replaced by a rename, folders `--force` must never replace, what a user keeps in an
//! output folder, read-only posts, files an include names outside the site.

#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

mod common;

const NOW: &str = "2024-06-01T12:00:00+02:00";
const POST: &str = "_posts/2020-01-01-a.md";
const POST_TEXT: &str = "---\ntitle: A\n---\nHello.\n";

/// A site with one post, a collection, a page, assets and the usual hidden folders.
fn site() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in [
        (
            "_config.yml",
            "title: T\ntimezone: Europe/Paris\ncollections: [recipes]\n",
        ),
        (POST, POST_TEXT),
        ("_drafts/d.md", "---\ntitle: D\n---\nDraft.\n"),
        ("_recipes/soup.md", "---\ntitle: Soup\n---\nSoup.\n"),
        ("_templates/post.md", "---\ntitle: {{ title }}\n---\n"),
        ("_layouts/default.html", "{{ content }}\n"),
        ("_includes/x.html", "x\n"),
        ("_data/nav.yml", "- a\n"),
        ("about/index.md", "---\ntitle: About\n---\nMe.\n"),
        ("assets/style.css", "body {}\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        (
            ".carnet-cache/CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55\n",
        ),
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("carnet.toml", "[lint]\n"),
    ] {
        write(dir.path(), rel, text);
    }
    dir
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    common::write(root, rel, text)
}

fn carnet(site: &Path) -> Command {
    let mut cmd = common::carnet();
    cmd.current_dir(site)
        .arg("--site")
        .arg(site)
        .args(["--now", NOW, "--color", "never"]);
    cmd
}

/// Every file under `dir` (links not followed), relative, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string();
                out.push((rel, std::fs::read(entry.path()).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn export_to_a_file_refuses_the_site_s_sources() {
    let dir = site();
    let before = tree(dir.path());
    for format in ["json", "jsonfeed"] {
        for target in [
            POST,
            "_config.yml",
            "_drafts/d.md",
            "_recipes/soup.md",
            "_layouts/default.html",
            "_includes/x.html",
            "_data/nav.json",
            "carnet.toml",
            "about/index.md",
            "about/index.md/x.json",
            "_posts/2020-01-01-a.md/x.json",
            ".git/config",
            ".github/workflows/ci.yml",
        ] {
            let out = carnet(dir.path())
                .args(["export", "--format", format, "-o", target])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{format} -o {target}: {stderr}");
            assert!(stderr.contains("refusing to write there"), "{stderr}");
        }
    }
    assert_eq!(tree(dir.path()), before);
    std::fs::create_dir(dir.path().join("_site")).unwrap();
    carnet(dir.path())
        .args(["export", "-o", "_site/posts.json"])
        .assert()
        .success();
    carnet(dir.path())
        .args(["export", "--format", "jsonfeed", "-o", "feed.json"])
        .assert()
        .success();
    // A JSON file exported before is an output, not a source: it may be written again.
    carnet(dir.path())
        .args(["export", "--format", "jsonfeed", "-o", "feed.json"])
        .assert()
        .success();
}

#[test]
fn devices_and_fifos_are_written_through_and_dash_is_stdout() {
    let dir = site();
    let null = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    carnet(dir.path())
        .args(["export", "-o"])
        .arg(&null)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&null).unwrap().is_symlink());
    // Run as root, the rename used to turn /dev/null itself into a regular file.
    carnet(dir.path())
        .args(["export", "-o", "/dev/null"])
        .assert()
        .success();
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device_like());

    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    carnet(dir.path())
        .args(["export", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    let read = reader.join().unwrap();
    assert!(read.starts_with(b"{"), "{}", String::from_utf8_lossy(&read));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo_like());

    let out = carnet(dir.path())
        .args(["export", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"{"));
    assert!(!dir.path().join("-").exists());

    // `man --out DIR` writes through a page that is a link to a device too.
    let man = dir.path().join("man");
    std::fs::create_dir(&man).unwrap();
    std::os::unix::fs::symlink("/dev/null", man.join("carnet.1")).unwrap();
    carnet(dir.path())
        .args(["man", "--out"])
        .arg(&man)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(man.join("carnet.1"))
        .unwrap()
        .is_symlink());
}

/// File types by name, so the assertions above read as sentences.
trait FileTypeLike {
    fn is_char_device_like(&self) -> bool;
    fn is_fifo_like(&self) -> bool;
}

impl FileTypeLike for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_char_device(self)
    }
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

#[test]
fn force_never_replaces_the_site_its_sources_or_vcs_and_home_folders() {
    let dir = site();
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "notes.txt", "mine");
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "repo/.git/HEAD", "ref\n");
    write(elsewhere.path(), "other-blog/_config.yml", "title: other\n");
    let before = tree(dir.path());
    let home_before = tree(home.path());
    let elsewhere_before = tree(elsewhere.path());
    let targets: Vec<PathBuf> = [
        ".git",
        "_templates",
        "_recipes",
        "_drafts",
        "about",
        "assets",
        ".github",
        ".carnet-cache",
        ".",
    ]
    .iter()
    .map(|rel| dir.path().join(rel))
    .chain([
        home.path().to_path_buf(),
        elsewhere.path().join("repo/.git"),
        elsewhere.path().join("other-blog"),
    ])
    .collect();
    for target in targets {
        let out = carnet(dir.path())
            .env("HOME", home.path())
            .args(["export", "--format", "html", "--force", "-o"])
            .arg(&target)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", target.display());
        assert!(stderr.contains("refusing"), "{stderr}");
    }
    assert_eq!(tree(dir.path()), before);
    assert_eq!(tree(home.path()), home_before);
    assert_eq!(tree(elsewhere.path()), elsewhere_before);
    // An output folder of its own is still replaced with --force.
    write(elsewhere.path(), "public/old.html", "old");
    carnet(dir.path())
        .env("HOME", home.path())
        .args(["export", "--format", "html", "--force", "-o"])
        .arg(elsewhere.path().join("public"))
        .assert()
        .success();
    assert!(!elsewhere.path().join("public/old.html").exists());
}

#[test]
fn a_second_export_keeps_vcs_folders_and_keep_files_and_says_what_it_removed() {
    let dir = site();
    write(
        dir.path(),
        "_config.yml",
        "title: T\ntimezone: Europe/Paris\nkeep_files: [CNAME, extra/notes.txt]\n",
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let export = || {
        carnet(dir.path())
            .args(["export", "--format", "html", "-o"])
            .arg(&public)
            .output()
            .unwrap()
    };
    assert!(export().status.success());
    write(&public, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    write(&public, ".svn/entries", "12\n");
    write(&public, "CNAME", "blog.example.org\n");
    write(&public, "extra/notes.txt", "mine\n");
    write(&public, "stray.txt", "not kept\n");
    let second = export();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    for (rel, text) in [
        (".git/HEAD", "ref: refs/heads/gh-pages\n"),
        (".svn/entries", "12\n"),
        ("CNAME", "blog.example.org\n"),
        ("extra/notes.txt", "mine\n"),
    ] {
        assert_eq!(
            std::fs::read_to_string(public.join(rel)).unwrap(),
            text,
            "{rel}"
        );
    }
    assert!(!public.join("stray.txt").exists());
    assert!(public.join("index.html").is_file());
    assert!(
        stderr.contains("kept from the previous export: .git, .svn, CNAME, extra/notes.txt"),
        "{stderr}"
    );
    assert!(
        stderr.contains("removed 1 file of the previous export"),
        "{stderr}"
    );
    assert!(stderr.contains("stray.txt"), "{stderr}");
    let beside: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"]);
}

#[test]
fn an_export_removes_only_its_own_temporary_folders() {
    let dir = site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let mine = write(out.path(), ".public.carnet-tmp-backup/notes.txt", "mine");
    carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&public)
        .assert()
        .success();
    carnet(dir.path())
        .args(["export", "--format", "html", "-o"])
        .arg(&public)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(mine).unwrap(), "mine");
}

#[test]
fn fix_refuses_read_only_posts_and_keeps_owner_and_mode() {
    let dir = site();
    let reversed = "---\ntitle: R\n---\n\nSee (the docs)[https://example.org].\n";
    let read_only = write(dir.path(), "_posts/2020-01-02-r.md", reversed);
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    let owned = write(dir.path(), "_posts/2020-01-03-o.md", reversed);
    std::fs::set_permissions(&owned, std::fs::Permissions::from_mode(0o640)).unwrap();
    // Only root can give a file to someone else: elsewhere the owner is the runner anyway.
    let other_owner = std::os::unix::fs::chown(&owned, Some(4321), Some(4321)).is_ok();
    let out = carnet(dir.path()).args(["lint", "--fix"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("\n1 file could not be fixed.\n"),
        "{stdout}{stderr}"
    );
    assert!(
        stderr.contains("2020-01-02-r.md: cannot fix: ") && stderr.contains("read-only (mode 444)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), reversed);
    let meta = std::fs::metadata(&read_only).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o444);
    assert!(std::fs::read_to_string(&owned)
        .unwrap()
        .contains("[the docs](https://example.org)"));
    let meta = std::fs::metadata(&owned).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    if other_owner {
        assert_eq!((meta.uid(), meta.gid()), (4321, 4321));
    }
}

#[test]
fn includes_outside_their_folder_or_not_regular_files_are_refused_at_the_tag() {
    let dir = site();
    let root = dir.path();
    write(root, "_includes/links.md", "[shared]: /shared\n");
    std::os::unix::fs::symlink("/dev/zero", root.join("_includes/zero.md")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", root.join("_includes/stdin.md")).unwrap();
    for fifo in ["_includes/pipe.md", "_posts/pipe.md"] {
        assert!(std::process::Command::new("mkfifo")
            .arg(root.join(fifo))
            .status()
            .unwrap()
            .success());
    }
    write(
        root,
        "_posts/2020-02-01-inc.md",
        "---\ntitle: Inc\n---\n\n[a][shared] and [b][other]\n\n\
         {% include links.md %}\n\
         {% include_relative ../../../../dev/zero %}\n\
         {% include zero.md %}\n\
         {% include stdin.md %}\n\
         {% include pipe.md %}\n\
         {% include_relative pipe.md %}\n\
         {% include /dev/zero %}\n\
         {% include ../_config.yml %}\n",
    );
    let out = carnet(root)
        .args(["lint", "--format", "short", "_posts/2020-02-01-inc.md"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let found: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("error[unsafe-include]"))
        .collect();
    let at = |line: usize, what: &str| {
        found
            .iter()
            .any(|l| l.contains(&format!(":{line}:1: ")) && l.contains(what))
    };
    assert!(
        at(
            8,
            "`../../../../dev/zero` is not a valid include_relative name"
        ),
        "{stdout}"
    );
    assert!(at(9, "`zero.md` leads outside `_includes/`"), "{stdout}");
    // `/dev/stdin` leads to the terminal or a pipe: outside, or nothing a path can name.
    assert!(at(10, "`stdin.md`"), "{stdout}");
    assert!(at(11, "`pipe.md` is not a regular file"), "{stdout}");
    assert!(at(12, "`pipe.md` is not a regular file"), "{stdout}");
    assert!(
        at(14, "`../_config.yml` is not a valid include name"),
        "{stdout}"
    );
    assert_eq!(found.len(), 6, "{stdout}");
}

#[test]
fn posts_and_includes_over_the_size_cap_are_not_read() {
    let dir = site();
    let root = dir.path();
    let big = |rel: &str| {
        let path = write(root, rel, "---\ntitle: Big\n---\n");
        // Sparse: the size is what counts, not a byte is written.
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_len(65 << 20)
            .unwrap();
    };
    big("_includes/big.md");
    big("_posts/2020-03-01-big.md");
    write(
        root,
        "_posts/2020-03-02-inc.md",
        "---\ntitle: Inc\n---\n\n[a][b]\n\n{% include big.md %}\n",
    );
    let out = carnet(root)
        .args([
            "lint",
            "--format",
            "short",
            "_posts/2020-03-02-inc.md",
            "_posts/2020-03-01-big.md",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "2020-03-02-inc.md:7:1: error[unsafe-include] `big.md` is larger than 64 MiB"
        ),
        "{stdout}"
    );
    assert!(
        stderr.contains("2020-03-01-big.md") && stderr.contains("larger than 64 MiB"),
        "{stderr}"
    );
}
