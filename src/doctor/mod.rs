//! `carnet doctor`'s checks: how Jekyll will see the site's set-up, said in plain words.
//!
//! Each check reports what is fine (`ok`), what is worth knowing but intended (`note`), and what
//! loses posts or breaks links (`problem`). Posts dated in the future under `future: false` are a note,
//! not a problem: scheduling a post that way is deliberate, and Jekyll publishes it when its day comes.

mod parts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::paths::display_path;
use crate::post::{Post, Status};
use crate::site::{Kind, Site, SourceFile, MARKDOWN_EXTENSIONS, SKIPPED_DIRS};
use crate::text::plural;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The check passed.
    Ok,
    /// Worth knowing, but nothing is lost (a scheduled post, an HTML post).
    Note,
    /// Jekyll will skip posts, stop, or publish something other than intended.
    Problem,
}

impl Verdict {
    /// The word printed before the finding.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Note => "note",
            Verdict::Problem => "problem",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How serious it is.
    pub verdict: Verdict,
    /// What was found, in plain words, naming files as the user would type them.
    pub message: String,
}

/// Everything `doctor` found.
#[derive(Debug, Default)]
pub struct Checkup {
    /// The findings, in check order, files sorted by path within a check.
    pub findings: Vec<Finding>,
}

impl Checkup {
    /// Whether any finding is a problem.
    pub fn has_problems(&self) -> bool {
        self.findings.iter().any(|f| f.verdict == Verdict::Problem)
    }

    /// How many findings have this verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.findings
            .iter()
            .filter(|f| f.verdict == verdict)
            .count()
    }

    fn push(&mut self, verdict: Verdict, message: String) {
        self.findings.push(Finding { verdict, message });
    }
}

/// Examines the site as of `now`: its folders, post names, excerpt separator, future posts, URLs and `url`.
pub fn examine(site: &Site, now: DateTime<FixedOffset>) -> Checkup {
    let files = site.scan();
    let (posts, unreadable) = crate::post::read_all(&files.posts, site);
    let mut checkup = Checkup::default();
    // A problem like the others: exit 2 is kept for a missing site or a bad configuration.
    for error in unreadable {
        checkup.push(
            Verdict::Problem,
            format!("{error}: the post cannot be read (Jekyll cannot build it either)"),
        );
    }
    let in_posts_folders = files_in_posts_folders(site);
    check_folders(site, &files.posts, &in_posts_folders, &mut checkup);
    check_names(&posts, &in_posts_folders, &mut checkup);
    check_excerpt_separator(site, &posts, &mut checkup);
    // Jekyll stops on an impossible date and skips undated names: only the posts it builds count below.
    let built: Vec<&Post> = posts
        .iter()
        .filter(|p| p.file.kind == Kind::Post && p.name.date.is_some())
        .collect();
    check_future(site, &built, now, &mut checkup);
    check_urls(site, &built, &mut checkup);
    check_site_url(site, &mut checkup);
    let (documents, unreadable) = crate::post::read_all(&files.documents, site);
    for error in unreadable {
        checkup.push(
            Verdict::Problem,
            format!(
                "{error}: the collection document cannot be read (Jekyll cannot build it either)"
            ),
        );
    }
    let read: Vec<Post> = posts.into_iter().chain(documents).collect();
    parts::check(site, &files, &read, &mut checkup);
    checkup
}

/// Whether a site-relative path lies in a `_posts/` folder Jekyll reads (not inside `_site/` and the like).
fn in_posts_folder(rel: &str) -> bool {
    let Some((dirs, _)) = rel.rsplit_once('/') else {
        return false;
    };
    let mut inside = false;
    for dir in dirs.split('/') {
        match dir {
            "_posts" => inside = true,
            "_drafts" => inside = false,
            d if !inside && (d.starts_with('_') || d.starts_with('.')) => return false,
            _ => {}
        }
    }
    inside
}

/// Every file under a `_posts/` folder, whatever its extension, as (relative path, path), sorted.
fn files_in_posts_folders(site: &Site) -> Vec<(String, PathBuf)> {
    let walker = ignore::WalkBuilder::new(&site.root)
        .hidden(true)
        .require_git(false)
        .git_ignore(true)
        .git_exclude(true)
        .parents(true)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && entry.depth() > 0
                && SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref()))
        })
        .build();
    let mut found: Vec<(String, PathBuf)> = walker
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|entry| {
            let rel = site.relative(entry.path())?;
            in_posts_folder(&rel).then(|| (rel, entry.into_path()))
        })
        .collect();
    found.sort();
    found
}

