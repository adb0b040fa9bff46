//! The preview's pages, built in memory: each post read and rendered once, and again only when
//! its file changes (or what its Liquid reads does), then only the pages whose inputs changed
//! rendered again by the export's HTML writer.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::lint::run::Linter;
use crate::lint::{Diagnostic, Settings};
use crate::post::Post;
use crate::render::html::{self, Limits, Page, Plan, Templates};
use crate::render::{self, Export, ExportError, Kept, SiteInfo};
use crate::site::permalink::unescape_path;
use crate::site::{Site, SiteFiles};

/// Posts per index page, entries of the feed and heading anchors, as `carnet export` has them by
/// default.
const LIMITS: Limits = Limits {
    per_page: 10,
    feed_limit: 20,
    heading_anchors: false,
};

/// The site's pages as the server hands them out.
#[derive(Debug, Default)]
pub struct Pages {
    /// Each file of the export, by its path under the site's root (`2024/01/01/a.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Why the site could not be built (an unreadable post, a broken reference...), shown instead.
    pub error: Option<String>,
    /// How long each step of the build took.
    pub spent: Spent,
}

/// Lint findings, by the file of the page of their post.
pub type Findings = HashMap<String, Vec<Diagnostic>>;

/// The time a build spent reading posts, rendering posts and rendering pages.
#[derive(Debug, Default, Clone, Copy)]
pub struct Spent {
    /// Scanning the site and reading the changed posts.
    pub read: Duration,
    /// Choosing and rendering the posts.
    pub posts: Duration,
    /// Laying out the site and rendering the pages.
    pub pages: Duration,
}

/// A file as last rendered, with the digest of what it was rendered from.
struct Rendered {
    digest: u64,
    bytes: Arc<Vec<u8>>,
}

/// A site being previewed: its posts as last read and rendered, its pages as last rendered.
pub struct Preview {
    site: Site,
    settings: Settings,
    options: render::Options,
    templates: Templates,
    posts: HashMap<PathBuf, Result<Post, String>>,
    /// The site's files as last scanned (pages and documents for Liquid's `site`).
    files: SiteFiles,
    /// The posts as last rendered, so that a save renders only the posts it changes.
    kept: Kept,
    /// A number for each post's last rendering, so that a page listing it knows it is stale.
    versions: HashMap<PathBuf, u64>,
    next_version: u64,
    /// The files as last rendered, so that a save renders only the pages it changes.
    rendered: HashMap<String, Rendered>,
    /// Files changed since the posts were last rendered.
    pending: Vec<PathBuf>,
}

impl Preview {
    /// Reads every post of the site.
    pub fn new(
        site: Site,
        settings: Settings,
        options: render::Options,
    ) -> Result<Preview, ExportError> {
        let templates = Templates::load(None)?;
        let mut preview = Preview {
            site,
            settings,
            options,
            templates,
            posts: HashMap::new(),
            files: SiteFiles::default(),
            kept: Kept::default(),
            versions: HashMap::new(),
            next_version: 0,
            rendered: HashMap::new(),
            pending: Vec::new(),
        };
        preview.reread(&[]);
        Ok(preview)
    }

    /// The site previewed.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Reads again the posts at `changed` and the posts that appeared; forgets those gone. With
    /// nothing changed, reads every post not read yet. When every changed file is a post still
    /// there, the site's list of files is as it was: the site is not scanned again.
    fn reread(&mut self, changed: &[PathBuf]) {
        let known = !changed.is_empty()
            && changed
                .iter()
                .all(|path| self.posts.contains_key(path) && path.is_file());
        if known {
            for file in self
                .files
                .posts
                .iter()
                .filter(|f| changed.contains(&f.path))
            {
                let post = Post::read(file.clone(), &self.site).map_err(|e| e.to_string());
                self.posts.insert(file.path.clone(), post);
            }
            return;
        }
        let files = self.site.scan();
        let present: HashSet<&Path> = files.posts.iter().map(|f| f.path.as_path()).collect();
        self.posts
            .retain(|path, _| present.contains(path.as_path()));
        for file in &files.posts {
            if changed.contains(&file.path) || !self.posts.contains_key(&file.path) {
                let post = Post::read(file.clone(), &self.site).map_err(|e| e.to_string());
                self.posts.insert(file.path.clone(), post);
            }
        }
        self.files = files;
    }

