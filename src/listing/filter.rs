//! Choosing and ordering entries: statuses, tags, categories, days, text, fields; the sort keys.

use std::cmp::Ordering;

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use serde_yaml::Value;

use super::{Entry, ListStatus};
use crate::post::scalar_string;
use crate::post::variants::variant_key;
use crate::site::date::parse_day;

/// Which statuses a listing adds to the published and invalid posts it always shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    /// Drafts.
    pub drafts: bool,
    /// Posts dated after now.
    pub future: bool,
    /// Posts with `published: false`.
    pub unpublished: bool,
    /// Every status.
    pub all: bool,
}

/// The statuses a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    shown: [bool; 5],
}

impl Selection {
    /// Published and invalid posts, plus what `include` adds; future posts too on a `future: true`
    /// site, since Jekyll publishes them there. `only` shows one status and nothing else.
    pub fn new(include: Include, only: Option<ListStatus>, site_future: bool) -> Selection {
        let mut shown = [false; 5];
        if let Some(only) = only {
            shown[index(only)] = true;
            return Selection { shown };
        }
        let all = include.all;
        for (status, on) in [
            (ListStatus::Published, true),
            (ListStatus::Invalid, true),
            (ListStatus::Draft, all || include.drafts),
            (ListStatus::Future, all || include.future || site_future),
            (ListStatus::Unpublished, all || include.unpublished),
        ] {
            shown[index(status)] = on;
        }
        Selection { shown }
    }

    /// Whether posts with this status are shown.
    pub fn contains(&self, status: ListStatus) -> bool {
        self.shown[index(status)]
    }
}

fn index(status: ListStatus) -> usize {
    status as usize
}

/// What a listing is asked for, as the user wrote it; [`Filter::new`] checks and reads it.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    /// The statuses added to the default ones.
    pub include: Include,
    /// One status and nothing else.
    pub only: Option<ListStatus>,
    /// Tags a post must all have (any case).
    pub tags: &'a [String],
    /// Categories a post must all be in (any case).
    pub categories: &'a [String],
    /// `--since` day, `YYYY-MM-DD`.
    pub since: Option<&'a str>,
    /// `--until` day, `YYYY-MM-DD`.
    pub until: Option<&'a str>,
    /// Text the title or front matter must contain (any case).
    pub search: Option<&'a str>,
    /// `KEY=VALUE` pairs a post's fields must equal.
    pub fields: &'a [String],
}

/// The orders of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Alphabetical.
    Title,
    /// Longest first.
    Words,
    /// By file path.
    Path,
}

/// Every condition of `carnet list`; a post is shown when it meets all of them.
#[derive(Debug, Clone)]
pub struct Filter {
    selection: Selection,
    tags: Vec<String>,
    categories: Vec<String>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    search: Option<String>,
    fields: Vec<(String, String)>,
}

impl Filter {
    /// Reads the query; malformed days and `KEY=VALUE` pairs are usage errors.
    pub fn new(query: &Query, site_future: bool) -> anyhow::Result<Filter> {
        let day = |flag: &str, text: Option<&str>| -> anyhow::Result<Option<NaiveDate>> {
            text.map(|t| {
                parse_day(t.trim())
                    .with_context(|| format!("{flag} {t}: not a day (use YYYY-MM-DD)"))
            })
            .transpose()
        };
        let since = day("--since", query.since)?;
        let until = day("--until", query.until)?;
        if let (Some(since), Some(until)) = (since, until) {
            if since > until {
                bail!("--since {since} is after --until {until}: no post can match");
            }
        }
        let fields = query
            .fields
            .iter()
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if !key.trim().is_empty() => {
                    Ok((key.trim().to_string(), value.to_string()))
                }
                _ => bail!("--field {pair}: expected KEY=VALUE"),
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Filter {
            selection: Selection::new(query.include, query.only, site_future),
            tags: query.tags.iter().map(|t| variant_key(t)).collect(),
            categories: query.categories.iter().map(|c| variant_key(c)).collect(),
            since,
            until,
            search: query
                .search
                .map(str::to_lowercase)
                .filter(|s| !s.is_empty()),
            fields,
        })
    }

    /// Whether the entry meets every condition.
    pub fn matches(&self, entry: &Entry) -> bool {
        self.selection.contains(entry.status)
            && self.tags.iter().all(|t| has(&entry.tags, t))
            && self.categories.iter().all(|c| has(&entry.categories, c))
            && self.in_days(entry)
            && self.search.as_deref().is_none_or(|s| mentions(entry, s))
            && self
                .fields
                .iter()
                .all(|(key, value)| entry.fields.get(key).is_some_and(|v| equals(v, value)))
    }

    fn in_days(&self, entry: &Entry) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(day) = entry.date.map(|d| d.date_naive()) else {
            return false;
        };
        self.since.is_none_or(|s| day >= s) && self.until.is_none_or(|u| day <= u)
    }
}

