//! The site as an export presents it: title, language, and the base URL (`url` + `baseurl`, or
//! `--base-url`).

use serde_yaml::Value;

use super::ExportError;
use crate::site::SiteConfig;

/// The site as an export presents it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SiteInfo {
    /// `title`.
    pub title: Option<String>,
    /// `url` (scheme and host), without a trailing slash.
    pub url: Option<String>,
    /// `baseurl`, `""` or a path starting with `/`.
    pub baseurl: String,
    /// `lang`.
    pub lang: Option<String>,
    /// `description`.
    #[serde(skip)]
    pub description: Option<String>,
    /// `author`, or `author.name`.
    #[serde(skip)]
    pub author: Option<String>,
}

impl SiteInfo {
    /// The site's details from `_config.yml`, `--base-url` replacing `url` and `baseurl`.
    pub fn new(config: &SiteConfig, base_url: Option<&str>) -> Result<SiteInfo, ExportError> {
        let text = |key: &str| match config.raw.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Mapping(m)) => m.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        };
        let (url, baseurl) = match base_url {
            Some(given) => split_base_url(given)?,
            None => (config.url.clone(), normalize_baseurl(&config.baseurl)),
        };
        Ok(SiteInfo {
            title: config.title.clone(),
            url,
            baseurl,
            lang: config.lang.clone(),
            description: text("description"),
            author: text("author"),
        })
    }

    /// A site path (`/2017/x.html`) as a link: absolute when the site has a `url`, else from the root.
    pub fn absolute(&self, path: &str) -> String {
        format!(
            "{}{}{path}",
            self.url.as_deref().unwrap_or(""),
            self.baseurl
        )
    }
}

/// Splits `--base-url https://host/path` into `url` and `baseurl`; `/path` alone sets only `baseurl`.
fn split_base_url(given: &str) -> Result<(Option<String>, String), ExportError> {
    let given = given.trim();
    if given.starts_with('/') || given.is_empty() {
        return Ok((None, normalize_baseurl(given)));
    }
    let Some((scheme, rest)) = given.split_once("://") else {
        return Err(ExportError::trouble(format!(
            "--base-url {given}: expected an absolute URL such as https://example.org/blog, or a path such as /blog"
        )));
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        || rest.is_empty()
        || rest.starts_with('/')
    {
        return Err(ExportError::trouble(format!(
            "--base-url {given}: not an absolute URL (expected scheme://host[/path])"
        )));
    }
    let (host, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, ""),
    };
    // What no URL may hold raw (RFC 3986), and a query or fragment, which a base URL cannot carry.
    let not_in_url = |c: char| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`?#".contains(c);
    if let Some(bad) = host.chars().chain(path.chars()).find(|&c| not_in_url(c)) {
        return Err(ExportError::trouble(format!(
            "--base-url {given}: not a valid URL: {bad:?} cannot appear in it (write a space in a path as %20)"
        )));
    }
    Ok((Some(format!("{scheme}://{host}")), normalize_baseurl(path)))
}

fn normalize_baseurl(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            split_base_url("https://x.org/blog/").unwrap(),
            (Some("https://x.org".to_string()), "/blog".to_string())
        );
        assert_eq!(
            split_base_url("https://x.org").unwrap(),
            (Some("https://x.org".to_string()), String::new())
        );
        assert_eq!(
            split_base_url("/blog").unwrap(),
            (None, "/blog".to_string())
        );
        assert!(split_base_url("x.org/blog").is_err());
        assert!(split_base_url("https:///x").is_err());
        for bad in [
            "https://a b/",
            "https://x.org/my blog",
            "https://x.org/?a",
            "https://x<y>.org",
        ] {
            assert!(split_base_url(bad).is_err(), "{bad}");
        }
        assert!(split_base_url("https://x.org:8080/a%20b").is_ok());
    }
}
