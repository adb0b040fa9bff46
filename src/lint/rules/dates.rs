//! Date and file-name rules: the dates Jekyll reads from `date:` and from `YYYY-MM-DD-` names.

use serde_yaml::Value;

use crate::lint::rule::{Rule, Severity};
use crate::lint::Checker;
use crate::site::date::Zone;
use crate::site::Kind;

/// A date that does not parse or does not exist.
pub static INVALID_DATE: Rule = Rule {
    name: "invalid-date",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "`date:` or the file name's date cannot be read or does not exist",
    explanation:
        "Jekyll accepts `2017-06-22`, `2017-06-22 10:30`, `2017-06-22 10:30:00 +0200` and RFC 3339 \
dates. Anything else, or a day that does not exist such as February 30, stops the build with an \
\"invalid date\" error, or (in the file name) makes the post vanish.",
    bad: "---\ntitle: My post\ndate: 2020-02-30\n---\n",
    good: "---\ntitle: My post\ndate: 2020-02-29\n---\n",
    markdownlint: &[],
};

/// `date:` and the file name disagree.
pub static DATE_MISMATCH: Rule = Rule {
    name: "date-mismatch",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "the day of `date:` differs from the day in the file name",
    explanation: "Jekyll dates the post by `date:` (read in the site's `timezone`), so the URL and the \
listing use that day while the file name says another. The mismatch usually comes from copying an old \
post or from a time zone offset that moves the post across midnight.",
    bad: "_posts/2020-03-01-spring.md\n---\ntitle: Spring\ndate: 2020-03-05 10:00:00 +0100\n---\n",
    good: "_posts/2020-03-05-spring.md\n---\ntitle: Spring\ndate: 2020-03-05 10:00:00 +0100\n---\n",
    markdownlint: &[],
};

/// A post whose file name Jekyll ignores.
pub static FILENAME: Rule = Rule {
    name: "filename",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "a file in _posts is not named YYYY-MM-DD-title.EXT",
    explanation: "Jekyll only reads files in `_posts` whose name starts with a date and a title, such as \
`2017-06-22-my-post.md`; others are skipped without a warning, so the post never appears. Drafts in \
`_drafts` have no date in their name.",
    bad: "_posts/my-post.md\n",
    good: "_posts/2017-06-22-my-post.md\n",
    markdownlint: &[],
};

/// Runs the date rules on the checker's post.
pub fn check(checker: &mut Checker) {
    let post = checker.post;
    let file_day = if post.file.kind == Kind::Post {
        match (&post.name.date_text, post.name.date) {
            (None, _) => {
                checker.report(
                    &FILENAME,
                    0..0,
                    format!(
                        "`{}` is not named YYYY-MM-DD-title.{}: Jekyll skips it",
                        post.file.rel.rsplit('/').next().unwrap_or_default(),
                        if post.name.ext.is_empty() {
                            "md"
                        } else {
                            &post.name.ext
                        }
                    ),
                );
                None
            }
            (Some(text), None) => {
                checker.report(
                    &INVALID_DATE,
                    0..0,
                    format!("`{text}` in the file name is not a real day"),
                );
                None
            }
            (Some(_), Some(day)) => Some(day),
        }
    } else {
        None
    };
    let Some(front) = post.front() else { return };
    let Some(value) = front.get("date").filter(|v| !v.is_null()) else {
        return;
    };
    let span = post.field_span("date").unwrap_or(0..3);
    let Some(written) = post
        .data
        .written_date
        .filter(|_| matches!(value, Value::String(_)))
    else {
        let shown = crate::post::scalar_string(value).unwrap_or_else(|| "this value".to_string());
        checker.report(
            &INVALID_DATE,
            span,
            format!(
                "`date: {shown}` is not a date Jekyll reads ({})",
                crate::site::date::DATE_FORMS
            ),
        );
        return;
    };
    if let Some(date) = post
        .data
        .date
        .filter(|d| !crate::site::date::fits_rfc3339(d))
    {
        checker.report(
            &INVALID_DATE,
            span.clone(),
            crate::site::date::beyond_rfc3339(&date),
        );
        return;
    }
    if let Some(file_day) = file_day {
        // Without a configured `timezone`, Jekyll reads dates in whatever zone the build machine has;
        // the day the author wrote is then the only stable reading.
        let day = match checker.site.config.timezone {
            Zone::Named(_) => written.in_zone(checker.site.config.timezone).date_naive(),
            Zone::Local => written.naive.date(),
        };
        if day != file_day {
            checker.report(
                &DATE_MISMATCH,
                span,
                format!("`date:` falls on {day} in the site's time zone, but the file name says {file_day}"),
            );
        }
    }
}
