//! Where carnet reads and writes, over arbitrary path names in a real site on disk: the include
//! resolution (`include::check_name`, `include::resolve`) and the export's output guards
//! (`render::guard`, `render::dir::Target::check`, `render::dir::safe_relative`).
//!
//! The site, built once in a temporary folder, holds the traps: `_includes/` links to `/dev/zero`
//! and to a file outside, a FIFO, a subfolder. Whatever the name, an include resolves to a regular
//! file inside its folder, and an accepted output never is, holds or lies inside a source.

#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use carnet::site::include::{self, IncludeTag};
use carnet::render::dir::{safe_relative, Target};
use carnet::render::guard;
use carnet::site::{Site, SiteFiles};
use libfuzzer_sys::fuzz_target;

/// The fixed site on disk, its files, and the paths no output may touch.
struct Fixture {
    site: Site,
    files: SiteFiles,
    root: PathBuf,
    protected: Vec<PathBuf>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("carnet-fuzz-paths-{}", std::process::id()));
        let root = base.join("site");
        for (rel, text) in [
            ("_config.yml", "title: Fuzz\n"),
            ("_posts/2020-01-01-a.md", "---\ntitle: A\n---\n"),
            ("voyages/_posts/2020-01-02-b.md", "---\ntitle: B\n---\n"),
            ("_drafts/d.md", "---\ntitle: D\n---\n"),
            ("_includes/ok.md", "[ok]: /ok\n"),
            ("_includes/sub/deep.md", "[deep]: /deep\n"),
            ("_layouts/default.html", "{{ content }}\n"),
            ("about/index.md", "---\ntitle: About\n---\n"),
            ("assets/site.css", "body {}\n"),
            (".git/HEAD", "ref: refs/heads/main\n"),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(base.join("secret"), "outside").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("/dev/zero", root.join("_includes/zero.md")).unwrap();
            symlink(base.join("secret"), root.join("_includes/secret.md")).unwrap();
            symlink("../_posts", root.join("_includes/posts")).unwrap();
            std::fs::create_dir_all(root.join("out")).unwrap();
            symlink("../_posts", root.join("out/posts")).unwrap();
            symlink("..", root.join("out/up")).unwrap();
            let fifo = root.join("_includes/pipe.md");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        }
        let root = root.canonicalize().unwrap();
        let site = Site::load(&root).unwrap();
        let files = site.scan();
        let protected = [
            "_config.yml",
            "_posts",
            "_posts/2020-01-01-a.md",
            "voyages/_posts/2020-01-02-b.md",
            "_drafts",
            "_includes",
            "_layouts",
            "about/index.md",
            ".git",
            ".git/HEAD",
        ]
        .iter()
        .map(|rel| root.join(rel))
        .collect();
        Fixture {
            site,
            files,
            root,
            protected,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, name)) = data.split_first() else {
        return;
    };
    let name = String::from_utf8_lossy(name);
    let fixture = fixture();
    match selector % 4 {
        0 => check_include(&name, IncludeTag::Include),
        1 => check_include(&name, IncludeTag::Relative),
        2 => check_output_file(fixture, &name),
        _ => check_output_folder(fixture, &name),
    }
    if let Ok(rel) = safe_relative(&name) {
        assert!(rel.components().all(|c| matches!(c, Component::Normal(_))));
    }
    if guard::source_reason(Path::new(name.as_ref()), "_site").is_none() {
        let first = Path::new(name.as_ref()).components().next();
        if let Some(Component::Normal(first)) = first {
            let first = first.to_string_lossy();
            assert!(first == "_site" || !(first.starts_with('_') || first.starts_with('.')));
        }
        assert!(!name.split('/').any(|p| p == ".git" || p == ".."));
    }
});

fn check_include(name: &str, kind: IncludeTag) {
    let fixture = fixture();
    if let Ok(rel) = include::check_name(name, kind) {
        assert!(rel.components().all(|c| matches!(c, Component::Normal(_))));
        assert!(!name.contains(".."));
    }
    let post = fixture.root.join("_posts/2020-01-01-a.md");
    if let Ok(Some(path)) = include::resolve(name, kind, &fixture.root, &post) {
        let allowed = match kind {
            IncludeTag::Include => fixture.root.join("_includes"),
            IncludeTag::Relative => fixture.root.clone(),
        };
        assert!(path.starts_with(&allowed), "{name:?} -> {}", path.display());
        assert!(std::fs::metadata(&path).unwrap().is_file(), "{name:?}");
        let text = include::read(name, kind, &fixture.root, &post);
        assert!(text.is_ok());
    }
}

fn check_output_file(fixture: &Fixture, name: &str) {
    let path = fixture.root.join(name);
    if guard::check_output_file(&path, &fixture.site, &fixture.files).is_ok() {
        let resolved = guard::resolve_parent(&path).unwrap();
        for protected in &fixture.protected {
            assert!(
                !resolved.starts_with(protected),
                "{name:?} -> {}",
                resolved.display()
            );
        }
    }
}

fn check_output_folder(fixture: &Fixture, name: &str) {
    // `Target::check` creates the output's parent folders: keep them inside the fixture.
    let rel = Path::new(name);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return;
    }
    let path = fixture.root.join(rel);
    if guard::resolve_parent(&path).map_or(true, |p| !p.starts_with(&fixture.root)) {
        return;
    }
    if let Ok(target) = Target::check(&path, &fixture.site, &fixture.files, true) {
        let out = target.path();
        assert!(!fixture.root.starts_with(out), "{}", out.display());
        for protected in &fixture.protected {
            assert!(
                !out.starts_with(protected) && !protected.starts_with(out),
                "{name:?} -> {}",
                out.display()
            );
        }
    }
}
