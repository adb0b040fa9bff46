//! URLs that cannot work (`malformed-url`), that go over plain HTTP (`insecure-link`), or that are
//! written as plain text (`bare-url`).

use rustc_hash::FxHashSet;
use std::ops::Range;

use super::scan::{
    looks_like_url, scheme, starts_with_ignore_case, Claimed, Text, MAX_DESTINATION,
};
use super::{BARE_EMAIL, BARE_URL, INSECURE_LINK, MALFORMED_URL};
use crate::lint::document::{escaped, in_ranges, LinkKind};
use crate::lint::Checker;
use crate::liquid::has_markup;
use crate::markdown::Dialect;

/// `malformed-url` and `insecure-link` over the links comrak parsed.
pub fn parsed(checker: &mut Checker, text: &Text) {
    let doc = text.doc;
    // A definition's destination is checked once, at the definition, where it is written and fixed.
    let mut defined: FxHashSet<&str> = FxHashSet::default();
    for def in &doc.definitions {
        if in_ranges(&doc.liquid_blocks, def.span.start) {
            continue;
        }
        defined.insert(&def.key);
        if let Some(problem) = malformed(&def.url) {
            checker.report(&MALFORMED_URL, def.span.clone(), problem);
        }
    }
    for link in &doc.links {
        let from_definition = link
            .label
            .as_deref()
            .is_some_and(|label| defined.contains(label));
        if let Some(problem) = malformed(&link.url).filter(|_| !from_definition) {
            checker.report(&MALFORMED_URL, link.span.clone(), problem);
        }
        if let Some(host) = insecure_host(&link.url) {
            let what = if link.kind == LinkKind::Image {
                "image"
            } else {
                "link"
            };
            checker.report(
                &INSECURE_LINK,
                link.span.clone(),
                format!("{what} to {host} over plain http://; use https:// if the site serves it"),
            );
        }
    }
}

/// What is wrong with a destination, when something is.
pub fn malformed(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.starts_with(['#', '/', '?', '.']) || has_markup(url) {
        return None;
    }
    for bare in ["http//", "https//"] {
        if starts_with_ignore_case(url, bare) {
            let scheme = &url[..bare.len() - 2];
            return Some(format!(
                "`{url}` lacks the colon after `{scheme}`: browsers read it as a path on this site"
            ));
        }
    }
    let Some(name) = scheme(url) else {
        return schemeless_host(url).map(|host| {
            format!(
                "`{url}` has no scheme, so browsers read it as a path on this site, not as the host \
                 `{host}`; write `https://{url}`"
            )
        });
    };
    let rest = &url[name.len() + 1..];
    if !(name.eq_ignore_ascii_case("http") || name.eq_ignore_ascii_case("https")) {
        return (rest.starts_with('/') && is_http_typo(name))
            .then(|| format!("unknown scheme `{name}:` in `{url}`; did you mean `https:`?"));
    }
    let Some(after) = rest.strip_prefix("//") else {
        let slashes = if rest.starts_with('/') {
            "one slash"
        } else {
            "no slashes"
        };
        return Some(format!(
            "`{url}` has {slashes} after `{name}:`; a web address needs `{name}://`"
        ));
    };
    if starts_with_ignore_case(after, "http:") || starts_with_ignore_case(after, "https:") {
        return Some(format!("`{url}` repeats the scheme"));
    }
    let host = host_of(after);
    if host.is_empty() {
        return Some(format!("`{url}` has no host name after `{name}://`"));
    }
    if has_whitespace(url) {
        return Some(format!("`{url}` contains a space; write it as `%20`"));
    }
    None
}

/// The host after `scheme://`: the authority up to `/`, `?` or `#`, without user information
/// (`user@`) or port (`:8080`; an IPv6 literal in brackets is kept whole). One pass over bytes:
/// URLs are short, and most posts hold dozens.
fn host_of(after: &str) -> &str {
    let bytes = after.as_bytes();
    let mut end = bytes.len();
    let mut user_end = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'/' | b'?' | b'#' => {
                end = i;
                break;
            }
            b'@' => user_end = Some(i),
            _ => {}
        }
    }
    let host = user_end.map_or(&after[..end], |at| &after[at + 1..end]);
    if host.starts_with('[') {
        return host;
    }
    host.bytes()
        .position(|b| b == b':')
        .map_or(host, |i| &host[..i])
}

