//! Slugs: the title part of a post's file name, from the title or from `--slug`.

/// Longest slug made from a title, so that `YYYY-MM-DD-SLUG.markdown` stays well under the 255 bytes
/// file systems allow and URLs stay readable.
pub const TITLE_SLUG_MAX: usize = 80;

/// Longest slug accepted from `--slug`.
pub const SLUG_MAX: usize = 200;

/// Why a slug cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// The title has no letter or digit to build a slug from.
    #[error("the title gives an empty slug (it has no letters or digits): pass one with --slug")]
    EmptyFromTitle,
    /// `--slug` is empty.
    #[error("--slug is empty")]
    Empty,
    /// `--slug` holds something else than lowercase ASCII letters, digits and hyphens.
    #[error("--slug {0:?}: use only lowercase letters a-z, digits and hyphens, not starting or ending with a hyphen")]
    Invalid(String),
    /// `--slug` is longer than [`SLUG_MAX`].
    #[error("--slug is {0} characters long; at most {SLUG_MAX} fit in a file name")]
    TooLong(usize),
}

/// The slug of a title, by the `slug` crate, cut at a hyphen to at most [`TITLE_SLUG_MAX`] characters.
pub fn from_title(title: &str) -> Result<String, SlugError> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(SlugError::EmptyFromTitle);
    }
    Ok(shorten(&slug, TITLE_SLUG_MAX).to_string())
}

/// Cuts a slug to `max` characters, at the last hyphen that keeps whole words when there is one.
fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    // The slug is ASCII, so byte indices are character indices.
    let cut = &slug[..max];
    if slug.as_bytes()[max] == b'-' {
        return cut;
    }
    match cut.rfind('-') {
        Some(i) if i > 0 => &cut[..i],
        _ => cut.trim_end_matches('-'),
    }
}

/// Checks a slug given with `--slug`: `[a-z0-9]` words joined by hyphens, so it can never be a path.
pub fn validate(slug: &str) -> Result<(), SlugError> {
    if slug.is_empty() {
        return Err(SlugError::Empty);
    }
    let allowed = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !allowed || slug.starts_with('-') || slug.ends_with('-') {
        return Err(SlugError::Invalid(slug.to_string()));
    }
    if slug.len() > SLUG_MAX {
        return Err(SlugError::TooLong(slug.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_french_title() {
        assert_eq!(
            from_title("IntercoTOUR, un baromètre des usages du numérique en collectivités")
                .unwrap(),
            "intercotour-un-barometre-des-usages-du-numerique-en-collectivites"
        );
    }

    #[test]
    fn punctuation_only_titles_need_a_slug() {
        assert_eq!(from_title("?!… —"), Err(SlugError::EmptyFromTitle));
    }

    #[test]
    fn long_titles_are_cut_at_a_hyphen() {
        let title = "word ".repeat(60);
        let slug = from_title(&title).unwrap();
        assert!(slug.len() <= TITLE_SLUG_MAX, "{slug}");
        assert!(slug.ends_with("word") && !slug.ends_with('-'), "{slug}");
        let one_word = "a".repeat(300);
        assert_eq!(from_title(&one_word).unwrap().len(), TITLE_SLUG_MAX);
        assert_eq!(shorten("abc-def", 3), "abc");
        assert_eq!(shorten("abc-def", 5), "abc");
    }

    #[test]
    fn slugs_cannot_be_paths() {
        for bad in [
            "../x", "a/b", ".hidden", "A", "a b", "-a", "a-", "a.md", "é",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert_eq!(validate(""), Err(SlugError::Empty));
        assert!(validate(&"a".repeat(SLUG_MAX + 1)).is_err());
        validate("my-post-2").unwrap();
    }
}
