//! `carnet tags`: how many posts use each tag and category, spelling variants grouped on one line.

use std::io::{self, BufWriter, Write};

use anstyle::Style;

use crate::cli::{TagsArgs, TagsFormat};
use crate::listing::table::{self, Align, Cell, Column, Fit, Table};
use crate::listing::taxonomy::{self, Group};
use crate::listing::{self, csv};
use crate::{Context, Outcome};

/// Counts tags and categories over every readable post and draft, whatever its status.
pub fn run(args: &TagsArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let site = ctx.site()?;
    let now = ctx.now(site.config.timezone);
    let files = site.scan();
    let entries = listing::read_all(&site, &files.posts, now, false);
    let mut stderr = ctx.stderr();
    for message in listing::invalid_messages(&entries) {
        writeln!(stderr, "{} {message}", crate::output::warning_prefix())?;
    }
    drop(stderr);
    let groups = taxonomy::groups(&entries, args.categories);
    if groups.is_empty() && args.format == TagsFormat::Table && !ctx.global.quiet {
        let what = if args.categories {
            "no post has a category"
        } else {
            "no post has a tag or a category"
        };
        writeln!(ctx.stderr(), "carnet: {what}")?;
        return Ok(Outcome::Success);
    }
    let mut out = BufWriter::new(ctx.stdout());
    match args.format {
        TagsFormat::Table => write_table(&groups, &mut out, table::stdout_width())?,
        TagsFormat::Json => write_json(&groups, &mut out)?,
        TagsFormat::Csv => write_csv(&groups, &mut out)?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_table(groups: &[Group], out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
    let mut table = Table::new(vec![
        Column {
            header: "kind",
            align: Align::Left,
            fit: Fit::Fixed,
        },
        Column {
            header: "name",
            align: Align::Left,
            fit: Fit::Shrink {
                weight: 1,
                min: 10,
                droppable: false,
            },
        },
        Column {
            header: "posts",
            align: Align::Right,
            fit: Fit::Fixed,
        },
        Column {
            header: "variants",
            align: Align::Left,
            fit: Fit::Shrink {
                weight: 2,
                min: 12,
                droppable: true,
            },
        },
    ]);
    let dim = Style::new().dimmed();
    for group in groups {
        let variants: Vec<String> = group
            .variants
            .iter()
            .map(|(name, posts)| format!("{name} ({posts})"))
            .collect();
        table.push(vec![
            Cell::new(group.kind, dim),
            Cell::plain(group.name),
            Cell::plain(group.posts.to_string()),
            Cell::new(
                variants.join(", "),
                Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into())),
            ),
        ]);
    }
    table.write(out, width)
}

/// A spelling with its post count, in JSON.
#[derive(serde::Serialize)]
struct JsonSpelling<'a> {
    name: &'a str,
    posts: usize,
}

/// A group in JSON.
#[derive(serde::Serialize)]
struct JsonGroup<'a> {
    kind: &'static str,
    name: &'a str,
    posts: usize,
    variants: Vec<JsonSpelling<'a>>,
}

fn write_json(groups: &[Group], out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<JsonGroup> = groups
        .iter()
        .map(|g| JsonGroup {
            kind: g.kind,
            name: g.name,
            posts: g.posts,
            variants: g
                .variants
                .iter()
                .map(|(name, posts)| JsonSpelling {
                    name,
                    posts: *posts,
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

/// CSV with a header row; the variants' spellings are joined with `;`.
fn write_csv(groups: &[Group], out: &mut dyn Write) -> io::Result<()> {
    csv::write_record(out, &["kind", "name", "posts", "variants"])?;
    for group in groups {
        let variants: Vec<&str> = group.variants.iter().map(|(name, _)| *name).collect();
        csv::write_record(
            out,
            &[
                group.kind.to_string(),
                group.name.to_string(),
                group.posts.to_string(),
                variants.join(";"),
            ],
        )?;
    }
    Ok(())
}
