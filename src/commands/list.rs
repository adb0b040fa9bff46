//! `carnet list`: every post read in parallel, filtered, sorted, and printed as a table, JSON, CSV or paths.

use std::io::{self, BufWriter, Write};

use anstyle::{AnsiColor, Style};

use crate::cli::{ListArgs, ListFormat, SortKey, StatusFilter};
use crate::listing::filter::{self, Filter, Include, Query, SortBy};
use crate::listing::table::{self, Align, Cell, Column, Fit, Table};
use crate::listing::{self, csv, Entry, ListStatus};
use crate::{Context, Outcome};

/// The fields of a listed post, in the order of JSON keys and CSV columns.
const FIELDS: [&str; 9] = [
    "path",
    "title",
    "date",
    "status",
    "categories",
    "tags",
    "words",
    "url",
    "slug",
];

/// The listing the flags ask for.
fn query(args: &ListArgs) -> Query<'_> {
    Query {
        include: Include {
            drafts: args.include.drafts,
            future: args.include.future,
            unpublished: args.include.unpublished,
            all: args.all,
        },
        only: args.status.map(|status| match status {
            StatusFilter::Published => ListStatus::Published,
            StatusFilter::Draft => ListStatus::Draft,
            StatusFilter::Future => ListStatus::Future,
            StatusFilter::Unpublished => ListStatus::Unpublished,
            StatusFilter::Invalid => ListStatus::Invalid,
        }),
        tags: &args.tags,
        categories: &args.categories,
        since: args.since.as_deref(),
        until: args.until.as_deref(),
        search: args.search.as_deref(),
        fields: &args.fields,
    }
}

fn sort_by(key: SortKey) -> SortBy {
    match key {
        SortKey::Date => SortBy::Date,
        SortKey::Title => SortBy::Title,
        SortKey::Words => SortBy::Words,
        SortKey::Path => SortBy::Path,
    }
}

