//! Plain-text tables fitted to a width: flexible columns shrink (by display width, never inside a
//! character or away from its accents), and the least useful ones drop out when even that is not enough.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use anstyle::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Space between columns.
const GAP: usize = 2;

/// Where a cell's text sits in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Padded on the right.
    Left,
    /// Padded on the left (numbers).
    Right,
}

/// How a column behaves when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Always shown in full.
    Fixed,
    /// Truncated with `…`; `weight` sets its share of the space (a column of weight 2 keeps twice
    /// the width of one of weight 1). A column never narrows below `min`, except a `droppable` one,
    /// which is left out rather than shown narrower than `min`, or when it has nothing to show.
    Shrink {
        /// Relative share of the space.
        weight: usize,
        /// Narrowest useful width.
        min: usize,
        /// Whether the column may be left out.
        droppable: bool,
    },
}

impl Fit {
    fn droppable(self) -> bool {
        matches!(
            self,
            Fit::Shrink {
                droppable: true,
                ..
            }
        )
    }
}

/// A column: its header, alignment and fitting.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header text.
    pub header: &'static str,
    /// Alignment of cells.
    pub align: Align,
    /// Behaviour when space is short.
    pub fit: Fit,
}

/// One cell: single-line text and its style.
#[derive(Debug, Clone)]
pub struct Cell {
    text: String,
    width: usize,
    style: Style,
}

impl Cell {
    /// A cell; line breaks, tabs and other control characters become spaces so a row stays one line.
    pub fn new(text: impl Into<String>, style: Style) -> Cell {
        let mut text: String = text.into();
        if text.chars().any(char::is_control) {
            text = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
        }
        Cell {
            width: text.width(),
            text,
            style,
        }
    }

    /// A cell without style.
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell::new(text, Style::new())
    }
}

/// A table: columns and rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row, one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Writes the header and the rows, fitted to `width` when given (else every cell in full).
    pub fn write(&self, out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
        let widths = self.layout(width);
        let header_style = Style::new().bold();
        let header: Vec<Cell> = self
            .columns
            .iter()
            .map(|c| Cell::new(c.header, header_style))
            .collect();
        self.write_row(out, &header, &widths)?;
        for row in &self.rows {
            self.write_row(out, row, &widths)?;
        }
        Ok(())
    }

    fn write_row(
        &self,
        out: &mut dyn Write,
        row: &[Cell],
        widths: &[Option<usize>],
    ) -> io::Result<()> {
        let last = widths.iter().rposition(Option::is_some);
        let mut line = String::new();
        let mut first = true;
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            let Some(width) = *width else { continue };
            if !first {
                line.push_str(&" ".repeat(GAP));
            }
            first = false;
            let text = truncate(&cell.text, width);
            let pad = " ".repeat(width.saturating_sub(text.width()));
            let styled = if text.is_empty() {
                String::new()
            } else {
                format!("{}{text}{}", cell.style.render(), cell.style.render_reset())
            };
            match self.columns[i].align {
                Align::Right => {
                    line.push_str(&pad);
                    line.push_str(&styled);
                }
                Align::Left if Some(i) == last => line.push_str(&styled),
                Align::Left => {
                    line.push_str(&styled);
                    line.push_str(&pad);
                }
            }
        }
        writeln!(out, "{}", line.trim_end_matches(' '))
    }

    /// Each column's width, `None` for a column left out.
    ///
    /// Shrinkable columns give up width in proportion to their weights; a droppable column that
    /// would end up narrower than its `min` is left out instead, and the others share its space.
    fn layout(&self, width: Option<usize>) -> Vec<Option<usize>> {
        let natural: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cells = self.rows.iter().map(|r| r[i].width).max().unwrap_or(0);
                cells.max(c.header.width())
            })
            .collect();
        let mut shown: Vec<bool> = (0..natural.len())
            .map(|i| !self.columns[i].fit.droppable() || self.rows.iter().any(|r| r[i].width > 0))
            .collect();
        loop {
            let widths: Vec<Option<usize>> = natural
                .iter()
                .zip(&shown)
                .map(|(w, on)| on.then_some(*w))
                .collect();
            let Some(limit) = width else {
                return widths;
            };
            let widths = self.shrink(widths, limit);
            let dropped = (0..widths.len()).rev().find(|&i| {
                let Fit::Shrink {
                    min,
                    droppable: true,
                    ..
                } = self.columns[i].fit
                else {
                    return false;
                };
                widths[i].is_some_and(|w| w < min.min(natural[i]))
            });
            match dropped {
                Some(i) => shown[i] = false,
                None => return widths,
            }
        }
    }

    /// Narrows shrinkable columns, widest share first, until the row fits in `limit` (or cannot shrink).
    fn shrink(&self, mut widths: Vec<Option<usize>>, limit: usize) -> Vec<Option<usize>> {
        let shown = widths.iter().flatten().count();
        let mut total = widths.iter().flatten().sum::<usize>() + GAP * shown.saturating_sub(1);
        while total > limit {
            let widest = (0..widths.len())
                .filter_map(|i| {
                    let (
                        Fit::Shrink {
                            weight,
                            min,
                            droppable,
                        },
                        Some(w),
                    ) = (self.columns[i].fit, widths[i])
                    else {
                        return None;
                    };
                    let floor = if droppable { 1 } else { min };
                    (w > floor).then(|| (i, w * 1000 / weight.max(1)))
                })
                .max_by_key(|&(i, share)| (share, std::cmp::Reverse(i)));
            let Some((i, _)) = widest else { break };
            widths[i] = widths[i].map(|w| w - 1);
            total -= 1;
        }
        widths
    }
}

