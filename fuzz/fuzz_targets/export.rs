//! `carnet export` in memory: an arbitrary post, beside a fixed one it may link to, goes through
//! the export's own pipeline (date and permalink, the Liquid pass, Markdown with highlighting or
//! sanitizing, the JSON document, the JSON Feed, the HTML site's pages and Atom feed, a standalone
//! page). Nothing may panic; the built-in templates must render; the JSON must parse back to the
//! same values; the Atom feed may hold only its own elements and no character XML forbids; the
//! site's files must be distinct paths inside the output folder, with no `<script` that does not
//! come from a post's body.

#![no_main]

mod common;

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use carnet::post::Post;
use carnet::render::dir::safe_relative;
use carnet::render::html::{self, Templates};
use carnet::render::{feed, json, prepare_posts, Export, Options, SiteInfo};
use carnet::site::SourceFile;
use libfuzzer_sys::fuzz_target;
use serde_json::Value as Json;

/// A post already in the site, for `{% post_url 2019-01-01-other %}`, shared tags and colliding URLs.
const OTHER: &str =
    "---\ntitle: \"L'autre <b>\"\ntags: [fuzz, été]\ncategories: voyages\n---\nHello <!--more--> world.\n";

/// Elements the Atom feed writes: any other `<` in it is markup that escaped from a value.
const ATOM_ELEMENTS: &[&str] = &[
    "?xml",
    "feed",
    "generator",
    "title",
    "subtitle",
    "link",
    "id",
    "updated",
    "author",
    "name",
    "entry",
    "published",
    "category",
    "summary",
    "content",
];

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| Templates::load(None).expect("the built-in templates load"))
}

fn other() -> Post {
    let file = SourceFile {
        rel: "_posts/2019-01-01-other.md".to_string(),
        path: "/blog/_posts/2019-01-01-other.md".into(),
        kind: carnet::site::Kind::Post,
    };
    Post::from_text(file, OTHER.to_string(), common::site())
}

fuzz_target!(|data: &[u8]| {
    // Pages reach an export only when named, and `export` refuses to name them: read the bytes
    // as a post, a post in a category folder, a draft or a post without a date in its name.
    let selector = [0, 1, 2, 4][data.len() % 4];
    let Ok(post) = Post::from_bytes(common::file(selector), data.to_vec(), common::site()) else {
        return;
    };
    let flags = data.len() / 4;
    let options = Options {
        drafts: true,
        future: true,
        unpublished: true,
        named: Vec::new(),
        base_url: None,
        highlight: flags % 2 == 0,
        sanitize: flags % 3 == 0,
        now: common::settings().now,
    };
    let site = common::site();
    let info = SiteInfo::new(&site.config, None).expect("the fixed config has a valid url");
    let Ok(export) = prepare_posts(site, info, vec![post, other()], &[], &options, &|| {}) else {
        return;
    };
    check_json(&export);
    check_feeds(&export);
    check_site(&export);
});

/// The JSON document parses back, holds every post with its title, and has no raw `<`, `>`, `&`.
fn check_json(export: &Export) {
    let bytes = json::to_vec(&json::document(export));
    assert!(
        !bytes.iter().any(|b| matches!(b, b'<' | b'>' | b'&')),
        "the JSON document is not HTML-safe"
    );
    let parsed: Json = serde_json::from_slice(&bytes).expect("the JSON document parses");
    let posts = parsed["posts"].as_array().expect("posts is a list");
    assert_eq!(posts.len(), export.posts.len());
    for (json, entry) in posts.iter().zip(&export.posts) {
        assert_eq!(json["title"].as_str(), Some(entry.title.as_str()));
        assert_eq!(
            json["content_html"].as_str(),
            Some(entry.rendered.content_html.as_str())
        );
        assert!(json["front_matter"].is_object());
    }
}

/// The JSON Feed parses back to itself; the Atom feed holds only its elements and legal characters.
fn check_feeds(export: &Export) {
    let feed = feed::json_feed(export, 10);
    let text = serde_json::to_vec(&feed).expect("a JSON value serializes");
    let back: Json = serde_json::from_slice(&text).expect("the JSON Feed parses");
    assert_eq!(back, feed);

    let atom = feed::atom(export, 10);
    for c in atom.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r') || !(c < ' ' || c == '\u{fffe}' || c == '\u{ffff}'),
            "the Atom feed holds {c:?}, which XML 1.0 forbids"
        );
    }
    for (i, _) in atom.match_indices('<') {
        let tag = atom[i + 1..].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '?')
            .collect();
        assert!(
            ATOM_ELEMENTS.contains(&name.as_str()),
            "markup `<{name}` in the Atom feed: {}",
            &atom[i..(i + 80).min(atom.len())]
        );
    }
    assert_eq!(
        atom.matches("<entry>").count(),
        export.posts.len().min(10),
        "one Atom entry per post"
    );
}

/// `<script` openings in `html`, in any case.
fn scripts(html: &str) -> usize {
    html.to_ascii_lowercase().matches("<script").count()
}

/// The HTML site renders with the built-in templates, into distinct safe paths; so does a post's
/// standalone page. Only the posts' rendered bodies are inserted unescaped, so no page holds more
/// `<script` than all of them together: one more would be a front-matter value left unescaped.
fn check_site(export: &Export) {
    let allowed: usize = export
        .posts
        .iter()
        .map(|e| scripts(&e.rendered.content_html) + scripts(&e.rendered.excerpt_html))
        .sum();
    let Ok(plan) = html::Plan::new(export, 1) else {
        return;
    };
    let written = Mutex::new(HashSet::new());
    let settings = html::Limits {
        per_page: 1,
        feed_limit: 10,
    };
    html::write_site(
        export,
        templates(),
        settings,
        &plan,
        &|rel, bytes| {
            safe_relative(rel).expect("every page lies inside the output folder");
            let page = String::from_utf8_lossy(bytes);
            assert!(scripts(&page) <= allowed, "{rel}: a value escaped its escaping");
            let fresh = written.lock().expect("no panic holds the lock").insert(rel.to_string());
            assert!(fresh, "{rel} is written twice");
            Ok(())
        },
        &|| {},
    )
    .expect("the built-in templates render every page");
    if !export.posts.is_empty() {
        let page =
            html::standalone(export, templates(), 0, false).expect("the standalone page renders");
        assert!(scripts(&page) <= allowed, "the standalone page: a value escaped its escaping");
    }
}