/// Lists the posts that pass the filters.
pub fn run(args: &ListArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let site = ctx.site()?;
    let filter = Filter::new(&query(args), site.config.future)?;
    let now = ctx.now(site.config.timezone);
    let files = site.scan();
    if args.collections {
        return list_collections(&site, &files, args.format, ctx);
    }
    let chosen = match args.collection.as_str() {
        "posts" => files.posts,
        name => {
            let Some(collection) = site.config.collections.iter().find(|c| c.label == name) else {
                let names: Vec<&str> = site
                    .config
                    .collections
                    .iter()
                    .map(|c| c.label.as_str())
                    .collect();
                anyhow::bail!(
                    "no collection `{name}` in _config.yml (the site's collections: {})",
                    names.join(", ")
                );
            };
            files
                .documents
                .into_iter()
                .filter(|f| collection.inner(&f.rel).is_some())
                .collect()
        }
    };
    let words = args.format != ListFormat::Paths || args.sort == SortKey::Words;
    let entries = listing::read_all(&site, &chosen, now, words);
    let mut stderr = ctx.stderr();
    for message in listing::invalid_messages(&entries) {
        writeln!(stderr, "{} {message}", crate::output::warning_prefix())?;
    }
    drop(stderr);
    let mut shown: Vec<Entry> = entries.into_iter().filter(|e| filter.matches(e)).collect();
    filter::sort(&mut shown, sort_by(args.sort), args.reverse);
    if let Some(limit) = args.limit {
        shown.truncate(limit);
    }
    if shown.is_empty() && args.format == ListFormat::Table && !ctx.global.quiet {
        writeln!(
            ctx.stderr(),
            "carnet: no post matches (published posts are listed by default; --all lists every post)"
        )?;
        return Ok(Outcome::Success);
    }
    let mut out = BufWriter::new(ctx.stdout());
    match args.format {
        ListFormat::Table => write_table(&shown, &mut out, table::stdout_width())?,
        ListFormat::Json => write_json(&shown, &mut out)?,
        ListFormat::Csv => write_csv(&shown, &mut out)?,
        ListFormat::Paths => {
            for entry in &shown {
                writeln!(out, "{}", entry.display_path())?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// One collection as `--collections` shows it.
#[derive(serde::Serialize)]
struct CollectionRow<'a> {
    name: &'a str,
    documents: usize,
    output: bool,
    permalink: String,
    folder: &'a str,
}

/// Prints each collection with its count of documents (posts for `posts`, drafts left out), whether
/// Jekyll writes it out, and the URL template of its documents.
fn list_collections(
    site: &crate::site::Site,
    files: &crate::site::SiteFiles,
    format: ListFormat,
    ctx: &Context,
) -> anyhow::Result<Outcome> {
    let rows: Vec<CollectionRow> = site
        .config
        .collections
        .iter()
        .map(|c| {
            let (documents, permalink) = if c.label == "posts" {
                let posts = files.posts.iter();
                (
                    posts.filter(|f| f.kind == crate::site::Kind::Post).count(),
                    crate::site::permalink::pattern_for(&site.config.permalink).to_string(),
                )
            } else {
                (
                    files
                        .documents
                        .iter()
                        .filter(|f| c.inner(&f.rel).is_some())
                        .count(),
                    c.url_template(site.config.permalink_style()),
                )
            };
            CollectionRow {
                name: &c.label,
                documents,
                output: c.output,
                permalink,
                folder: &c.dir,
            }
        })
        .collect();
    let mut out = BufWriter::new(ctx.stdout());
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Csv => {
            csv::write_record(
                &mut out,
                &["name", "documents", "output", "permalink", "folder"],
            )?;
            for row in &rows {
                csv::write_record(
                    &mut out,
                    &[
                        row.name.to_string(),
                        row.documents.to_string(),
                        row.output.to_string(),
                        row.permalink.clone(),
                        row.folder.to_string(),
                    ],
                )?;
            }
        }
        ListFormat::Paths => {
            for row in &rows {
                writeln!(out, "{}", row.folder)?;
            }
        }
        ListFormat::Table => {
            let column = |header, align| Column {
                header,
                align,
                fit: Fit::Fixed,
            };
            let mut table = Table::new(vec![
                column("collection", Align::Left),
                column("documents", Align::Right),
                column("output", Align::Left),
                column("permalink", Align::Left),
            ]);
            for row in &rows {
                table.push(vec![
                    Cell::plain(row.name),
                    Cell::plain(row.documents.to_string()),
                    Cell::plain(if row.output { "yes" } else { "no" }),
                    Cell::plain(row.permalink.as_str()),
                ]);
            }
            table.write(&mut out, table::stdout_width())?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Writes the table: date, status, title, tags and words, fitted to `width` when given.
fn write_table(entries: &[Entry], out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
    let mut table = Table::new(vec![
        Column {
            header: "date",
            align: Align::Left,
            fit: Fit::Fixed,
        },
        Column {
            header: "status",
            align: Align::Left,
            fit: Fit::Fixed,
        },
        Column {
            header: "title",
            align: Align::Left,
            fit: Fit::Shrink {
                weight: 2,
                min: 10,
                droppable: false,
            },
        },
        Column {
            header: "tags",
            align: Align::Left,
            fit: Fit::Shrink {
                weight: 1,
                min: 12,
                droppable: true,
            },
        },
        Column {
            header: "words",
            align: Align::Right,
            fit: Fit::Fixed,
        },
    ]);
    let dim = Style::new().dimmed();
    for entry in entries {
        let date = match entry.date {
            Some(date) => Cell::plain(date.format("%Y-%m-%d").to_string()),
            None => Cell::new("-", dim),
        };
        let title = match entry.title.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(title) => Cell::plain(title),
            None => Cell::new(entry.display_path(), dim),
        };
        let words = match entry.words {
            Some(words) => Cell::plain(words.to_string()),
            None => Cell::new("-", dim),
        };
        table.push(vec![
            date,
            Cell::new(entry.status.as_str(), status_style(entry.status)),
            title,
            Cell::plain(entry.tags.join(", ")),
            words,
        ]);
    }
    table.write(out, width)
}

fn status_style(status: ListStatus) -> Style {
    let color = match status {
        ListStatus::Published => AnsiColor::Green,
        ListStatus::Draft => AnsiColor::Yellow,
        ListStatus::Future => AnsiColor::Cyan,
        ListStatus::Unpublished => AnsiColor::Magenta,
        ListStatus::Invalid => return Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
    };
    Style::new().fg_color(Some(color.into()))
}

/// One post as JSON.
#[derive(serde::Serialize)]
struct JsonEntry<'a> {
    path: String,
    title: Option<&'a str>,
    date: Option<String>,
    status: &'static str,
    categories: &'a [String],
    tags: &'a [String],
    words: Option<usize>,
    url: Option<&'a str>,
    slug: &'a str,
}

impl<'a> JsonEntry<'a> {
    fn new(entry: &'a Entry) -> JsonEntry<'a> {
        JsonEntry {
            path: entry.display_path(),
            title: entry.title.as_deref(),
            date: entry.date.map(|d| d.to_rfc3339()),
            status: entry.status.as_str(),
            categories: &entry.categories,
            tags: &entry.tags,
            words: entry.words,
            url: entry.url.as_deref(),
            slug: &entry.slug,
        }
    }
}

/// Writes a JSON array of posts.
fn write_json(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<JsonEntry> = entries.iter().map(JsonEntry::new).collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

/// Writes CSV with a header row; list fields are joined with `;`, missing values left empty.
fn write_csv(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    csv::write_record(out, &FIELDS)?;
    for entry in entries {
        csv::write_record(
            out,
            &[
                entry.display_path(),
                entry.title.clone().unwrap_or_default(),
                entry.date.map(|d| d.to_rfc3339()).unwrap_or_default(),
                entry.status.as_str().to_string(),
                entry.categories.join(";"),
                entry.tags.join(";"),
                entry.words.map(|w| w.to_string()).unwrap_or_default(),
                entry.url.clone().unwrap_or_default(),
                entry.slug.clone(),
            ],
        )?;
    }
    Ok(())
}
