//! Feeds: JSON Feed 1.1 (`--format jsonfeed`) and Atom 1.0 (the HTML site's `feed.xml`).

use std::fmt::Write as _;

use serde_json::{json, Map, Value as Json};

use super::{Export, ExportedPost};
use crate::escape::xml;

/// The JSON Feed document of the newest `limit` posts.
pub fn json_feed(export: &Export, limit: usize) -> Json {
    let site = &export.site;
    let mut feed = Map::new();
    feed.insert("version".into(), json!("https://jsonfeed.org/version/1.1"));
    feed.insert("title".into(), json!(feed_title(export)));
    if site.url.is_some() {
        feed.insert("home_page_url".into(), json!(site.absolute("/")));
        feed.insert("feed_url".into(), json!(site.absolute("/feed.json")));
    }
    if let Some(description) = &site.description {
        feed.insert("description".into(), json!(description));
    }
    if let Some(lang) = &site.lang {
        feed.insert("language".into(), json!(lang));
    }
    if let Some(author) = &site.author {
        feed.insert("authors".into(), json!([{ "name": author }]));
    }
    let items: Vec<Json> = export
        .posts
        .iter()
        .take(limit)
        .map(|entry| {
            let url = site.absolute(&entry.url);
            let mut item = Map::new();
            item.insert("id".into(), json!(url));
            item.insert("url".into(), json!(url));
            item.insert("title".into(), json!(entry.title));
            item.insert("content_html".into(), json!(entry.rendered.content_html));
            let summary = html_to_text(&entry.rendered.excerpt_html);
            if !summary.is_empty() {
                item.insert("summary".into(), json!(summary));
            }
            item.insert("date_published".into(), json!(entry.date.to_rfc3339()));
            if !entry.post.data.tags.is_empty() {
                item.insert("tags".into(), json!(entry.post.data.tags));
            }
            Json::Object(item)
        })
        .collect();
    feed.insert("items".into(), Json::Array(items));
    Json::Object(feed)
}

fn feed_title(export: &Export) -> String {
    export
        .site
        .title
        .clone()
        .unwrap_or_else(|| "Posts".to_string())
}

/// The Atom 1.0 feed of the newest `limit` posts.
pub fn atom(export: &Export, limit: usize) -> String {
    let site = &export.site;
    let mut out = String::with_capacity(4096);
    let home = site.absolute("/");
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    if let Some(lang) = &site.lang {
        let _ = write!(out, " xml:lang=\"{}\"", xml(lang));
    }
    out.push_str(">\n");
    let _ = writeln!(
        out,
        "  <generator version=\"{}\">carnet</generator>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "  <title>{}</title>", xml(&feed_title(export)));
    if let Some(description) = &site.description {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", xml(description));
    }
    let _ = writeln!(
        out,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        xml(&site.absolute("/feed.xml"))
    );
    let _ = writeln!(
        out,
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
        xml(&home)
    );
    let _ = writeln!(out, "  <id>{}</id>", xml(&home));
    let updated = export
        .posts
        .iter()
        .take(limit)
        .map(|e| e.date)
        .max()
        .map_or_else(
            || "1970-01-01T00:00:00+00:00".to_string(),
            |d| d.to_rfc3339(),
        );
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let author = site.author.clone().unwrap_or_else(|| feed_title(export));
    let _ = writeln!(out, "  <author><name>{}</name></author>", xml(&author));
    for entry in export.posts.iter().take(limit) {
        atom_entry(&mut out, export, entry);
    }
    out.push_str("</feed>\n");
    out
}

fn atom_entry(out: &mut String, export: &Export, entry: &ExportedPost) {
    let url = export.site.absolute(&entry.url);
    let date = entry.date.to_rfc3339();
    out.push_str("  <entry>\n");
    let _ = writeln!(
        out,
        "    <title type=\"text\">{}</title>",
        xml(&entry.title)
    );
    let _ = writeln!(
        out,
        "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
        xml(&url)
    );
    let _ = writeln!(out, "    <id>{}</id>", xml(&url));
    let _ = writeln!(out, "    <published>{date}</published>");
    let _ = writeln!(out, "    <updated>{date}</updated>");
    for term in entry
        .post
        .data
        .categories
        .iter()
        .chain(&entry.post.data.tags)
    {
        let _ = writeln!(out, "    <category term=\"{}\"/>", xml(term));
    }
    if !entry.rendered.excerpt_html.is_empty() {
        let _ = writeln!(
            out,
            "    <summary type=\"html\">{}</summary>",
            xml(&entry.rendered.excerpt_html)
        );
    }
    let _ = writeln!(
        out,
        "    <content type=\"html\" xml:base=\"{}\">{}</content>",
        xml(&url),
        xml(&entry.rendered.content_html)
    );
    out.push_str("  </entry>\n");
}

/// The text of an HTML fragment: tags dropped, common entities decoded, whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        if is_block_tag(&rest[open + 1..open + close]) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let decoded = decode_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags that separate words: blocks and line breaks.
fn is_block_tag(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "p" | "br"
            | "li"
            | "ul"
            | "ol"
            | "div"
            | "pre"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "hr"
            | "section"
            | "dd"
            | "dt"
    )
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_drops_forbidden_characters() {
        assert_eq!(
            xml("<a href=\"x\">'&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn text_of_html() {
        assert_eq!(
            html_to_text(
                "<p>Un <em>œil</em> &amp; l&#39;au<b>tre</b> !</p><p>Fin &#x2192; &bogus;</p>"
            ),
            "Un œil & l'autre ! Fin → &bogus;"
        );
    }
}
