//! Post URLs from Jekyll permalink styles and patterns (`:year`, `:title`, `:categories`, ...).

use std::collections::HashSet;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

/// What a permalink pattern can refer to.
#[derive(Debug, Clone)]
pub struct UrlParts<'a> {
    /// The post's date, in the site's zone.
    pub date: DateTime<FixedOffset>,
    /// The post's categories, in order.
    pub categories: &'a [String],
    /// The slug: front matter `slug`, else the file name's title part.
    pub slug: &'a str,
    /// `.html` for Markdown posts.
    pub output_ext: &'a str,
    /// The collection's name (`posts` for posts).
    pub collection: &'a str,
    /// The path inside the collection's folder without extension, from a `/` (`/guides/setup`).
    pub path: &'a str,
    /// The file name without extension, date included.
    pub basename: &'a str,
}

/// Expands a named style (`date`, `pretty`, `ordinal`, `weekdate`, `none`) to its pattern.
pub fn pattern_for(style: &str) -> &str {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    }
}

/// Jekyll's `add_permalink_suffix`: the ending a default template takes from the site's style.
pub fn with_suffix(template: &str, site_style: &str) -> String {
    let mut template = template.to_string();
    match site_style {
        "pretty" => template.push('/'),
        "date" | "ordinal" | "none" => template.push_str(":output_ext"),
        custom => {
            if custom.ends_with('/') {
                template.push('/');
            }
            if custom.ends_with(":output_ext") {
                template.push_str(":output_ext");
            }
        }
    }
    template
}

/// Fills a page's or static file's template the way Jekyll fills one from a hash: the names given
/// are replaced, any other `:name` stays as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!(":{name}"), value);
    }
    sanitize_jekyll(&out)
}

