//! Spellings of one tag or category: `Open Data`, `open-data` and `opendata` are one name to a reader.

use std::collections::BTreeMap;

/// The key that spellings of one tag share: lowercase, no accents, no spaces, hyphens or underscores.
pub fn variant_key(tag: &str) -> String {
    deunicode::deunicode(tag)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Groups spellings by [`variant_key`]: for each group with several spellings, the spellings by use, most used first.
pub fn variant_groups<'a>(
    counts: impl IntoIterator<Item = (&'a str, usize)>,
) -> Vec<Vec<(&'a str, usize)>> {
    let mut groups: BTreeMap<String, Vec<(&'a str, usize)>> = BTreeMap::new();
    for (spelling, count) in counts {
        groups
            .entry(variant_key(spelling))
            .or_default()
            .push((spelling, count));
    }
    groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            g
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_keys() {
        assert_eq!(variant_key("Open Data"), "opendata");
        assert_eq!(variant_key("open-data"), "opendata");
        assert_eq!(variant_key("open_data"), "opendata");
        assert_eq!(variant_key("Évènement"), "evenement");
        assert_ne!(variant_key("data"), variant_key("date"));
    }

    #[test]
    fn groups_put_the_most_used_first() {
        let groups = variant_groups([
            ("Open Data", 1),
            ("open-data", 5),
            ("rust", 3),
            ("opendata", 2),
        ]);
        assert_eq!(
            groups,
            vec![vec![("open-data", 5), ("opendata", 2), ("Open Data", 1)]]
        );
    }
}
