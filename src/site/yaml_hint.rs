//! Hints for the usual causes of a front-matter YAML error, which the YAML library's own message
//! ("mapping values are not allowed in this context") does not name.

use super::split::Lines;

/// What to tell the author about a YAML error, and where the cause is when it is elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// Advice to append to the library's message.
    pub advice: String,
    /// Byte offset in the YAML text of the cause, when it is not where the library stopped.
    pub at: Option<usize>,
}

/// The hint for a YAML error with this message, found at byte `error_at` of `yaml`.
pub fn hint(yaml: &str, message: &str, error_at: usize) -> Option<Hint> {
    let line = Lines::new(yaml)
        .find(|line| line.start <= error_at && error_at <= line.start + line.content.len());
    let tab_indented = |content: &str| {
        let indent = content.len() - content.trim_start().len();
        content[..indent].contains('\t')
    };
    let tab_line = line.filter(|line| tab_indented(line.content)).or_else(|| {
        message
            .contains("tab")
            .then(|| Lines::new(yaml).find(|line| tab_indented(line.content)))
            .flatten()
    });
    if let Some(line) = tab_line {
        return Some(Hint {
            advice: "indent with spaces: YAML does not allow tabs for indentation".to_string(),
            at: Some(line.start + line.content.find('\t').unwrap_or(0)),
        });
    }
    if message.contains("mapping values are not allowed") {
        if let Some(hint) = line.and_then(|line| colon_in_value(line.content)) {
            return Some(hint);
        }
    }
    let unterminated = ["did not find expected", "end of stream", "quoted scalar"];
    if unterminated.iter().any(|m| message.contains(m)) {
        return unclosed(yaml, error_at);
    }
    None
}

/// `key: a value: with a colon`: the value needs quotes.
fn colon_in_value(content: &str) -> Option<Hint> {
    let content = content.trim_end();
    let (key, value) = content.split_once(": ")?;
    let value = value.trim();
    let key = key.trim_end();
    if key.is_empty() || !value.contains(": ") || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    Some(Hint {
        advice: format!(
            "a value holding `: ` must be quoted: {key}: {}",
            quoted(value)
        ),
        at: None,
    })
}

/// `value` in double quotes; it comes from one line of the file, so only `"` and `\` need escapes.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A `[`, `{` or quote opened before the error and never closed: the hint points where it opened.
fn unclosed(yaml: &str, error_at: usize) -> Option<Hint> {
    let (opener, at) = first_unclosed(yaml)?;
    if at > error_at {
        return None;
    }
    let advice = match opener {
        '[' => "this `[` is never closed: end the list with `]`",
        '{' => "this `{` is never closed: end the mapping with `}`",
        '"' => "this `\"` is never closed: end the value with `\"`",
        _ => "this `'` is never closed: end the value with `'` (write `''` for an apostrophe)",
    };
    Some(Hint {
        advice: advice.to_string(),
        at: Some(at),
    })
}

/// The outermost `[`, `{` or opening quote that the text never closes, with its byte offset.
fn first_unclosed(yaml: &str) -> Option<(char, usize)> {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut quote: Option<(char, usize)> = None;
    let mut chars = yaml.char_indices().peekable();
    // The last character that was not a space: a quote opens a scalar only after one of `:-[{,`.
    let mut before = '\n';
    while let Some((i, c)) = chars.next() {
        if let Some((q, _)) = quote {
            match c {
                '\\' if q == '"' => {
                    chars.next();
                }
                '\'' if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                    chars.next();
                }
                _ if c == q => {
                    quote = None;
                    before = c;
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '\'' if matches!(before, '\n' | ':' | '-' | '[' | '{' | ',') => {
                quote = Some((c, i));
            }
            '#' if before == '\n' || yaml[..i].ends_with([' ', '\t']) => {
                while chars.next_if(|&(_, n)| n != '\n').is_some() {}
                continue;
            }
            '[' | '{' if matches!(before, '\n' | ':' | '-' | '[' | '{' | ',') => {
                open.push((c, i));
            }
            ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
        if c == '\n' || !c.is_whitespace() {
            before = c;
        }
    }
    let outer = open.first().copied();
    match (quote, outer) {
        (Some(q), Some(o)) => Some(if q.1 < o.1 { q } else { o }),
        (q, o) => q.or(o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint_for(yaml: &str) -> Hint {
        let error = serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap_err();
        let at = error.location().map_or(0, |l| l.index());
        hint(yaml, &error.to_string(), at).unwrap_or_else(|| panic!("no hint for {error}"))
    }

    #[test]
    fn an_unquoted_colon_suggests_the_quoted_value() {
        let hint = hint_for("title: Réunion : ordre du jour\ntags: [a]\n");
        assert_eq!(
            hint.advice,
            "a value holding `: ` must be quoted: title: \"Réunion : ordre du jour\""
        );
        assert_eq!(hint.at, None);
        let hint = hint_for("layout: post\ndescription: Note: \"vite\" lue\n");
        assert!(
            hint.advice
                .ends_with(r#"description: "Note: \"vite\" lue""#),
            "{}",
            hint.advice
        );
    }

    #[test]
    fn a_tab_indent_is_named_where_it_is() {
        let yaml = "title: a\ntags:\n\t- b\n";
        let hint = hint_for(yaml);
        assert!(hint.advice.contains("tabs"), "{}", hint.advice);
        assert_eq!(hint.at, Some(yaml.find('\t').unwrap()));
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opened() {
        let yaml = "title: a\ntags: [a, b\nfoo: 1\nbar: 2\n";
        let hint = hint_for(yaml);
        assert_eq!(hint.at, Some(yaml.find('[').unwrap()));
        assert!(hint.advice.contains("`]`"), "{}", hint.advice);

        let yaml = "title: a\nauthor: {name: b\nfoo: 1\n";
        let hint = hint_for(yaml);
        assert_eq!(hint.at, Some(yaml.find('{').unwrap()));
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opened() {
        let yaml = "title: \"abc\nfoo: 1\nbar: 2\n";
        assert_eq!(hint_for(yaml).at, Some(7));
        let yaml = "tags: [x]\ntitle: 'l''abc\nfoo: 1\n";
        assert_eq!(hint_for(yaml).at, Some(yaml.find('\'').unwrap()));
    }

    #[test]
    fn limits_get_no_hint() {
        let deep = format!("a: {}\n", "[".repeat(300));
        assert_eq!(hint(&deep, "recursion limit exceeded", 200), None);
    }

    #[test]
    fn apostrophes_inside_words_and_closed_lists_are_not_openers() {
        assert_eq!(first_unclosed("title: L'open data\ntags: [a, b]\n"), None);
        assert_eq!(first_unclosed("title: \"a [b\"\nx: 'it''s'\n"), None);
        assert_eq!(first_unclosed("tags: [a,\n  b]\n# [ in a comment\n"), None);
    }
}