/// Jekyll's `URL#sanitize_url`: a leading `/`, `..` made `/`, `./` dropped, slashes squeezed.
pub fn sanitize_jekyll(url: &str) -> String {
    let url = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// An unknown `:name` in a permalink pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown placeholder `:{0}` in permalink")]
pub struct UnknownPlaceholder(pub String);

/// Builds the URL path of a post from a pattern or named style, escaped as Jekyll escapes it.
pub fn url(style: &str, parts: &UrlParts) -> Result<String, UnknownPlaceholder> {
    expand(pattern_for(style), parts)
}

/// Builds a URL path from a pattern taken as written (a collection's template, a document's
/// `permalink:`), escaped as Jekyll escapes it.
pub fn expand(pattern: &str, parts: &UrlParts) -> Result<String, UnknownPlaceholder> {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(colon) = rest.find(':') {
        out.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let name = &after[..len];
        let value = placeholder(name, parts)
            .or_else(|| name.strip_suffix('_').and_then(|n| placeholder(n, parts)))
            .ok_or_else(|| UnknownPlaceholder(name.to_string()))?;
        escape_path_into(&value, &mut out);
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(sanitize(&out))
}

/// Whether a pattern refers to the date (a document without one cannot have its URL).
pub fn uses_date(pattern: &str) -> bool {
    const DATE_PARTS: &[&str] = &[
        "year",
        "short_year",
        "month",
        "i_month",
        "short_month",
        "long_month",
        "day",
        "i_day",
        "y_day",
        "week",
        "w_year",
        "w_day",
        "short_day",
        "long_day",
        "hour",
        "minute",
        "second",
    ];
    pattern.split(':').skip(1).any(|after| {
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        DATE_PARTS.contains(&name) || DATE_PARTS.contains(&name.trim_end_matches('_'))
    })
}

fn placeholder(name: &str, parts: &UrlParts) -> Option<String> {
    let d = parts.date;
    Some(match name {
        "year" => format!("{:04}", d.year()),
        "short_year" => format!("{:02}", d.year() % 100),
        "month" => format!("{:02}", d.month()),
        "i_month" => d.month().to_string(),
        "short_month" => d.format("%b").to_string(),
        "long_month" => d.format("%B").to_string(),
        "day" => format!("{:02}", d.day()),
        "i_day" => d.day().to_string(),
        "y_day" => format!("{:03}", d.ordinal()),
        "week" => format!("{:02}", d.iso_week().week()),
        "w_year" => d.iso_week().year().to_string(),
        "short_day" => d.format("%a").to_string(),
        "long_day" => d.format("%A").to_string(),
        "hour" => format!("{:02}", d.hour()),
        "minute" => format!("{:02}", d.minute()),
        "second" => format!("{:02}", d.second()),
        "title" => slugify_jekyll(parts.slug, SlugMode::Pretty, true),
        "slug" => slugify_jekyll(parts.slug, SlugMode::Default, false),
        "name" => slugify_jekyll(parts.basename, SlugMode::Default, false),
        "collection" => parts.collection.to_string(),
        "path" => parts.path.to_string(),
        "w_day" => d.weekday().number_from_monday().to_string(),
        "categories" => {
            let mut seen = HashSet::with_capacity(parts.categories.len());
            let mut kept: Vec<String> = Vec::with_capacity(parts.categories.len());
            for c in parts.categories {
                let c = c.to_lowercase();
                if seen.insert(c.clone()) {
                    kept.push(c);
                }
            }
            kept.join("/")
        }
        "output_ext" => parts.output_ext.to_string(),
        _ => return None,
    })
}

/// Jekyll's slugify modes used by permalinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugMode {
    /// Any run of characters other than letters and digits becomes `-`.
    Default,
    /// Like default, but keeps `._~!$&'()+,;=@`.
    Pretty,
}

/// Jekyll's `Utils.slugify`: Unicode letters and digits survive, other runs become one hyphen.
pub fn slugify_jekyll(text: &str, mode: SlugMode, cased: bool) -> String {
    let keep =
        |c: char| c.is_alphanumeric() || (mode == SlugMode::Pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if keep(c) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    if cased {
        out
    } else {
        out.to_lowercase()
    }
}

/// Percent-encodes what a URL path cannot hold (spaces, non-ASCII), keeping `/` and sub-delimiters.
pub fn escape_path_into(value: &str, out: &mut String) {
    for byte in value.bytes() {
        let c = byte as char;
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// Decodes `%XX` escapes in a URL path (for mapping URLs back to files).
pub fn unescape_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Collapses repeated slashes, drops `.` and `..` segments, and makes the path absolute.
fn sanitize(url: &str) -> String {
    let trailing = url.ends_with('/');
    let segments: Vec<&str> = url
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    let mut out = String::with_capacity(url.len() + 1);
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if trailing || segments.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(categories: &'a [String], slug: &'a str) -> UrlParts<'a> {
        UrlParts {
            date: DateTime::parse_from_rfc3339("2017-06-22T10:30:00+02:00").unwrap(),
            categories,
            slug,
            output_ext: ".html",
            collection: "posts",
            path: "/2017-06-22-x",
            basename: "2017-06-22-x",
        }
    }

    #[test]
    fn named_styles() {
        let cats = vec!["Good_Job".to_string(), "web".to_string()];
        let p = parts(&cats, "intercotour");
        assert_eq!(
            url("date", &p).unwrap(),
            "/good_job/web/2017/06/22/intercotour.html"
        );
        assert_eq!(
            url("pretty", &p).unwrap(),
            "/good_job/web/2017/06/22/intercotour/"
        );
        assert_eq!(
            url("ordinal", &p).unwrap(),
            "/good_job/web/2017/173/intercotour.html"
        );
        assert_eq!(url("none", &p).unwrap(), "/good_job/web/intercotour.html");
    }

    #[test]
    fn custom_patterns_and_empty_categories() {
        let p = parts(&[], "Hello World");
        assert_eq!(
            url("/blog/:year/:slug/", &p).unwrap(),
            "/blog/2017/hello-world/"
        );
        assert_eq!(
            url("/:categories/:title:output_ext", &p).unwrap(),
            "/Hello-World.html"
        );
        assert_eq!(url("/:bogus/", &p), Err(UnknownPlaceholder("bogus".into())));
    }

    #[test]
    fn collection_placeholders() {
        let p = UrlParts {
            collection: "docs",
            path: "/guides/Set up",
            basename: "Set up",
            ..parts(&[], "Set up")
        };
        assert_eq!(
            expand("/:collection/:path/", &p).unwrap(),
            "/docs/guides/Set%20up/"
        );
        assert_eq!(
            expand("/:collection/:name:output_ext", &p).unwrap(),
            "/docs/set-up.html"
        );
        assert_eq!(expand("/:collection/:title/", &p).unwrap(), "/docs/Set-up/");
        assert_eq!(expand("pretty", &p).unwrap(), "/pretty");
        assert!(uses_date("/:year/:title/") && uses_date("/:i_month_/"));
        assert!(!uses_date("/:collection/:path/"));
    }

    #[test]
    fn templates_filled_from_a_hash() {
        assert_eq!(
            with_suffix("/:path/:basename", "date"),
            "/:path/:basename:output_ext"
        );
        assert_eq!(
            with_suffix("/:path/:basename", ":title"),
            "/:path/:basename"
        );
        assert_eq!(
            with_suffix("/:path/:basename", "/:year/:title/"),
            "/:path/:basename/"
        );
        let page = [("path", ""), ("basename", "about"), ("output_ext", ".html")];
        assert_eq!(fill("/:path/:basename:output_ext", &page), "/about.html");
        assert_eq!(fill("/:path/:basename/", &page), "/about/");
        assert_eq!(fill("/:year/x/", &page), "/:year/x/");
        assert_eq!(sanitize_jekyll("a//b/./c"), "/a/b/c");
    }

    #[test]
    fn traversal_segments_are_dropped() {
        let p = parts(&[], "x");
        assert_eq!(url("/../../:title/", &p).unwrap(), "/x/");
    }

    #[test]
    fn non_ascii_is_escaped_and_unescaped() {
        let p = parts(&[], "été");
        let u = url("/:title/", &p).unwrap();
        assert_eq!(u, "/%C3%A9t%C3%A9/");
        assert_eq!(unescape_path(&u), "/été/");
    }

    #[test]
    fn jekyll_slugify() {
        assert_eq!(
            slugify_jekyll("Hello, World!", SlugMode::Default, false),
            "hello-world"
        );
        assert_eq!(
            slugify_jekyll("Hello, World!", SlugMode::Pretty, true),
            "Hello,-World!"
        );
        assert_eq!(
            slugify_jekyll("Café  crème", SlugMode::Default, false),
            "café-crème"
        );
    }
}