/// Cuts `text` to at most `width` display columns, ending with `…` when cut. The cut falls before a
/// character that takes space, so combining accents stay with their letter and wide characters are
/// never halved; spaces before the `…` are dropped.
pub fn truncate(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut end = 0;
    let mut previous = None;
    for (i, c) in text.char_indices() {
        let boundary = c.width() != Some(0) && previous != Some('\u{200d}');
        if boundary {
            if text[..i].width() + 1 > width {
                break;
            }
            end = i;
        }
        previous = Some(c);
    }
    Cow::Owned(format!("{}…", text[..end].trim_end()))
}

/// The width to fit tables to: `COLUMNS` when set (also when piped, so a width can be asked for),
/// else the terminal's; `None` when standard output is not a terminal.
pub fn stdout_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return Some(columns);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    Some(
        terminal_size::terminal_size()
            .map(|(w, _)| usize::from(w.0))
            .unwrap_or(80),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_display_width_and_keeps_accents() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("Œuvrer", 4), "Œuv…");
        let decomposed = "e\u{301}te\u{301} e\u{301}te\u{301}";
        assert_eq!(truncate(decomposed, 3), "e\u{301}t…");
        assert_eq!(truncate(decomposed, 2), "e\u{301}…");
        assert_eq!(truncate("日本語の題", 5), "日本…");
        assert_eq!(truncate("日本語の題", 4), "日…");
        assert_eq!(truncate("日本語", 1), "…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("Été étonnant", 5), "Été…");
        for width in 1..12 {
            let cut = truncate("« Faire avec » : une soirée", width);
            assert!(cut.width() <= width, "{cut} at {width}");
        }
    }

    #[test]
    fn emoji_sequences_are_not_split() {
        let text = "ab👩\u{200d}💻cd";
        let cut = truncate(text, 5);
        assert!(!cut.contains('\u{200d}') || cut.contains('💻'), "{cut}");
    }

    #[test]
    fn control_characters_do_not_break_rows() {
        assert_eq!(Cell::plain("a\nb\tc\u{1b}[31m").text, "a b c [31m");
    }

    fn table() -> Table {
        let mut t = Table::new(vec![
            Column {
                header: "date",
                align: Align::Left,
                fit: Fit::Fixed,
            },
            Column {
                header: "title",
                align: Align::Left,
                fit: Fit::Shrink {
                    weight: 2,
                    min: 8,
                    droppable: false,
                },
            },
            Column {
                header: "tags",
                align: Align::Left,
                fit: Fit::Shrink {
                    weight: 1,
                    min: 6,
                    droppable: true,
                },
            },
            Column {
                header: "words",
                align: Align::Right,
                fit: Fit::Fixed,
            },
        ]);
        t.push(vec![
            Cell::plain("2020-01-01"),
            Cell::plain("A rather long title about many things"),
            Cell::plain("alpha, beta, gamma"),
            Cell::plain("1200"),
        ]);
        t.push(vec![
            Cell::plain("2020-01-02"),
            Cell::plain("Short"),
            Cell::plain(""),
            Cell::plain("3"),
        ]);
        t
    }

    fn render(t: &Table, width: Option<usize>) -> String {
        let mut out = Vec::new();
        t.write(&mut out, width).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unbounded_tables_show_everything() {
        let text = render(&table(), None);
        assert_eq!(
            text,
            "\u{1b}[1mdate\u{1b}[0m        \u{1b}[1mtitle\u{1b}[0m                                  \u{1b}[1mtags\u{1b}[0m                \u{1b}[1mwords\u{1b}[0m\n\
             2020-01-01  A rather long title about many things  alpha, beta, gamma   1200\n\
             2020-01-02  Short                                                          3\n"
        );
    }

    #[test]
    fn tables_fit_the_width_shrinking_by_weight_then_dropping() {
        let t = table();
        for limit in [60, 50, 40, 36] {
            let widths = t.layout(Some(limit));
            let total: usize = widths.iter().flatten().sum::<usize>()
                + GAP * (widths.iter().flatten().count() - 1);
            assert!(total <= limit, "{limit}: {widths:?}");
        }
        let widths = t.layout(Some(60));
        assert_eq!(widths[0], Some(10));
        assert!(
            widths[1].unwrap() >= 2 * widths[2].unwrap() - 2,
            "{widths:?}"
        );
        let narrow = t.layout(Some(30));
        assert_eq!(narrow[2], None, "tags dropped: {narrow:?}");
        assert_eq!(narrow[1], Some(11));
        let too_narrow = t.layout(Some(10));
        assert_eq!(too_narrow, [Some(10), Some(8), None, Some(5)]);
    }
}
