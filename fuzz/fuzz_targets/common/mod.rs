//! What every target shares: a fixed in-memory site, lint settings, and a file to read the bytes as.

// Each target is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use carnet::lint::Settings;
use carnet::post::Post;
use carnet::site::date::parse_date;
use carnet::site::{Kind, Site, SiteConfig, SourceFile};

/// A site with a zone, an excerpt separator, defaults and a permalink with categories, so that
/// every rule has something to look at.
const CONFIG: &str =
    "title: Fuzz\nurl: https://example.org\nbaseurl: /blog\ntimezone: Europe/Paris\n\
excerpt_separator: <!--more-->\npermalink: /:categories/:year/:month/:day/:title:output_ext\n\
defaults:\n  - scope: {path: \"\", type: posts}\n    values: {layout: post}\n";

/// The site every input is read in.
pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| Site {
        root: "/blog".into(),
        config: SiteConfig::parse(Path::new("_config.yml"), CONFIG)
            .expect("the fixed config parses"),
    })
}

/// Every rule on, off-by-default ones included, with a fixed clock.
pub fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let now = parse_date("2024-06-01 12:00:00 +0200")
            .expect("the fixed date parses")
            .in_zone(site().config.timezone);
        let all: Vec<String> = carnet::lint::registry::RULES
            .iter()
            .map(|rule| rule.name.to_string())
            .collect();
        Settings::new(&Default::default(), &all, &[], now).expect("every rule exists")
    })
}

/// The file the bytes are read as: a post, a post in a category folder, a draft, a page, or a post
/// whose name has no date.
pub fn file(selector: usize) -> SourceFile {
    let (rel, kind) = match selector % 5 {
        0 => ("_posts/2020-02-29-fuzz.md", Kind::Post),
        1 => ("voyages/_posts/2021-07-14-été.markdown", Kind::Post),
        2 => ("_drafts/fuzz.md", Kind::Draft),
        3 => ("about.md", Kind::Page),
        _ => ("_posts/no-date.md", Kind::Post),
    };
    SourceFile {
        rel: rel.to_string(),
        path: Path::new("/blog").join(rel),
        kind,
    }
}

/// Reads `data` as a post, in a file picked by its length so that every byte stays content (and
/// the seeds, posts from the fixtures, keep their front matter).
pub fn post(data: &[u8]) -> Option<Post> {
    Post::from_bytes(file(data.len()), data.to_vec(), site()).ok()
}
