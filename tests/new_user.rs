//! What a new user meets first, through the binary: `init` in their language, titles and YAML
//! mistakes, `list`, `lint`, `export`, `man`, messages and the README's first steps.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

mod common;

const NOW: &str = "2024-05-02T09:00:00+02:00";
const ESC: &str = "\u{1b}[";

/// `carnet --now NOW --color never` run from `dir`, with no colour or editor from the environment.
fn carnet(dir: &Path) -> Command {
    let mut cmd = common::carnet();
    cmd.current_dir(dir)
        .env("TZ", "Europe/Paris")
        .args(["--now", NOW])
        .write_stdin("");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    carnet(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A temporary site: `_config.yml` holds `config`, and these files.
fn site(config: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    common::site_with_config(config, files)
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

mod init {
    use super::*;

    #[test]
    fn a_french_site_is_clean_and_exports_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let init = run(dir.path(), &["init", "mon-carnet", "--lang", "fr"]);
        assert!(init.status.success(), "{}", stderr(&init));
        let blog = dir.path().join("mon-carnet");
        let config = std::fs::read_to_string(blog.join("_config.yml")).unwrap();
        assert!(config.contains("\nlang: fr\n"), "{config}");

        let doctor = run(&blog, &["doctor"]);
        assert_eq!(doctor.status.code(), Some(0), "{}", stdout(&doctor));
        assert!(stdout(&doctor).contains("note     _config.yml: no `url` yet"));

        let out = dir.path().join("public");
        let export = carnet(&blog)
            .args(["-q", "export", "--format", "html", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(export.status.success(), "{}", stderr(&export));
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(index.contains("<html lang=\"fr\">"));
        assert!(index.contains("2 mai 2024"), "{index}");
        assert!(index.contains("Lire la suite"));
    }

    #[test]
    fn prints_every_file_it_creates_the_same_way() {
        let dir = tempfile::tempdir().unwrap();
        let init = run(dir.path(), &["init"]);
        assert_eq!(
            stdout(&init),
            "_config.yml\n.gitignore\n_posts/2024-05-02-welcome.md\n"
        );
        let config = std::fs::read_to_string(dir.path().join("_config.yml")).unwrap();
        assert!(config.contains("\nlang: en\n"), "{config}");
    }

    #[test]
    fn refuses_a_language_export_cannot_write_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let init = run(dir.path(), &["init", "blog", "--lang", "francais"]);
        assert_eq!(init.status.code(), Some(2));
        assert!(stderr(&init).contains("en, fr, de, es, it, pt, nl"));
        assert!(!dir.path().join("blog").exists());
        let init = run(dir.path(), &["init", "blog", "--lang", "pt-BR"]);
        assert!(init.status.success(), "{}", stderr(&init));
    }
}

mod new {
    use super::*;

    fn title_of(dir: &Path, path: &str) -> String {
        let list = run(dir, &["list", "--all", "--format", "json"]);
        let posts: Value = serde_json::from_slice(&list.stdout).unwrap();
        posts
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"] == path)
            .and_then(|p| p["title"].as_str())
            .unwrap_or_else(|| panic!("{path} not listed"))
            .to_string()
    }

    #[test]
    fn titles_may_start_with_a_hyphen() {
        let dir = site("title: t\n", &[]);
        for (title, path) in [
            ("-Brève du matin", "_posts/2024-05-02-breve-du-matin.md"),
            ("- liste", "_posts/2024-05-02-liste.md"),
        ] {
            let new = run(dir.path(), &["new", title]);
            assert!(new.status.success(), "{title}: {}", stderr(&new));
            assert_eq!(stdout(&new), format!("{path}\n"));
            assert_eq!(title_of(dir.path(), path), title);
        }
        let new = run(dir.path(), &["new", "--", "-h"]);
        assert_eq!(stdout(&new), "_posts/2024-05-02-h.md\n", "{}", stderr(&new));
    }

    #[test]
    fn a_failing_editor_says_the_post_is_kept() {
        let dir = site("title: t\n", &[]);
        let new = carnet(dir.path())
            .args(["new", "Gardé", "--edit"])
            .env("EDITOR", "false")
            .output()
            .unwrap();
        assert_eq!(new.status.code(), Some(2));
        assert!(
            stderr(&new).contains("_posts/2024-05-02-garde.md was created and is kept"),
            "{}",
            stderr(&new)
        );
        assert!(dir.path().join("_posts/2024-05-02-garde.md").is_file());
    }
}

mod yaml_hints {
    use super::*;

    #[test]
    fn lint_names_the_usual_causes() {
        let dir = site(
            "title: t\n",
            &[
                (
                    "_posts/2024-01-01-colon.md",
                    b"---\ntitle: R\xc3\xa9union : ordre du jour\n---\nx\n",
                ),
                (
                    "_posts/2024-01-02-tab.md",
                    b"---\ntitle: a\ntags:\n\t- b\n---\nx\n",
                ),
                (
                    "_posts/2024-01-03-bracket.md",
                    b"---\ntitle: a\ntags: [a, b\nlayout: post\nlang: fr\n---\nx\n",
                ),
                (
                    "_posts/2024-01-04-quote.md",
                    b"---\nlayout: post\ntitle: \"abc\nlang: fr\n---\nx\n",
                ),
            ],
        );
        let lint = run(dir.path(), &["lint", "--format", "short"]);
        assert_eq!(lint.status.code(), Some(1));
        let out = stdout(&lint);
        let line = |name: &str| {
            out.lines()
                .find(|l| l.contains(&format!("-{name}.md:")) && l.contains("front-matter-invalid"))
                .unwrap_or_else(|| panic!("{name}: {out}"))
                .to_string()
        };
        assert!(line("colon")
            .ends_with("a value holding `: ` must be quoted: title: \"Réunion : ordre du jour\""));
        assert!(line("tab").contains(":4:1: "), "{}", line("tab"));
        assert!(line("tab").ends_with("YAML does not allow tabs for indentation"));
        // Where the `[` and the quote opened, not where the parser gave up.
        assert!(line("bracket").contains(":3:7: "), "{}", line("bracket"));
        assert!(line("bracket").ends_with("end the list with `]`"));
        assert!(line("quote").contains(":3:8: "), "{}", line("quote"));
    }
}

mod list {
    use super::*;

    #[test]
    fn posts_without_a_usable_date_are_invalid() {
        let post = b"---\ntitle: T\n---\nx\n" as &[u8];
        let dir = site(
            "title: t\n",
            &[
                ("_posts/2017-06-31-impossible.md", post),
                ("_posts/sans-date.md", post),
                ("_posts/2017-06-30-fine.md", post),
            ],
        );
        let list = run(dir.path(), &["list", "--format", "json"]);
        assert!(list.status.success(), "{}", stderr(&list));
        let posts: Value = serde_json::from_slice(&list.stdout).unwrap();
        let status = |path: &str| {
            posts
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["path"] == path)
                .map(|p| p["status"].as_str().unwrap().to_string())
        };
        assert_eq!(
            status("_posts/2017-06-31-impossible.md").as_deref(),
            Some("invalid")
        );
        assert_eq!(status("_posts/sans-date.md").as_deref(), Some("invalid"));
        assert_eq!(
            status("_posts/2017-06-30-fine.md").as_deref(),
            Some("published")
        );
        let err = stderr(&list);
        assert!(
            err.contains("`2017-06-31` in the file name is not a real day"),
            "{err}"
        );
        assert!(
            err.contains("run `carnet lint _posts/sans-date.md`"),
            "{err}"
        );
    }

    #[test]
    fn tag_and_category_filters_fold_accents_as_tags_groups_them() {
        let dir = site(
            "title: t\n",
            &[
                (
                    "_posts/2024-01-01-a.md",
                    "---\ntitle: A\ntags: [Évènement]\ncategory: Vie locale\n---\nx\n".as_bytes(),
                ),
                (
                    "_posts/2024-01-02-b.md",
                    b"---\ntitle: B\ntags: [evenement]\ncategory: vie-locale\n---\nx\n",
                ),
                (
                    "_posts/2024-01-03-c.md",
                    b"---\ntitle: C\ntags: [event]\n---\nx\n",
                ),
            ],
        );
        let paths = |args: &[&str]| {
            stdout(&run(
                dir.path(),
                &[&["list", "--format", "paths", "--sort", "path"], args].concat(),
            ))
        };
        let both = "_posts/2024-01-01-a.md\n_posts/2024-01-02-b.md\n";
        assert_eq!(paths(&["--tag", "évenement"]), both);
        assert_eq!(paths(&["--tag", "EVENEMENT"]), both);
        assert_eq!(paths(&["--category", "vie_locale"]), both);
    }
}

mod lint {
    use super::*;

    #[test]
    fn quiet_hides_the_summary_and_counts_say_checked() {
        let dir = site(
            "title: t\n",
            &[("_posts/2024-01-01-a.md", b"---\ntitle: A\n---\nx\n")],
        );
        let lint = run(dir.path(), &["lint"]);
        assert_eq!(stdout(&lint), "No problems in 1 file checked.\n");
        let lint = run(dir.path(), &["-q", "lint"]);
        assert!(lint.status.success());
        assert_eq!(stdout(&lint), "");
    }

    #[test]
    fn a_missing_file_is_not_called_no_problems() {
        let dir = site("title: t\n", &[]);
        let lint = run(dir.path(), &["lint", "_posts/absent.md"]);
        assert_eq!(lint.status.code(), Some(2));
        assert_eq!(stdout(&lint), "1 file could not be read.\n");
        assert!(stderr(&lint).starts_with("carnet: error: _posts/absent.md: "));
        let lint = run(dir.path(), &["-q", "lint", "_posts/absent.md"]);
        assert_eq!(stdout(&lint), "");
    }

    #[test]
    fn lint_and_export_give_the_same_date_hint() {
        let dir = site(
            "title: t\n",
            &[(
                "_posts/2024-01-01-a.md",
                b"---\ntitle: A\ndate: hier\n---\nx\n",
            )],
        );
        let hint = carnet::site::date::DATE_FORMS;
        assert!(stdout(&run(dir.path(), &["lint", "--format", "short"])).contains(hint));
        assert!(stderr(&run(dir.path(), &["export"])).contains(hint));
    }
}

mod export {
    use super::*;

    #[test]
    fn every_unreadable_post_is_named() {
        let dir = site(
            "title: t\n",
            &[
                ("_posts/2024-01-01-a.md", b"---\ntitle: A\n---\n\xff\n"),
                ("_posts/2024-01-02-b.md", b"---\ntitle: B\n---\n\xfe\n"),
            ],
        );
        let export = run(dir.path(), &["export"]);
        assert_eq!(export.status.code(), Some(2));
        assert_eq!(stdout(&export), "");
        let err = stderr(&export);
        assert!(
            err.contains("2024-01-01-a.md:4:1: not valid UTF-8"),
            "{err}"
        );
        assert!(
            err.contains("2024-01-02-b.md:4:1: not valid UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn a_feed_without_url_is_a_warning_naming_the_fix() {
        let post: &[(&str, &[u8])] = &[("_posts/2024-01-01-a.md", b"---\ntitle: A\n---\nx\n")];
        let dir = site("title: t\n", post);
        let feed = run(dir.path(), &["export", "--format", "jsonfeed"]);
        assert!(feed.status.success());
        let err = stderr(&feed);
        assert!(
            err.contains("warning: the JSON Feed has relative ids"),
            "{err}"
        );
        assert!(err.contains("url: \"https://your.site\""), "{err}");
        let out = tempfile::tempdir().unwrap();
        let html = carnet(dir.path())
            .args(["--color", "never", "-q", "export", "--format", "html", "-o"])
            .arg(out.path().join("public"))
            .output()
            .unwrap();
        assert!(stderr(&html).contains("warning: feed.xml (Atom) has relative ids"));

        let json = run(dir.path(), &["export", "--format", "json"]);
        assert_eq!(stderr(&json), "");
        let with_url = site("title: t\nurl: https://x.example\n", post);
        let feed = run(with_url.path(), &["export", "--format", "jsonfeed"]);
        assert_eq!(stderr(&feed), "");
    }
}

mod cli {
    use super::*;

    #[test]
    fn man_prints_one_subcommands_page() {
        let dir = tempfile::tempdir().unwrap();
        let man = run(dir.path(), &["man", "lint"]);
        assert!(man.status.success());
        assert!(stdout(&man).contains(".TH carnet-lint 1"));
        let man = run(dir.path(), &["man", "nope"]);
        assert_eq!(man.status.code(), Some(2));
        assert!(stderr(&man).contains("one of: lint, rules, new"));
    }

    #[test]
    fn only_the_top_level_help_lists_version() {
        let dir = tempfile::tempdir().unwrap();
        assert!(stdout(&run(dir.path(), &["--help"])).contains("--version"));
        for sub in ["lint", "new", "export"] {
            let help = stdout(&run(dir.path(), &[sub, "--help"]));
            assert!(!help.contains("--version"), "{sub}: {help}");
        }
    }

    #[test]
    fn own_errors_are_coloured_like_clap_errors() {
        let dir = tempfile::tempdir().unwrap();
        let plain = run(dir.path(), &["lint"]);
        assert!(stderr(&plain).starts_with("carnet: error: "));
        let coloured = carnet(dir.path())
            .args(["--color", "always", "lint"])
            .output()
            .unwrap();
        let err = stderr(&coloured);
        assert!(err.starts_with(&format!("carnet: {ESC}")), "{err:?}");
        assert!(err.contains("error:"), "{err:?}");
    }

    #[test]
    fn a_site_flag_that_names_no_site_does_not_suggest_the_site_flag() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_site: PathBuf = dir.path().join("notes");
        std::fs::create_dir(&not_a_site).unwrap();
        let lint = carnet(dir.path())
            .args(["--color", "never", "--site"])
            .arg(&not_a_site)
            .arg("lint")
            .output()
            .unwrap();
        assert_eq!(lint.status.code(), Some(2));
        let err = stderr(&lint);
        assert!(err.contains("not inside a Jekyll site"), "{err}");
        assert!(!err.contains("pass --site"), "{err}");
        assert!(err.contains("`carnet init`"), "{err}");
        let lint = run(&not_a_site, &["lint"]);
        assert!(stderr(&lint).contains("pass --site DIR"));
    }
}

mod docs {
    use super::*;

    #[test]
    fn the_readme_walks_a_french_author_to_a_published_post() {
        let readme = readme();
        let start = readme
            .find("## A first blog, in French")
            .expect("walkthrough section");
        let section = &readme[start
            ..readme[start + 3..]
                .find("\n## ")
                .map_or(readme.len(), |e| start + 3 + e)];
        for step in [
            "carnet init mon-carnet --lang fr",
            "carnet new \"Réunion : ordre du jour\"",
            "carnet lint\n",
            "carnet lint --fix",
            "carnet list",
            "carnet export --format html -o",
        ] {
            assert!(section.contains(step), "the walkthrough lacks `{step}`");
        }
    }

    #[test]
    fn the_readme_install_pre_commit_and_development_notes_hold() {
        let readme = readme();
        assert!(readme.contains("cargo install --locked --path ."));
        let code_blocks = "Links, excerpt markers and Liquid tags inside code blocks";
        assert_eq!(readme.matches(code_blocks).count(), 1);
        assert!(readme.contains("`verbose: true`"));
        assert!(readme.contains("`args: [--deny-warnings]`"));
        let development = &readme[readme.find("## Development").unwrap()..];
        let ci =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
        for command in ci
            .lines()
            .filter(|l| !l.starts_with(['#', ' ']) && !l.is_empty())
        {
            let command = command.trim();
            if command.starts_with("set ")
                || command.starts_with("cd ")
                || command.starts_with("export ")
            {
                continue;
            }
            assert!(
                development.contains(command),
                "Development does not list `{command}`"
            );
        }
    }

    #[test]
    fn browser_check_updates_package_lists_before_installing() {
        let script = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/browser-check.sh"),
        )
        .unwrap();
        let update = script.find("apt-get update").expect("apt-get update");
        let install = script.find("apt-get install").expect("apt-get install");
        assert!(update < install);
    }
}