/// `str::contains(char::is_whitespace)`, with the character-by-character test only for text that
/// holds a byte that could start whitespace: most URLs are cleared by one pass over their bytes.
fn has_whitespace(text: &str) -> bool {
    // No early exit, so that the loop vectorizes: a space, a control character or a byte of a
    // longer character sends the text to the exact test.
    let plain = text
        .bytes()
        .fold(true, |plain, b| plain & (b > b' ' && b < 0x7f));
    !plain && text.contains(char::is_whitespace)
}

/// Last labels of host names that relative links do not end with: common top-level domains, without
/// those that are also extensions of files a post links to (`.md`, `.sh`, `.py`, `.pl`, `.rs`).
const TOP_LEVEL_DOMAINS: &[&str] = &[
    "com",
    "org",
    "net",
    "edu",
    "gov",
    "mil",
    "int",
    "io",
    "dev",
    "app",
    "co",
    "me",
    "info",
    "biz",
    "xyz",
    "tech",
    "blog",
    "page",
    "site",
    "online",
    "cloud",
    "ai",
    "tv",
    "fm",
    "ly",
    "gl",
    "gg",
    "to",
    "im",
    "ws",
    "news",
    "wiki",
    "social",
    "works",
    "studio",
    "design",
    "codes",
    "tools",
    "software",
    "systems",
    "engineering",
    "space",
    "website",
    "zone",
    "club",
    "world",
    "today",
    "live",
    "art",
    "eu",
    "fr",
    "de",
    "uk",
    "nl",
    "be",
    "ch",
    "at",
    "it",
    "es",
    "pt",
    "se",
    "no",
    "dk",
    "fi",
    "is",
    "ie",
    "cz",
    "sk",
    "ru",
    "ua",
    "jp",
    "cn",
    "kr",
    "tw",
    "hk",
    "sg",
    "in",
    "id",
    "br",
    "ar",
    "mx",
    "cl",
    "ca",
    "us",
    "au",
    "nz",
    "za",
    "il",
    "tr",
    "gr",
    "hu",
    "ro",
    "bg",
    "hr",
    "si",
    "lt",
    "lv",
    "ee",
    "lu",
];

/// Extensions of files that posts link to relatively and that are top-level domains too.
const LINKED_FILE_EXTENSIONS: &[&str] = &["md", "sh", "py", "pl", "rs", "cc", "so", "ps", "mk"];

/// The host a scheme-less destination starts with (`www.example.org/a`, `sigstore.dev`), when its
/// first segment reads as a host name rather than a relative file or folder: dotted labels ending
/// in a known top-level domain that no linked file type shares.
fn schemeless_host(url: &str) -> Option<&str> {
    let host = url.split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.last()?.to_ascii_lowercase();
    let host_like = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && TOP_LEVEL_DOMAINS.contains(&last.as_str())
        && !LINKED_FILE_EXTENSIONS.contains(&last.as_str());
    (host_like || starts_with_ignore_case(host, "www.") && labels.len() >= 3).then_some(host)
}

/// Whether a scheme is one typo away from `http` or `https` (`htp`, `htps`, `hhttp`, `ttps`).
fn is_http_typo(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.len() <= 7
        && name != "http"
        && name != "https"
        && (distance(&name, "http") <= 1 || distance(&name, "https") <= 1)
}

/// Edit distance with adjacent transpositions (optimal string alignment), for short ASCII words.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The host of an `http://` URL that could be served over https (not a local address).
fn insecure_host(url: &str) -> Option<&str> {
    let url = url.trim();
    if !starts_with_ignore_case(url, "http://") {
        return None;
    }
    let authority = url[7..].split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let name = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let local = name.is_empty()
        || name == "localhost"
        || name.ends_with(".localhost")
        || name.ends_with(".local")
        || name.starts_with("127.")
        || name == "0.0.0.0"
        || host.starts_with("[::1]");
    (!local).then_some(host)
}