    /// Brings the pages up to date after `changed` files changed (all of them at the start).
    pub fn build(&mut self, changed: &[PathBuf]) -> Pages {
        let started = Instant::now();
        self.reread(changed);
        let mut spent = Spent {
            read: started.elapsed(),
            ..Spent::default()
        };
        // Changes made while the site could not be built are rendered with the next ones.
        let mut unrendered = std::mem::take(&mut self.pending);
        unrendered.extend_from_slice(changed);
        unrendered.sort();
        unrendered.dedup();
        let mut pages = Pages::default();
        let mut problems: Vec<String> = self
            .posts
            .values()
            .filter_map(|p| p.as_ref().err().cloned())
            .collect();
        problems.sort();
        let rendered = if problems.is_empty() {
            self.render(&unrendered, &mut spent)
                .map_err(|error| format!("{error:#}"))
        } else {
            Err(problems.join("\n"))
        };
        match rendered {
            Ok(files) => pages.files = files,
            Err(error) => {
                pages.error = Some(error);
                pages.spent = spent;
                self.pending = unrendered;
                return pages;
            }
        }
        pages.spent = spent;
        pages
    }

    /// Renders the posts `changed` touches, then the pages whose inputs differ from last time;
    /// the other pages keep their bytes.
    fn render(
        &mut self,
        changed: &[PathBuf],
        spent: &mut Spent,
    ) -> anyhow::Result<HashMap<String, Arc<Vec<u8>>>> {
        let started = Instant::now();
        let info = SiteInfo::new(&self.site.config, None)?;
        let mut posts: Vec<&Post> = self
            .posts
            .values()
            .filter_map(|p| p.as_ref().ok())
            .collect();
        posts.sort_by(|a, b| a.file.cmp(&b.file));
        let changed: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
        let (export, fresh) = render::prepare_again(
            &self.site,
            &self.files,
            info,
            &posts,
            &self.options,
            &mut self.kept,
            &|path| changed.contains(path),
        )?;
        for path in fresh {
            self.next_version += 1;
            self.versions.insert(path, self.next_version);
        }
        spent.posts = started.elapsed();
        let writing = Instant::now();
        let written = self.write(&export);
        self.kept.keep(export.posts);
        spent.pages = writing.elapsed();
        written
    }

    /// Renders the pages of `export` that differ from the last ones, keeping the others.
    fn write(&mut self, export: &Export) -> anyhow::Result<HashMap<String, Arc<Vec<u8>>>> {
        let plan = Plan::new(export, LIMITS.per_page)?;
        let pages = plan.pages();
        let versions: Vec<u64> = export
            .posts
            .iter()
            .map(|e| self.versions.get(&e.post.file.path).copied().unwrap_or(0))
            .collect();
        let digests = plan.digests(export, LIMITS, &versions, &pages);
        let stale: Vec<&Page> = pages
            .iter()
            .zip(&digests)
            .filter(|(page, digest)| {
                self.rendered
                    .get(&page.file)
                    .is_none_or(|r| r.digest != **digest)
            })
            .map(|(page, _)| page)
            .collect();
        let new = Mutex::new(HashMap::with_capacity(stale.len()));
        let sink = |file: &str, bytes: &[u8]| -> anyhow::Result<()> {
            let mut new = new.lock().unwrap_or_else(|e| e.into_inner());
            new.insert(file.to_string(), Arc::new(bytes.to_vec()));
            Ok(())
        };
        html::write_pages(
            export,
            &self.templates,
            LIMITS,
            &plan,
            &stale,
            &sink,
            &|| {},
        )?;
        let mut new = new.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut rendered = HashMap::with_capacity(pages.len());
        for (page, digest) in pages.into_iter().zip(digests) {
            let bytes = match new.remove(&page.file) {
                Some(bytes) => bytes,
                None => match self.rendered.remove(&page.file) {
                    Some(old) => old.bytes,
                    None => continue,
                },
            };
            rendered.insert(page.file, Rendered { digest, bytes });
        }
        self.rendered = rendered;
        Ok(self
            .rendered
            .iter()
            .map(|(file, r)| (file.clone(), Arc::clone(&r.bytes)))
            .collect())
    }

    /// The findings of the changed posts, by the file of each post's page.
    pub fn lint(&self, changed: &[PathBuf]) -> Findings {
        let targets: Vec<_> = changed
            .iter()
            .filter_map(|path| self.posts.get(path)?.as_ref().ok())
            .map(|post| post.file.clone())
            .collect();
        let mut out = Findings::new();
        if targets.is_empty() {
            return out;
        }
        let mut settings = self.settings.clone();
        settings.now = self.options.now;
        let linter = Linter::with_files(&self.site, &settings, true, self.files.clone());
        let result = linter.lint(&targets);
        for diagnostic in result.diagnostics {
            let Some(Ok(post)) = self.posts.get(&diagnostic.path) else {
                continue;
            };
            if let Some(Ok(url)) = post.url(&self.site) {
                out.entry(page_file(&url)).or_default().push(diagnostic);
            }
        }
        out
    }
}