fn check_folders(
    site: &Site,
    posts: &[SourceFile],
    in_posts_folders: &[(String, PathBuf)],
    checkup: &mut Checkup,
) {
    // Counted from the files, read or not: one that cannot be read is a problem of its own.
    let count = |kind| posts.iter().filter(|p| p.kind == kind).count();
    let (published, drafts) = (count(Kind::Post), count(Kind::Draft));
    let root = display_path(&site.root);
    if published > 0 {
        checkup.push(
            Verdict::Ok,
            format!(
                "{} in _posts/, {} in _drafts/",
                plural(published, "post"),
                plural(drafts, "draft")
            ),
        );
    } else if site.root.join("_posts").is_dir() || !in_posts_folders.is_empty() {
        checkup.push(
            Verdict::Note,
            "_posts/ holds no Markdown post yet (`carnet new TITLE` writes one)".to_string(),
        );
    } else {
        checkup.push(
            Verdict::Problem,
            format!(
                "no _posts/ folder in {root}: Jekyll finds no posts there (create it, or run \
                 `carnet new TITLE`)"
            ),
        );
    }
}

fn check_names(posts: &[Post], in_posts_folders: &[(String, PathBuf)], checkup: &mut Checkup) {
    let by_path: BTreeMap<&Path, &Post> = posts.iter().map(|p| (p.path(), p)).collect();
    let before = checkup.findings.len();
    for (rel, path) in in_posts_folders {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let shown = display_path(path);
        let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
        if !MARKDOWN_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
        {
            if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") {
                checkup.push(
                    Verdict::Note,
                    format!(
                        "{shown}: an HTML post; Jekyll publishes it, but carnet reads only \
                         Markdown posts and leaves it out"
                    ),
                );
            } else {
                checkup.push(
                    Verdict::Problem,
                    format!(
                        "{shown}: not a Markdown file (.md, .markdown, .mkdown, .mkdn, .mkd), so \
                         Jekyll does not convert it to HTML and carnet leaves it out"
                    ),
                );
            }
            continue;
        }
        let Some(post) = by_path.get(path.as_path()) else {
            continue;
        };
        match (&post.name.date_text, post.name.date) {
            (None, _) => {
                let hint = match post.data.date {
                    Some(date) => {
                        let day = date.format("%Y-%m-%d");
                        format!(
                            "rename it {day}-{}.{}, after its date",
                            post.name.slug, post.name.ext
                        )
                    }
                    None => "rename it YYYY-MM-DD-title.md".to_string(),
                };
                checkup.push(
                    Verdict::Problem,
                    format!(
                        "{shown}: Jekyll skips it because its name does not start with a date \
                         ({hint})"
                    ),
                );
            }
            (Some(text), None) => checkup.push(
                Verdict::Problem,
                format!(
                    "{shown}: {text} is not a real day, so Jekyll stops the whole build with an \
                     invalid date error"
                ),
            ),
            (Some(_), Some(_)) => {}
        }
    }
    if checkup.findings.len() == before && !in_posts_folders.is_empty() {
        checkup.push(
            Verdict::Ok,
            "every file in _posts/ is a Markdown post named YYYY-MM-DD-title".to_string(),
        );
    }
}

/// Text with whitespace removed and lowercased, to recognise `<!-- More -->` as a try at `<!--more-->`.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn check_excerpt_separator(site: &Site, posts: &[Post], checkup: &mut Checkup) {
    let Some(separator) = site
        .config
        .excerpt_separator
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    else {
        checkup.push(
            Verdict::Ok,
            "no excerpt_separator in _config.yml: each excerpt is the post's first paragraph"
                .to_string(),
        );
        return;
    };
    let following: Vec<&Post> = posts
        .iter()
        .filter(|p| p.data.excerpt_separator.as_deref() == Some(separator))
        .collect();
    if following.is_empty() {
        return;
    }
    let using = following
        .iter()
        .filter(|p| p.excerpt_end().is_some())
        .count();
    if using > 0 {
        checkup.push(
            Verdict::Ok,
            format!(
                "excerpt_separator `{separator}` appears in {using} of {} and drafts",
                plural(following.len(), "post")
            ),
        );
        return;
    }
    let squeezed = squeeze(separator);
    let near = following
        .par_iter()
        .filter(|p| squeeze(p.body()).contains(&squeezed))
        .count();
    let hint = match near {
        0 => String::new(),
        n => format!(
            "; {} a near miss (other spacing or case), which \
             `carnet lint --fix --select excerpt-near-miss` repairs",
            if n == 1 {
                "1 post has".to_string()
            } else {
                format!("{n} posts have")
            }
        ),
    };
    let config = display_path(&site.root.join("_config.yml"));
    checkup.push(
        Verdict::Problem,
        format!(
            "{config}: excerpt_separator `{separator}` is set but no post uses it, so Jekyll takes \
             each whole post as its excerpt{hint}"
        ),
    );
}