/// `malformed-url` for `[text](...)` that comrak did not parse as a link: a space in the URL or
/// unbalanced parentheses; the spans found are added to `claimed`.
pub fn unparsed(checker: &mut Checker, text: &Text, claimed: &mut Claimed) {
    let bytes = text.bytes;
    for q in text.find_all(b"](") {
        if !text.prose(q) || !text.prose(q + 1) || escaped(bytes, q) {
            continue;
        }
        let Some(open) = text.open_bracket(q) else {
            continue;
        };
        let start = text.construct_start(open);
        if claimed.contains(start) {
            continue;
        }
        let line_end = text.line_end(q);
        let mut dest_start = q + 2;
        while dest_start < line_end && matches!(bytes[dest_start], b' ' | b'\t') {
            dest_start += 1;
        }
        let Some((i, closed)) = text.destination_end(dest_start) else {
            continue;
        };
        let dest = &text.text[dest_start..i];
        // A Liquid tag running over two lines breaks the link for Markdown but not for Jekyll, which
        // replaces the tag first.
        if closed || dest.starts_with(['<', '{']) || !looks_like_url(dest) {
            continue;
        }
        let (end, problem) = if i < line_end {
            let rest = text.text[i..line_end].trim_start();
            if rest.starts_with(['"', '\'', '(']) {
                continue;
            }
            match text.text[i..line_end].find(')') {
                Some(n) => (
                    i + n + 1,
                    "URL contains a space, so Markdown does not read this as a link; write it as `%20`",
                ),
                None => (line_end, "link is never closed with `)`, so Markdown prints it as text"),
            }
        } else if let Some(close) = wrapped_close(text, dest, line_end) {
            (
                close,
                "URL broken across two lines, so Markdown prints this link as text; join it on one line",
            )
        } else {
            (
                line_end,
                "unbalanced parentheses in the URL, so Markdown prints this link as text; write `(` as `%28` and `)` as `%29`",
            )
        };
        let span = start..end;
        claimed.push(span.clone());
        checker.report(&MALFORMED_URL, span, problem);
    }
}

/// Where a destination cut at `line_end` closes on the next line, when it does: the `)` that ends the
/// link comes after more URL on the following line, with no space before it.
fn wrapped_close(text: &Text, dest: &str, line_end: usize) -> Option<usize> {
    let bytes = text.bytes;
    let mut next = line_end;
    if bytes.get(next) == Some(&b'\r') {
        next += 1;
    }
    if bytes.get(next) != Some(&b'\n') {
        return None;
    }
    next += 1;
    while bytes.get(next).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        next += 1;
    }
    let opened = dest.bytes().filter(|&b| b == b'(').count();
    let closed = dest.bytes().filter(|&b| b == b')').count();
    let mut depth = opened.checked_sub(closed)?;
    let end = text.line_end(next).min(next + MAX_DESTINATION);
    for (i, &b) in bytes[next..end].iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => return (i > 0).then_some(next + i + 1),
            b')' => depth -= 1,
            b' ' | b'\t' => return None,
            _ => {}
        }
    }
    None
}

/// `bare-url`: `http://` and `https://` URLs in prose, outside links, definitions and the constructs
/// other link rules reported (`claimed`).
pub fn bare(checker: &mut Checker, text: &Text, claimed: &Claimed) {
    let renderer = text_renderer(checker);
    if !checker.enabled(&BARE_URL) || renderer.is_none() && !checker.settings.chosen(&BARE_URL) {
        return;
    }
    let bytes = text.bytes;
    let definitions: Vec<Range<usize>> = text
        .doc
        .definitions
        .iter()
        .map(|d| d.span.clone())
        .collect();
    let anchors = anchors(text);
    let mut last_end = 0;
    for sep in text.find_all(b"://") {
        let start = sep
            - bytes[..sep]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
        let name = &text.text[start..sep];
        if !(name.eq_ignore_ascii_case("http") || name.eq_ignore_ascii_case("https")) {
            continue;
        }
        if start < last_end
            || start < text.body_start
            || start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'<')
            || !bytes
                .get(sep + 3)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'[')
            || !text.prose(start)
            || in_ranges(&definitions, start)
            || after_label(text, start)
            || in_ranges(&anchors, start)
            || claimed.contains(start)
        {
            continue;
        }
        let end = url_end(bytes, start);
        last_end = end;
        checker.report(
            &BARE_URL,
            start..end,
            match renderer {
                Some(renderer) => format!(
                    "bare URL `{}`: {renderer} prints it as plain text, not a link; write it as `<...>` or a link",
                    &text.text[start..end]
                ),
                None => format!(
                    "bare URL `{}`: this site's CommonMark links it, other Markdown processors print it as text; write it as `<...>` or a link",
                    &text.text[start..end]
                ),
            },
        );
    }
}