/// The file a URL path (under the site's root, without `baseurl`) is served from.
pub fn page_file(url: &str) -> String {
    let mut file = url.trim_start_matches('/').to_string();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    unescape_path(&file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;

    fn options() -> render::Options {
        render::Options {
            drafts: false,
            future: false,
            unpublished: false,
            named: Vec::new(),
            base_url: None,
            highlight: true,
            sanitize: false,
            cache: false,
            now: chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00+00:00").unwrap(),
        }
    }

    fn preview(root: &Path) -> Preview {
        let site = Site::load(root).unwrap();
        let settings = Settings::new(&LintConfig::default(), &[], &[], options().now).unwrap();
        Preview::new(site, settings, options()).unwrap()
    }

    fn post(n: usize, extra: &str, body: &str) -> String {
        let tags = ["a", "b", "c"][n % 3];
        format!("---\ntitle: Billet {n}\ntags: [{tags}]\ncategories: [k{}]\n{extra}---\nCorps {n}.\n\n{body}\n", n % 2)
    }

    /// Every page a rebuild after each edit serves is the page a fresh build of the site serves:
    /// same files, same bytes.
    #[test]
    fn a_rebuild_after_an_edit_serves_what_a_full_build_serves() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        std::fs::write(root.join("_config.yml"), "title: T\nurl: https://x.org\n").unwrap();
        let path = |n: usize| root.join(format!("_posts/2024-01-{n:02}-p{n}.md"));
        for n in 1..=25 {
            std::fs::write(path(n), post(n, "", "")).unwrap();
        }
        std::fs::write(
            path(20),
            post(20, "", "Voir [trois]({% post_url 2024-01-03-p3 %})."),
        )
        .unwrap();
        std::fs::write(
            path(21),
            post(
                21,
                "",
                "{% for p in site.posts limit: 2 %}{{ p.title }}; {% endfor %}",
            ),
        )
        .unwrap();
        let mut served = preview(root);
        assert!(served.build(&[]).error.is_none());
        let edits: Vec<(usize, Option<String>)> = vec![
            (5, Some(post(5, "", "").replace("Billet 5", "Billet cinq"))),
            (7, Some(post(7, "", "Un autre corps."))),
            (3, Some(post(3, "date: 2024-02-01\n", ""))),
            (10, Some(post(10, "", "").replace("tags: [b]", "tags: [z]"))),
            (30, Some(post(30, "date: 2024-01-30\n", ""))),
            (12, None),
            (8, Some(post(8, "published: false\n", ""))),
            (
                25,
                Some(post(25, "", "").replace("Billet 25", "Le dernier")),
            ),
        ];
        for (n, text) in edits {
            let file = if n == 30 {
                root.join("_posts/2024-01-30-p30.md")
            } else {
                path(n)
            };
            match text {
                Some(text) => std::fs::write(&file, text).unwrap(),
                None => std::fs::remove_file(&file).unwrap(),
            }
            let rebuilt = served.build(std::slice::from_ref(&file));
            let fresh = preview(root).build(&[]);
            assert!(rebuilt.error.is_none(), "{:?}", rebuilt.error);
            let mut differing: Vec<&String> = fresh
                .files
                .keys()
                .chain(rebuilt.files.keys())
                .filter(|f| fresh.files.get(*f) != rebuilt.files.get(*f))
                .collect();
            differing.sort();
            differing.dedup();
            assert!(
                differing.is_empty(),
                "after editing post {n}: {differing:?}"
            );
        }
    }

    /// A site whose post cannot be rendered shows the error, then the edits made meanwhile once
    /// it can be rendered again.
    #[test]
    fn a_post_that_fails_to_render_leaves_no_stale_page_behind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        std::fs::write(root.join("_config.yml"), "title: T\n").unwrap();
        let path = |n: usize| root.join(format!("_posts/2024-01-{n:02}-p{n}.md"));
        for n in 1..=3 {
            std::fs::write(path(n), post(n, "", "")).unwrap();
        }
        std::fs::write(path(2), post(2, "", "[un]({% post_url 2024-01-01-p1 %})")).unwrap();
        let mut served = preview(root);
        assert!(served.build(&[]).error.is_none());
        std::fs::write(path(1), post(1, "date: 2024-03-01\n", "")).unwrap();
        std::fs::write(path(3), post(3, "", "{% if %}")).unwrap();
        let failed = served.build(&[path(1), path(3)]);
        assert!(failed.error.is_some());
        std::fs::write(path(3), post(3, "", "")).unwrap();
        let rebuilt = served.build(&[path(3)]);
        assert!(rebuilt.error.is_none(), "{:?}", rebuilt.error);
        assert_eq!(rebuilt.files, preview(root).build(&[]).files);
    }
}
