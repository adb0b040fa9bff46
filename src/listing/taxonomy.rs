//! What `carnet tags` counts: each tag and category with its posts, spelling variants grouped.

use std::collections::HashMap;

use super::filter::sort_key;
use super::Entry;
use crate::post::variants::variant_groups;

/// A tag or category with the posts that use it under any of its spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a> {
    /// `tag` or `category`.
    pub kind: &'static str,
    /// The spelling most posts use.
    pub name: &'a str,
    /// Posts using any spelling of the group.
    pub posts: usize,
    /// The other spellings, most used first, with their post counts.
    pub variants: Vec<(&'a str, usize)>,
}

/// Every tag group (unless `categories_only`) and category group of the entries, most used first.
pub fn groups(entries: &[Entry], categories_only: bool) -> Vec<Group<'_>> {
    let mut groups = Vec::new();
    if !categories_only {
        groups.extend(count("tag", entries, |e| &e.tags));
    }
    groups.extend(count("category", entries, |e| &e.categories));
    groups.sort_by_cached_key(|g| {
        (
            std::cmp::Reverse(g.posts),
            g.kind != "tag",
            sort_key(g.name),
            g.name,
        )
    });
    groups
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