/// The site's Markdown converter when it prints bare URLs and addresses as text (kramdown, CommonMark
/// without the `autolink` extension); `None` when it links them.
fn text_renderer(checker: &Checker) -> Option<&'static str> {
    let config = &checker.site.config;
    if config.links_bare_urls() {
        None
    } else if matches!(config.markdown, Dialect::CommonMark(_)) {
        Some("CommonMark without the `autolink` extension")
    } else {
        Some("kramdown")
    }
}

/// File extensions that follow an `@` in names such as `logo@2x.png`, which are not e-mail domains.
const NOT_EMAIL_DOMAINS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "html", "htm", "md", "js",
    "css", "json", "xml", "txt", "zip", "gz", "mp4", "webm", "mp3",
];

/// `bare-email`: e-mail addresses in prose, outside code, links, autolinks, HTML, definitions and the
/// constructs other link rules reported (`claimed`).
pub fn bare_emails(checker: &mut Checker, text: &Text, claimed: &Claimed) {
    let renderer = text_renderer(checker);
    if !checker.enabled(&BARE_EMAIL) || renderer.is_none() && !checker.settings.chosen(&BARE_EMAIL)
    {
        return;
    }
    let definitions: Vec<Range<usize>> = text
        .doc
        .definitions
        .iter()
        .map(|d| d.span.clone())
        .collect();
    let anchors = anchors(text);
    let mut last_end = 0;
    for at in text.find_all(b"@") {
        if at < last_end
            || !text.prose(at)
            || in_ranges(&definitions, at)
            || in_ranges(&anchors, at)
            || claimed.contains(at)
        {
            continue;
        }
        let Some(span) = email_at(text, at) else {
            continue;
        };
        if after_label(text, span.start) {
            continue;
        }
        last_end = span.end;
        let address = &text.text[span.clone()];
        let message = match renderer {
            Some(renderer) => format!(
                "bare e-mail address `{address}`: {renderer} prints it as plain text, not a link; write `<{address}>` (a mailto: link) or `[{address}](mailto:{address})`"
            ),
            None => format!(
                "bare e-mail address `{address}`: this site's CommonMark links it, other Markdown processors print it as text; write `<{address}>` or `[{address}](mailto:{address})`"
            ),
        };
        checker.report(&BARE_EMAIL, span, message);
    }
}

