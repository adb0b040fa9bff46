//! The command line as users and their tools meet it: completions, man pages, help, colours,
//! `--version`, `carnet doctor`, the GitHub Action and the published package.

use std::path::Path;

use assert_cmd::Command;
use clap::CommandFactory;
use serde_yaml::Value;

mod common;

const ESC: &str = "\u{1b}[";

/// The binary, with the colour variables of the surrounding environment removed.
fn carnet() -> Command {
    let mut cmd = common::carnet();
    cmd.current_dir(common::root());
    cmd
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Every visible subcommand, as declared.
fn subcommands() -> Vec<String> {
    carnet::cli::Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect()
}

/// A temporary site holding these files.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    common::site(files)
}

mod completions {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_every_subcommand() {
        for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
            let output = carnet().args(["completions", shell]).output().unwrap();
            assert!(output.status.success(), "{shell}");
            let script = stdout(&output);
            assert!(script.len() > 1000, "{shell}: script too short");
            for name in subcommands() {
                assert!(script.contains(&name), "{shell}: no `{name}`");
            }
            assert!(script.contains("deny-warnings"), "{shell}: lint flags");
            assert!(!script.contains(ESC), "{shell}: escape codes");
        }
    }

    #[test]
    fn need_no_site() {
        let dir = tempfile::tempdir().unwrap();
        carnet()
            .current_dir(dir.path())
            .args(["completions", "bash"])
            .assert()
            .success();
    }

    #[test]
    fn an_unknown_shell_is_a_usage_error() {
        carnet()
            .args(["completions", "tcsh"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("possible values"));
    }
}

mod man {
    use super::*;

    #[test]
    fn the_main_page_lists_every_subcommand() {
        let output = carnet().arg("man").output().unwrap();
        assert!(output.status.success());
        let page = stdout(&output);
        assert!(page.contains(".TH carnet 1"), "{page}");
        assert!(page.contains(".SH SYNOPSIS"));
        assert!(page.contains(".SH EXAMPLES"));
        for name in subcommands() {
            assert!(page.contains(&format!("carnet\\-{name}(1)")), "{name}");
        }
    }

    #[test]
    fn out_writes_one_page_per_subcommand_creating_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("share/man/man1");
        carnet().args(["man", "--out"]).arg(&out).assert().success();
        let mut expected = vec!["carnet.1".to_string()];
        expected.extend(subcommands().iter().map(|n| format!("carnet-{n}.1")));
        expected.sort();
        let mut found: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        assert_eq!(found, expected, "no other file, no temporary file left");
        let lint = std::fs::read_to_string(out.join("carnet-lint.1")).unwrap();
        assert!(lint.contains(".TH carnet-lint 1"));
        assert!(lint.contains("\\-\\-deny\\-warnings"));
        assert!(lint.contains(".SH EXAMPLES\n.nf\ncarnet lint"));
        assert!(lint.contains(".SH \"SEE ALSO\"\ncarnet(1)"));
    }

    #[test]
    fn out_replaces_existing_pages() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("carnet.1"), "old").unwrap();
        carnet()
            .args(["man", "-q", "--out"])
            .arg(dir.path())
            .assert()
            .success()
            .stdout("");
        let page = std::fs::read_to_string(dir.path().join("carnet.1")).unwrap();
        assert!(page.contains(".TH carnet 1"));
    }

    #[test]
    fn out_into_a_file_fails_with_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("taken");
        std::fs::write(&file, "").unwrap();
        carnet()
            .args(["man", "--out"])
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("cannot create"));
    }
}

mod help {
    use super::*;