fn check_future(site: &Site, built: &[&Post], now: DateTime<FixedOffset>, checkup: &mut Checkup) {
    let future: Vec<&&Post> = built
        .iter()
        .filter(|p| p.status(now) == Status::Future)
        .collect();
    if future.is_empty() {
        checkup.push(Verdict::Ok, "no post is dated in the future".to_string());
        return;
    }
    if site.config.future {
        checkup.push(
            Verdict::Note,
            format!(
                "future: true in _config.yml: Jekyll publishes {} dated after now",
                plural(future.len(), "post")
            ),
        );
        return;
    }
    for post in future {
        let date = post
            .data
            .date
            .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M %:z").to_string());
        checkup.push(
            Verdict::Note,
            format!(
                "{}: dated {date}, after now, so Jekyll leaves it out until then (future: false)",
                display_path(post.path())
            ),
        );
    }
}

fn check_urls(site: &Site, built: &[&Post], checkup: &mut Checkup) {
    let mut by_url: BTreeMap<String, Vec<&Post>> = BTreeMap::new();
    let mut site_pattern_error = None;
    let before = checkup.findings.len();
    for post in built.iter().filter(|p| p.data.published) {
        match post.url(site) {
            Some(Ok(url)) => by_url.entry(url).or_default().push(post),
            Some(Err(error)) if post.data.permalink.is_none() => {
                site_pattern_error.get_or_insert(error);
            }
            Some(Err(error)) => checkup.push(
                Verdict::Problem,
                format!(
                    "{}: {error} `{}`",
                    display_path(post.path()),
                    post.data.permalink.as_deref().unwrap_or_default()
                ),
            ),
            None => {}
        }
    }
    if let Some(error) = site_pattern_error {
        checkup.push(
            Verdict::Problem,
            format!(
                "{}: {error} `{}`, so carnet cannot tell the posts' URLs",
                display_path(&site.root.join("_config.yml")),
                site.config.permalink
            ),
        );
    }
    for (url, posts) in by_url.iter().filter(|(_, posts)| posts.len() > 1) {
        let names: Vec<String> = posts.iter().map(|p| display_path(p.path())).collect();
        let pattern = if posts.iter().all(|p| p.data.permalink.is_none()) {
            format!(" under permalink `{}`", site.config.permalink)
        } else {
            String::new()
        };
        checkup.push(
            Verdict::Problem,
            format!(
                "{} posts have the URL {url}{pattern}, and Jekyll writes only one of them: {}",
                posts.len(),
                names.join(", ")
            ),
        );
    }
    if checkup.findings.len() == before && !by_url.is_empty() {
        checkup.push(
            Verdict::Ok,
            format!(
                "every post has its own URL under permalink `{}`",
                site.config.permalink
            ),
        );
    }
}

fn check_site_url(site: &Site, checkup: &mut Checkup) {
    let config = display_path(&site.root.join("_config.yml"));
    match site.config.url.as_deref() {
        // A note, not a problem: a site is fine to write and preview before it has an address,
        // and a placeholder url would put a wrong domain into every feed.
        None => checkup.push(
            Verdict::Note,
            format!(
                "{config}: no `url` yet, so feeds (jekyll-feed, `carnet export --format jsonfeed`) \
                 cannot give absolute links; add the site's address before publishing, \
                 e.g. url: \"https://example.org\""
            ),
        ),
        Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => checkup.push(
            Verdict::Problem,
            format!(
                "{config}: url `{url}` is not absolute; write it with its scheme, e.g. https://{}",
                url.trim_start_matches('/')
            ),
        ),
        Some(url) => checkup.push(Verdict::Ok, format!("url {url}: feeds get absolute links")),
    }
    let baseurl = &site.config.baseurl;
    if !baseurl.is_empty() && !baseurl.starts_with('/') {
        checkup.push(
            Verdict::Problem,
            format!("{config}: baseurl `{baseurl}` must start with `/` (baseurl: \"/{baseurl}\")"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_folders_follow_jekyll() {
        assert!(in_posts_folder("_posts/notes.txt"));
        assert!(in_posts_folder("voyages/_posts/2018/a.md"));
        assert!(!in_posts_folder("_drafts/a.md"));
        assert!(!in_posts_folder("_site/_posts/a.md"));
        assert!(!in_posts_folder("about.md"));
        assert!(!in_posts_folder("_posts"));
    }

    #[test]
    fn near_misses_squeeze_to_the_separator() {
        assert_eq!(squeeze("<!-- More -->"), squeeze("<!--more-->"));
        assert_ne!(squeeze("<!-- break -->"), squeeze("<!--more-->"));
    }
}