/// The e-mail address around the `@` at `at`, when there is one standing on its own: not part of a
/// URL (`https://x.org/@me`, `?to=a@b.org`), a handle (`@me`), a file name (`logo@2x.png`) or a
/// git remote (`git@github.com:x/y`).
fn email_at(text: &Text, at: usize) -> Option<Range<usize>> {
    let bytes = text.bytes;
    let is_local =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let is_domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let mut start = at;
    while start > text.body_start && is_local(bytes[start - 1]) {
        start -= 1;
    }
    while start < at && matches!(bytes[start], b'.' | b'_' | b'-') {
        start += 1;
    }
    let mut end = at + 1;
    while end < bytes.len() && is_domain(bytes[end]) {
        end += 1;
    }
    while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
        end -= 1;
    }
    // `secu...@nodejs.org` hides an address rather than giving one.
    if start == at || end == at + 1 || text.text[start..at].contains("..") || bytes[at - 1] == b'.'
    {
        return None;
    }
    let labels: Vec<&str> = text.text[at + 1..end].split('.').collect();
    let last = labels.last()?;
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || last.len() < 2
        || !last.bytes().all(|b| b.is_ascii_alphabetic())
        || NOT_EMAIL_DOMAINS
            .iter()
            .any(|e| last.eq_ignore_ascii_case(e))
    {
        return None;
    }
    let before = text.text[..start].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || "/:=&?#\\`@".contains(c)) {
        return None;
    }
    let after = &bytes[end..];
    if after.first() == Some(&b'@')
        || after.first() == Some(&b':') && after.get(1).is_some_and(|b| !b.is_ascii_whitespace())
    {
        return None;
    }
    let token_start = text.text[..start]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let token = &text.text[token_start..start];
    (!token.contains("://") && !token.to_ascii_lowercase().contains("mailto:"))
        .then_some(start..end)
}

/// Whether the URL at `start` follows `[label]:` at the start of its line, as a definition's would.
fn after_label(text: &Text, start: usize) -> bool {
    let before = text.text[text.line_start(start)..start].trim_start_matches([' ', '\t', '>']);
    let before = before.trim_end_matches([' ', '\t', '<']);
    before.starts_with('[') && before.ends_with("]:")
}

/// Where a URL written in prose ends: at a space or `<`, trailing punctuation and unbalanced
/// closing brackets left out, as GitHub's autolinks do.
fn url_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start
        + bytes[start..]
            .iter()
            .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'<' | b'>' | b'"' | b'`'))
            .count();
    while let Some(&last) = bytes.get(end - 1) {
        let unbalanced = |open: u8, close: u8| {
            let url = &bytes[start..end];
            url.iter().filter(|&&b| b == close).count() > url.iter().filter(|&&b| b == open).count()
        };
        let trim = match last {
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b'\'' | b'*' | b'_' | b'~' => true,
            b')' => unbalanced(b'(', b')'),
            b']' => unbalanced(b'[', b']'),
            _ => false,
        };
        if !trim || end <= start + 1 {
            break;
        }
        end -= 1;
    }
    end
}

