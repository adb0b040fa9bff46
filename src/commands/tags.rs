//! `carnet tags`: how many posts use each tag and category, spelling variants grouped on one line.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use anstyle::Style;

use crate::cli::{TagsArgs, TagsFormat};
use crate::listing::filter::sort_key;
use crate::listing::table::{self, Align, Cell, Column, Fit, Table};
use crate::listing::{self, csv, Entry};
use crate::post::variants::variant_groups;
use crate::{Context, Outcome};

/// A tag or category with the posts that use it under any of its spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group<'a> {
    /// `tag` or `category`.
    kind: &'static str,
    /// The spelling most posts use.
    name: &'a str,
    /// Posts using any spelling of the group.
    posts: usize,
    /// The other spellings, most used first, with their post counts.
    variants: Vec<(&'a str, usize)>,
}

/// Counts tags and categories over every readable post and draft, whatever its status.
pub fn run(args: &TagsArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let site = ctx.site()?;
    let now = ctx.now(site.config.timezone);
    let files = site.scan();
    let entries = listing::read_all(&site, &files.posts, now);
    let mut stderr = ctx.stderr();
    for message in listing::invalid_messages(&entries) {
        writeln!(stderr, "{} {message}", crate::output::warning_prefix())?;
    }
    drop(stderr);
    let mut groups = Vec::new();
    if !args.categories {
        groups.extend(count("tag", &entries, |e| &e.tags));
    }
    groups.extend(count("category", &entries, |e| &e.categories));
    groups.sort_by_cached_key(|g| {
        (
            std::cmp::Reverse(g.posts),
            g.kind != "tag",
            sort_key(g.name),
            g.name,
        )
    });
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

/// Groups the spellings of one kind as `lint`'s `tag-variant` rule does, and counts their posts.
fn count<'a>(
    kind: &'static str,
    entries: &'a [Entry],
    pick: fn(&Entry) -> &[String],
) -> Vec<Group<'a>> {
    let mut uses: HashMap<&'a str, usize> = HashMap::new();
    for entry in entries {
        for spelling in pick(entry) {
            *uses.entry(spelling.as_str()).or_default() += 1;
        }
    }
    let mut group_of: HashMap<&'a str, usize> = HashMap::new();
    let mut groups: Vec<Group<'a>> = Vec::new();
    for spellings in variant_groups(uses.iter().map(|(s, n)| (*s, *n))) {
        for (spelling, _) in &spellings {
            group_of.insert(spelling, groups.len());
        }
        groups.push(Group {
            kind,
            name: spellings[0].0,
            posts: 0,
            variants: spellings[1..].to_vec(),
        });
    }
    for entry in entries {
        let mut seen: Vec<usize> = pick(entry)
            .iter()
            .filter_map(|s| group_of.get(s.as_str()).copied())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for group in seen {
            groups[group].posts += 1;
        }
    }
    for (spelling, posts) in uses {
        if !group_of.contains_key(spelling) {
            groups.push(Group {
                kind,
                name: spelling,
                posts,
                variants: Vec::new(),
            });
        }
    }
    groups
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::ListStatus;
    use crate::site::{Kind, SourceFile};

    fn entry(tags: &[&str]) -> Entry {
        Entry {
            file: SourceFile {
                rel: "_posts/2020-01-01-a.md".into(),
                path: "_posts/2020-01-01-a.md".into(),
                kind: Kind::Post,
            },
            status: ListStatus::Published,
            title: None,
            date: None,
            categories: Vec::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            words: Some(0),
            url: None,
            slug: "a".into(),
            front: Default::default(),
            fields: Default::default(),
            problem: None,
        }
    }

    #[test]
    fn variants_share_one_line_and_posts_count_once() {
        let entries = [
            entry(&["open-data", "rust"]),
            entry(&["open-data"]),
            entry(&["Open Data", "opendata"]),
            entry(&["rust"]),
        ];
        let mut groups = count("tag", &entries, |e| &e.tags);
        groups.sort_by_key(|g| g.name);
        assert_eq!(
            groups,
            [
                Group {
                    kind: "tag",
                    name: "open-data",
                    posts: 3,
                    variants: vec![("Open Data", 1), ("opendata", 1)],
                },
                Group {
                    kind: "tag",
                    name: "rust",
                    posts: 2,
                    variants: vec![],
                },
            ]
        );
    }
}
