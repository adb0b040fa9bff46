//! The preview's pages, built in memory: each post read and rendered once, and again only when
//! its file changes, then the export's HTML writer run over them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::lint::run::Linter;
use crate::lint::{Diagnostic, Settings};
use crate::post::{Post, Status};
use crate::render::html::{self, Limits, Plan, Templates};
use crate::render::{self, Export, ExportError, ExportedPost, SiteInfo};
use crate::site::permalink::unescape_path;
use crate::site::{Site, SiteFiles, SourceFile};

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
    pub files: HashMap<String, Vec<u8>>,
    /// Why the site could not be built (an unreadable post, a broken reference...), shown instead.
    pub error: Option<String>,
    /// The lint findings of the posts changed last, by the file of their page.
    pub findings: HashMap<String, Vec<Diagnostic>>,
}

/// A site being previewed: its posts as last read.
pub struct Preview {
    site: Site,
    settings: Settings,
    options: render::Options,
    templates: Templates,
    posts: HashMap<PathBuf, Result<Post, String>>,
    /// The site's files as last scanned (pages and documents for Liquid's `site`).
    files: SiteFiles,
    /// The posts as last rendered, kept so that a save renders only the posts it changed.
    export: Option<Export>,
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
            export: None,
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
    /// nothing changed, reads every post not read yet.
    fn reread(&mut self, changed: &[PathBuf]) {
        let files = self.site.scan();
        let present: std::collections::HashSet<&Path> =
            files.posts.iter().map(|f| f.path.as_path()).collect();
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
        self.reread(changed);
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
            self.render(&unrendered)
                .map_err(|error| format!("{error:#}"))
        } else {
            Err(problems.join("\n"))
        };
        match rendered {
            Ok(files) => pages.files = files,
            Err(error) => {
                pages.error = Some(error);
                self.pending = unrendered;
                return pages;
            }
        }
        pages.findings = self.lint(changed);
        pages
    }

    /// Renders the site: only the changed posts when nothing else can differ, else every post.
    fn render(&mut self, changed: &[PathBuf]) -> anyhow::Result<HashMap<String, Vec<u8>>> {
        let export = match self.export.take() {
            Some(mut export) if !changed.is_empty() => match self.update(&mut export, changed) {
                Ok(true) => export,
                Ok(false) => self.prepare(&[])?,
                Err(error) => {
                    // A post saved half-written fails alone: the next save starts from here.
                    self.export = Some(export);
                    return Err(error);
                }
            },
            _ => self.prepare(&[])?,
        };
        let plan = Plan::new(&export, LIMITS.per_page)?;
        let files = Mutex::new(HashMap::new());
        let sink = |file: &str, bytes: &[u8]| -> anyhow::Result<()> {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            files.insert(file.to_string(), bytes.to_vec());
            Ok(())
        };
        html::write_site(&export, &self.templates, LIMITS, &plan, &sink, &|| {})?;
        self.export = Some(export);
        Ok(files.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// Every post read, selected and rendered; `named` alone when not empty (with every post's
    /// URL known, for `post_url`).
    fn prepare(&self, named: &[SourceFile]) -> Result<Export, ExportError> {
        let info = SiteInfo::new(&self.site.config, None)?;
        let mut posts: Vec<Post> = self
            .posts
            .values()
            .filter_map(|p| p.as_ref().ok().cloned())
            .collect();
        posts.sort_by(|a, b| a.file.cmp(&b.file));
        render::prepare_posts(
            &self.site,
            &self.files,
            info,
            posts,
            named,
            &self.options,
            &|| {},
        )
    }

    /// Renders the changed posts again into `export`; false (and `export` untouched) when a
    /// change reaches other pages than the post's own and the lists: a post added, removed, shown
    /// or hidden, or moved to another URL (links to it elsewhere would be stale).
    fn update(&self, export: &mut Export, changed: &[PathBuf]) -> anyhow::Result<bool> {
        let named: Vec<SourceFile> = changed
            .iter()
            .filter_map(|path| self.posts.get(path)?.as_ref().ok())
            .map(|post| post.file.clone())
            .collect();
        if named.len() != changed.len() {
            return Ok(false);
        }
        let fresh = self.prepare(&named)?;
        let mut places = Vec::with_capacity(fresh.posts.len());
        for entry in &fresh.posts {
            let old = export
                .posts
                .iter()
                .position(|e| e.post.file.path == entry.post.file.path);
            match old {
                Some(i) if export.posts[i].url == entry.url && self.shown(entry) => places.push(i),
                _ => return Ok(false),
            }
        }
        if places.len() != named.len() {
            return Ok(false);
        }
        for (i, entry) in places.into_iter().zip(fresh.posts) {
            export.posts[i] = entry;
        }
        export
            .posts
            .sort_by(|a, b| (b.date, &b.post.file.rel).cmp(&(a.date, &a.post.file.rel)));
        Ok(true)
    }

    /// Whether the export shows a post of this status without naming it.
    fn shown(&self, entry: &ExportedPost) -> bool {
        match entry.status {
            Status::Published => true,
            Status::Draft => self.options.drafts,
            Status::Future => self.options.future || self.site.config.future,
            Status::Unpublished => self.options.unpublished,
        }
    }

    /// The findings of the changed posts, by the file of each post's page.
    fn lint(&self, changed: &[PathBuf]) -> HashMap<String, Vec<Diagnostic>> {
        let targets: Vec<_> = changed
            .iter()
            .filter_map(|path| self.posts.get(path)?.as_ref().ok())
            .map(|post| post.file.clone())
            .collect();
        let mut out: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        if targets.is_empty() {
            return out;
        }
        let mut settings = self.settings.clone();
        settings.now = self.options.now;
        let result = Linter::new(&self.site, &settings, true).lint(&targets);
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