/// Whether `list` holds `wanted` (a [`variant_key`]) in any spelling `carnet tags` groups with it.
fn has(list: &[String], wanted: &str) -> bool {
    list.iter().any(|item| variant_key(item) == wanted)
}

/// Whether the title or any value of the post's own front matter contains `needle` (lowercased).
fn mentions(entry: &Entry, needle: &str) -> bool {
    entry
        .title
        .as_deref()
        .is_some_and(|t| t.to_lowercase().contains(needle))
        || entry.front.values().any(|v| value_mentions(v, needle))
}

fn value_mentions(value: &Value, needle: &str) -> bool {
    match value {
        Value::Sequence(items) => items.iter().any(|v| value_mentions(v, needle)),
        Value::Mapping(map) => map.values().any(|v| value_mentions(v, needle)),
        Value::Tagged(tagged) => value_mentions(&tagged.value, needle),
        other => scalar_string(other).is_some_and(|s| s.to_lowercase().contains(needle)),
    }
}

/// `--field` equality: a scalar read as a string equals `wanted`, or a list holds such an item;
/// an empty field equals the empty string.
fn equals(value: &Value, wanted: &str) -> bool {
    match value {
        Value::Null => wanted.is_empty(),
        Value::Sequence(items) => items.iter().any(|v| equals(v, wanted)),
        other => scalar_string(other).is_some_and(|s| s == wanted),
    }
}

/// Orders entries by `key` (dates newest first, words most first), then by path so ties are stable.
pub fn sort(entries: &mut [Entry], key: SortBy, reverse: bool) {
    match key {
        SortBy::Date => {
            entries.sort_by(|a, b| newest_first(a, b).then_with(|| a.file.rel.cmp(&b.file.rel)))
        }
        SortBy::Title => entries.sort_by_cached_key(|e| {
            (
                e.title.is_none(),
                e.title.as_deref().map(sort_key).unwrap_or_default(),
                e.title.clone(),
                e.file.rel.clone(),
            )
        }),
        SortBy::Words => entries.sort_by(|a, b| {
            b.words
                .cmp(&a.words)
                .then_with(|| a.file.rel.cmp(&b.file.rel))
        }),
        SortBy::Path => entries.sort_by(|a, b| a.file.rel.cmp(&b.file.rel)),
    }
    if reverse {
        entries.reverse();
    }
}

/// Dated posts newest first, undated drafts after them.
fn newest_first(a: &Entry, b: &Entry) -> Ordering {
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A key for alphabetical order: accents and case folded, punctuation ignored, so `Œuvrer` sorts
/// with `oeuvre` and `« Faire avec »` with `faire`.
pub fn sort_key(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_lowercase();
    let mut key = String::with_capacity(folded.len());
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_selection_and_flags() {
        let none = Include::default();
        let default = Selection::new(none, None, false);
        assert!(default.contains(ListStatus::Published));
        assert!(default.contains(ListStatus::Invalid));
        assert!(!default.contains(ListStatus::Draft));
        assert!(!default.contains(ListStatus::Future));
        assert!(Selection::new(none, None, true).contains(ListStatus::Future));
        let drafts = Include {
            drafts: true,
            ..Include::default()
        };
        let with_drafts = Selection::new(drafts, None, false);
        assert!(with_drafts.contains(ListStatus::Draft));
        assert!(!with_drafts.contains(ListStatus::Unpublished));
        let all = Selection::new(Include { all: true, ..none }, None, false);
        assert!(all.contains(ListStatus::Unpublished) && all.contains(ListStatus::Future));
        let only = Selection::new(none, Some(ListStatus::Draft), true);
        assert!(only.contains(ListStatus::Draft));
        assert!(!only.contains(ListStatus::Published));
        assert!(!only.contains(ListStatus::Invalid));
    }

    #[test]
    fn sort_keys_fold_accents_case_and_punctuation() {
        assert_eq!(
            sort_key("Œuvrer pour la médiation"),
            "oeuvrer pour la mediation"
        );
        assert_eq!(
            sort_key("« Faire avec » : une soirée"),
            "faire avec une soiree"
        );
        assert!(sort_key("école") < sort_key("Étude"));
        assert!(sort_key("Étude") < sort_key("zèbre"));
    }

    #[test]
    fn field_values_compare_as_strings() {
        assert!(equals(&Value::Bool(false), "false"));
        assert!(equals(&Value::Number(2017.into()), "2017"));
        assert!(equals(&Value::Null, ""));
        assert!(!equals(&Value::String("Post".into()), "post"));
        let list = Value::Sequence(vec!["a".into(), "b".into()]);
        assert!(equals(&list, "b"));
        assert!(!equals(&list, "c"));
    }

    #[test]
    fn search_looks_into_nested_values_ignoring_case() {
        let value: Value = serde_yaml::from_str("{a: [x, {b: Rust Week}]}").unwrap();
        assert!(value_mentions(&value, "rust"));
        assert!(!value_mentions(&value, "a"));
    }
}