/// Spans from an inline `<a ...>` to its `</a>`: their text is already a link.
fn anchors(text: &Text) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open = None;
    for html in &text.doc.html {
        let tag = &text.text[html.clone()];
        if starts_with_ignore_case(tag, "<a ")
            || starts_with_ignore_case(tag, "<a>")
            || starts_with_ignore_case(tag, "<a\n")
        {
            open = Some(html.start);
        } else if starts_with_ignore_case(tag, "</a") {
            if let Some(start) = open.take() {
                out.push(start..html.end);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_destinations() {
        for url in [
            "htp://example.org",
            "htps://example.org",
            "ttps://example.org",
            "hhttp://example.org",
            "http//example.org",
            "https//example.org",
            "https:/x.org",
            "http:example.org",
            "https://",
            "https:///path",
            "https://https://x.org",
            "https://exa mple.org",
            "www.example.org",
            "sigstore.dev",
            "www.example.org/a",
            "example.org/path",
            "docs.GitHub.com/en?x=1",
            "en.wikipedia.org#History",
        ] {
            assert!(malformed(url).is_some(), "{url}");
        }
        assert_eq!(
            malformed("sigstore.dev").as_deref(),
            Some(
                "`sigstore.dev` has no scheme, so browsers read it as a path on this site, not as the \
                 host `sigstore.dev`; write `https://sigstore.dev`"
            )
        );
        for url in [
            "https://example.org",
            "HTTP://EXAMPLE.ORG/a(b)",
            "mailto:me@example.org",
            "tel:+33123456789",
            "ftp://files.example.org",
            "sftp://host/x",
            "/about/",
            "../a.md",
            "#section",
            "{{ site.baseurl }}/x",
            "{% post_url 2010-01-01-x %}",
            "relative/page.html",
            "https://user@host:8080/x",
            "http://[::1]:4000/",
            "",
            "foo.html",
            "image.png",
            "post.md",
            "README.md",
            "install.sh",
            "setup.py",
            "main.rs",
            "archive.tar.gz",
            "v1.2.3",
            "2019/01/post.html",
            "assets/example.org.png",
            "notes.txt",
            "{{ site.url }}/a.html",
            "me@example.org",
            "e.g.",
        ] {
            assert_eq!(malformed(url), None, "{url}");
        }
    }

    #[test]
    fn typo_distance() {
        assert_eq!(distance("htp", "http"), 1);
        assert_eq!(distance("htpt", "http"), 1);
        assert_eq!(distance("ftp", "http"), 2);
        assert!(!is_http_typo("ftp"));
        assert!(!is_http_typo("sftp"));
        assert!(is_http_typo("htps"));
    }

    #[test]
    fn insecure_hosts() {
        assert_eq!(insecure_host("http://example.org/x"), Some("example.org"));
        assert_eq!(insecure_host("HTTP://Example.org"), Some("Example.org"));
        assert_eq!(insecure_host("https://example.org"), None);
        assert_eq!(insecure_host("http://localhost:4000/"), None);
        assert_eq!(insecure_host("http://127.0.0.1/"), None);
    }

    #[test]
    fn url_ends() {
        fn end(s: &str) -> &str {
            &s[..url_end(s.as_bytes(), 0)]
        }
        assert_eq!(end("https://a.org/x."), "https://a.org/x");
        assert_eq!(end("https://a.org/x), more"), "https://a.org/x");
        assert_eq!(
            end("https://en.wikipedia.org/wiki/A_(b))"),
            "https://en.wikipedia.org/wiki/A_(b)"
        );
        assert_eq!(end("https://a.org/x<br>"), "https://a.org/x");
    }
}

#[cfg(test)]
mod rule_tests {
    use super::super::testing::{lint, lint_rule};

    #[test]
    fn malformed_links() {
        let body = "[a](htp://x.org) [b](http//x.org) [c](https:/x.org)\n\n[d](https://exa mple.org) and\n[e](https://x.org/a_(b)\n";
        assert_eq!(
            lint(body),
            [
                "malformed-url 1:1",
                "malformed-url 1:18",
                "malformed-url 1:35",
                "malformed-url 3:1",
                "malformed-url 4:1"
            ]
        );
    }

    #[test]
    fn well_formed_links() {
        let body = "[a](mailto:me@x.org) [b](tel:+331) [c](../a.md) [d](#x) [e]({{ site.baseurl }}/x)\n[f](https://x.org/a_(b)) [g](<https://x.org/a b>) [h]({% post_url 2010-01-01-x %})\n";
        assert_eq!(lint_rule(body, "malformed-url"), ["2:26"]);
    }

    #[test]
    fn unclosed_destinations_are_followed_only_so_far() {
        use super::super::scan::MAX_DESTINATION;
        let unclosed = |path: &str| format!("[a](https://x.org/{path}(\n");
        let near = "p".repeat(MAX_DESTINATION - 40);
        let far = "p".repeat(MAX_DESTINATION);
        assert_eq!(lint_rule(&unclosed(&near), "malformed-url"), ["1:1"]);
        assert!(lint_rule(&unclosed(&far), "malformed-url").is_empty());
        let nested = |depth: usize| format!("[a](https://x.org/{}\n", "(".repeat(depth));
        assert_eq!(lint_rule(&nested(31), "malformed-url"), ["1:1"]);
        assert!(lint_rule(&nested(33), "malformed-url").is_empty());
        // A line of unclosed links is reported once, up to its end, from the first one that is
        // followed by at most 32 others.
        assert_eq!(lint_rule(&"[a](#".repeat(5), "malformed-url"), ["1:1"]);
        assert_eq!(lint_rule(&"[a](#".repeat(50), "malformed-url"), ["1:86"]);
    }

    #[test]
    fn a_url_wrapped_across_two_lines_is_reported_as_such() {
        let body = "Read\n[the post](https://example.org/2020/a-long-\nname.html) today.\n\nAnd [x](https://x.org/a_(b)\nnext line\n";
        let (_, found) = super::super::testing::diagnostics_of(body);
        let found: Vec<(usize, usize, &str)> = found
            .iter()
            .map(|d| (d.start.line - 3, d.start.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    2,
                    1,
                    "URL broken across two lines, so Markdown prints this link as text; join it on one line"
                ),
                (
                    5,
                    5,
                    "unbalanced parentheses in the URL, so Markdown prints this link as text; write `(` as `%28` and `)` as `%29`"
                )
            ]
        );
    }

    #[test]
    fn scheme_less_hosts_are_reported_at_their_definition_or_link() {
        let body = "See [sigstore][s], [again][s], [docs](www.example.org/a) and [site](example.org/path).\n\
                    Not [a](foo.html) [b](image.png) [c](../x.md) [d](post.md) [e](/path) [f](#anchor) \
                    [g]({{ site.url }}/x) [h]({% post_url 2010-01-01-x %}) [i](docs/index.html).\n\n[s]: sigstore.dev\n";
        assert_eq!(lint_rule(body, "malformed-url"), ["1:32", "1:62", "4:1"]);
    }

    #[test]
    fn prose_in_brackets_is_not_a_broken_link() {
        let body = "[1](see above) and [note](a b) and [x](https://a.org \"title)\n";
        assert_eq!(lint_rule(body, "malformed-url"), Vec::<String>::new());
    }

    #[test]
    fn a_liquid_tag_over_two_lines_is_not_a_broken_link() {
        let body =
            "([#1]({{ site.repository\n}}/issues/1)) and [x]({% link\n_posts/2010-01-01-a.md %})\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn insecure_links() {
        let body = "[a](http://x.org) ![b](HTTP://x.org/i.png) <http://y.org> [c](http://localhost:4000/) [d](https://z.org)\n";
        assert_eq!(lint_rule(body, "insecure-link"), ["1:1", "1:19", "1:44"]);
    }

    #[test]
    fn bare_urls() {
        let body = "See https://a.org/x. Or (http://b.org/y).\n";
        assert_eq!(lint(body), ["bare-url 1:5", "bare-url 1:26"]);
    }

    #[test]
    fn urls_that_are_not_bare() {
        let body = "[https://a.org](https://a.org) <https://b.org> `https://c.org`\n\n<a href=\"https://d.org\">https://d.org</a> <!-- https://e.org -->\n\n[ref]: https://f.org\n\n```\nhttps://g.org\n```\n\n{{ \"https://h.org\" }} xhttps://i.org\n\n[see][ref]\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn urls_inside_reported_constructs_are_not_bare() {
        let body = "(text)[https://a.org] and [t] (https://b.org) and [d](https://exa mple.org)\n";
        assert_eq!(
            lint(body),
            [
                "reversed-link 1:1",
                "link-spacing 1:27",
                "malformed-url 1:51"
            ]
        );
    }

    #[test]
    fn bare_emails() {
        let body = "Write to me@example.org. Or (ann.lee+blog@mail.example.co.uk), **x_y@a.fr**.\n";
        assert_eq!(
            lint(body),
            ["bare-email 1:10", "bare-email 1:30", "bare-email 1:66"]
        );
    }

    #[test]
    fn emails_that_are_not_bare() {
        let body = "<me@example.org> [me](mailto:me@example.org) `me@example.org` @handle \
                    logo@2x.png git@github.com:a/b.git pkg@1.2.3 me@localhost secu...@x.org\n\n\
                    <a href=\"mailto:a@b.org\">a@b.org</a> <!-- c@d.org --> https://x.org/@me/post \
                    https://x.org/?to=a@b.org mailto:e@f.org\n\n[ref]: mailto:g@h.org\n\n\
                    ```\ni@j.org\n```\n\n{{ \"k@l.org\" }}\n\n[see][ref]\n";
        assert_eq!(lint_rule(body, "bare-email"), Vec::<String>::new());
    }

    #[test]
    fn urls_in_unreferenced_footnotes_are_links() {
        let body = "Text.\n\n[^x]: See [docs](https://a.org/docs).\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }
}