    /// The example lines after "Examples:" at the end of a help text.
    fn examples(help: &str) -> Vec<&str> {
        let (_, after) = help
            .split_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("no Examples: section in\n{help}"));
        after.lines().take_while(|l| l.starts_with("  ")).collect()
    }

    #[test]
    fn every_subcommand_ends_with_real_examples() {
        let mut commands: Vec<Vec<String>> = vec![vec![]];
        commands.extend(subcommands().into_iter().map(|n| vec![n]));
        for command in commands {
            for flag in ["--help", "-h"] {
                let output = carnet().args(&command).arg(flag).output().unwrap();
                assert!(output.status.success(), "{command:?}");
                let help = stdout(&output);
                assert!(!help.contains(ESC), "{command:?}: escape codes when piped");
                let examples = examples(&help);
                assert!(
                    (2..=3).contains(&examples.len()),
                    "{command:?} {flag}: {examples:?}"
                );
                for line in examples {
                    assert!(line.contains("carnet "), "{command:?}: {line}");
                    if let Some(name) = command.first() {
                        assert!(line.contains(&format!("carnet {name}")), "{line}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_flag_has_a_line_of_help() {
        let mut cmd = carnet::cli::Cli::command();
        cmd.build();
        for sub in cmd.get_subcommands() {
            for arg in sub.get_arguments() {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                assert!(
                    !help.trim().is_empty(),
                    "carnet {} --{}: no help",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }
}

mod version {
    use super::*;

    #[test]
    fn prints_the_package_version() {
        carnet()
            .arg("--version")
            .assert()
            .success()
            .stdout(format!("carnet {}\n", env!("CARGO_PKG_VERSION")));
    }
}

mod colors {
    use super::*;

    fn lint_broken(args: &[&str], env: &[(&str, &str)]) -> String {
        let mut cmd = carnet();
        cmd.args(["lint", "--site", "fixtures/broken", "--now", "2024-05-01"])
            .args(args);
        for (key, value) in env {
            cmd.env(key, value);
        }
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "findings exit 1");
        stdout(&output)
    }

    #[test]
    fn always_colours_even_when_piped() {
        assert!(lint_broken(&["--color", "always"], &[]).contains(ESC));
    }

    #[test]
    fn piped_output_has_no_escape_codes() {
        assert!(!lint_broken(&[], &[]).contains(ESC));
        assert!(!lint_broken(&["--color", "auto"], &[]).contains(ESC));
    }

    #[test]
    fn never_wins_over_clicolor_force() {
        let out = lint_broken(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]);
        assert!(!out.contains(ESC));
    }

    #[test]
    fn clicolor_force_colours_piped_output_under_auto() {
        assert!(lint_broken(&[], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    }

    #[test]
    fn no_color_wins_over_clicolor_force_under_auto() {
        let out = lint_broken(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert!(!out.contains(ESC));
    }

    #[test]
    fn an_explicit_always_wins_over_no_color() {
        assert!(lint_broken(&["--color", "always"], &[("NO_COLOR", "1")]).contains(ESC));
    }

    #[test]
    fn help_and_usage_errors_follow_the_flag() {
        let help = |args: &[&str]| {
            let output = carnet()
                .args(args)
                .env("CLICOLOR_FORCE", "1")
                .output()
                .unwrap();
            let mut text = stdout(&output);
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            text
        };
        assert!(help(&["lint", "--help"]).contains(ESC), "auto, forced");
        assert!(!help(&["lint", "--help", "--color", "never"]).contains(ESC));
        assert!(!help(&["--color=never", "lint", "--bogus"]).contains(ESC));
        let output = carnet()
            .args(["--color", "always", "doctor", "--help"])
            .output()
            .unwrap();
        assert!(stdout(&output).contains(ESC));
    }

    #[test]
    fn rules_and_doctor_follow_the_flag() {
        for (args, coloured) in [
            (vec!["rules", "--color", "never"], false),
            (
                vec!["doctor", "--site", "fixtures/demo", "--color", "never"],
                false,
            ),
            (
                vec!["doctor", "--site", "fixtures/demo", "--color", "always"],
                true,
            ),
        ] {
            let output = carnet()
                .args(&args)
                .env("CLICOLOR_FORCE", "1")
                .output()
                .unwrap();
            assert_eq!(stdout(&output).contains(ESC), coloured, "{args:?}");
        }
        let output = carnet().arg("rules").env("NO_COLOR", "1").output().unwrap();
        assert!(output.status.success());
        assert!(!stdout(&output).contains(ESC));
    }
}

mod doctor {
    use super::*;

    fn doctor(site: &Path, now: &str, extra: &[&str]) -> (Option<i32>, String) {
        let output = carnet()
            .arg("doctor")
            .arg("--site")
            .arg(site)
            .args(["--now", now])
            .args(extra)
            .output()
            .unwrap();
        (output.status.code(), stdout(&output))
    }

    #[test]
    fn the_broken_set_up_is_explained_and_exits_1() {
        let (code, out) = doctor(Path::new("fixtures/doctor"), "2024-05-01", &[]);
        assert_eq!(code, Some(1));
        insta::assert_snapshot!("doctor_broken_set_up", out);
    }

    #[test]
    fn quiet_shows_only_what_is_off() {
        let (code, out) = doctor(Path::new("fixtures/doctor"), "2024-05-01", &["-q"]);
        assert_eq!(code, Some(1));
        assert_eq!(out.lines().count(), 7, "{out}");
        assert!(out
            .lines()
            .all(|l| l.starts_with("problem") || l.starts_with("note")));
    }

    #[test]
    fn the_demo_site_has_only_its_scheduled_post_as_a_note() {
        let (code, out) = doctor(Path::new("fixtures/demo"), "2024-05-01", &[]);
        assert_eq!(code, Some(0), "a scheduled post is a note, not a problem");
        insta::assert_snapshot!("doctor_demo", out);
    }

    #[test]
    fn the_demo_site_is_all_good_once_its_post_is_due() {
        let (code, out) = doctor(Path::new("fixtures/demo"), "2031-04-02", &[]);
        assert_eq!(code, Some(0));
        assert!(!out.contains("note"), "{out}");
        assert!(out.contains("no post is dated in the future"));
        assert!(out.ends_with("\nNo problems.\n"), "{out}");
    }

    #[test]
    fn no_posts_folder_is_a_problem() {
        let dir = site(&[("_config.yml", "url: https://x.org\n")]);
        let (code, out) = doctor(dir.path(), "2024-05-01", &[]);
        assert_eq!(code, Some(1));
        assert!(out.contains("problem  no _posts/ folder in"), "{out}");
    }

    #[test]
    fn an_empty_posts_folder_is_a_note_and_a_relative_url_a_problem() {
        let dir = site(&[("_config.yml", "url: carnet.example.org\n")]);
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        let (code, out) = doctor(dir.path(), "2024-05-01", &[]);
        assert_eq!(code, Some(1));
        assert!(
            out.contains("note     _posts/ holds no Markdown post yet"),
            "{out}"
        );
        assert!(
            out.contains("url `carnet.example.org` is not absolute; write it with its scheme, e.g. https://carnet.example.org"),
            "{out}"
        );
    }

    #[test]
    fn future_true_publishes_scheduled_posts_with_a_note() {
        let dir = site(&[
            (
                "_config.yml",
                "url: https://x.org\nfuture: true\ntimezone: UTC\n",
            ),
            (
                "_posts/2031-01-01-later.md",
                "---\ntitle: Later\n---\nbody\n",
            ),
        ]);
        let (code, out) = doctor(dir.path(), "2024-05-01", &[]);
        assert_eq!(code, Some(0));
        assert!(
            out.contains(
                "note     future: true in _config.yml: Jekyll publishes 1 post dated after now"
            ),
            "{out}"
        );
    }

    #[test]
    fn html_posts_are_a_note_and_a_bad_baseurl_a_problem() {
        let dir = site(&[
            (
                "_config.yml",
                "url: https://x.org\nbaseurl: blog\ntimezone: UTC\n",
            ),
            ("_posts/2020-01-01-a.md", "---\ntitle: A\n---\nbody\n"),
            (
                "_posts/2020-01-02-b.html",
                "---\ntitle: B\n---\n<p>body</p>\n",
            ),
        ]);
        let (code, out) = doctor(dir.path(), "2024-05-01", &[]);
        assert_eq!(code, Some(1));
        assert!(out.contains("2020-01-02-b.html: an HTML post"), "{out}");
        assert!(out.contains("baseurl `blog` must start with `/`"), "{out}");
    }

    #[test]
    fn a_post_permalink_with_an_unknown_placeholder_is_a_problem() {
        let dir = site(&[
            (
                "_config.yml",
                "url: https://x.org\npermalink: /:year/:nope/\ntimezone: UTC\n",
            ),
            ("_posts/2020-01-01-a.md", "---\ntitle: A\n---\nbody\n"),
        ]);
        let (code, out) = doctor(dir.path(), "2024-05-01", &[]);
        assert_eq!(code, Some(1));
        assert!(
            out.contains("unknown placeholder `:nope` in permalink `/:year/:nope/`"),
            "{out}"
        );
    }

    #[test]
    fn an_unreadable_post_is_a_problem_and_exits_1() {
        let dir = site(&[("_config.yml", "url: https://x.org\ntimezone: UTC\n")]);
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        std::fs::write(
            dir.path().join("_posts/2020-01-01-bad.md"),
            b"---\ntitle: \xff\n---\n",
        )
        .unwrap();
        let output = carnet()
            .args(["doctor", "--site"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "2 is for no site or a bad configuration"
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("2020-01-01-bad.md:2:8: not valid UTF-8"),
            "{stdout}"
        );
        assert!(stdout.contains("the post cannot be read"), "{stdout}");
        assert!(stdout.contains("1 post in _posts/"), "{stdout}");
        assert!(stdout.contains("\n1 problem."), "{stdout}");
    }

    #[test]
    fn outside_a_site_exits_2() {
        let dir = tempfile::tempdir().unwrap();
        carnet()
            .current_dir(dir.path())
            .arg("doctor")
            .assert()
            .code(2)
            .stderr(predicates::str::contains("not inside a Jekyll site"));
    }

    #[test]
    fn an_unknown_timezone_exits_2() {
        let dir = site(&[("_config.yml", "timezone: Mars/Olympus\n")]);
        carnet()
            .args(["doctor", "--site"])
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("unknown timezone `Mars/Olympus`"));
    }
}

mod action {
    use super::*;

    fn action() -> Value {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
                .unwrap();
        serde_yaml::from_str(&text).expect("action.yml is valid YAML")
    }

    #[test]
    fn declares_its_inputs_with_defaults() {
        let action = action();
        assert_eq!(action["name"].as_str(), Some("carnet"));
        assert!(action["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()));
        let inputs = &action["inputs"];
        for (name, default) in [("version", ""), ("args", "lint"), ("path", ".")] {
            let input = &inputs[name];
            assert!(input["description"].as_str().is_some(), "{name}");
            assert_eq!(input["default"].as_str(), Some(default), "{name}");
        }
        assert_eq!(inputs.as_mapping().unwrap().len(), 3);
    }

    #[test]
    fn is_a_composite_that_builds_its_own_carnet_and_annotates() {
        let action = action();
        assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
        let steps = action["runs"]["steps"].as_sequence().unwrap();
        let scripts: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
        for step in steps.iter().filter(|s| s["run"].is_string()) {
            assert_eq!(step["shell"].as_str(), Some("bash"), "{step:?}");
        }
        let all = scripts.join("\n");
        assert!(all.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
        assert!(all.contains("--format github"));
        assert!(all.contains("\"$GITHUB_PATH\""));
        // Inputs reach scripts through the environment, never spliced into the script text.
        assert!(!all.contains("${{"), "{all}");
    }
}

mod package {
    /// `cargo package --list`: what a published crate holds.
    #[test]
    fn holds_sources_and_docs_but_no_build_or_test_output() {
        let output = std::process::Command::new(env!("CARGO"))
            .args(["package", "--list", "--allow-dirty", "--offline"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let list = String::from_utf8(output.stdout).unwrap();
        let files: Vec<&str> = list.lines().collect();
        for needed in [
            "Cargo.toml",
            "Cargo.lock",
            "README.md",
            "CHANGELOG.md",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "src/main.rs",
            "src/lib.rs",
        ] {
            assert!(files.contains(&needed), "{needed} missing");
        }
        for file in &files {
            assert!(
                !(file.starts_with("target/")
                    || file.starts_with("fuzz/")
                    || file.starts_with("scripts/out/")
                    || file.starts_with(".ci/")
                    || file.ends_with(".snap.new")
                    || file.ends_with(".pending-snap")
                    || *file == "action.yml"),
                "{file} should not be packaged"
            );
        }
    }
}
