//! comrak set-up shared by linting and rendering, and the Markdown dialect a site is written in.

use comrak::Options;

/// The Markdown a site is written in, chosen as Jekyll chooses it: `markdown:` in `_config.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialect {
    /// kramdown (Jekyll's default), with its `kramdown:` settings.
    Kramdown(Box<Kramdown>),
    /// `CommonMark` or `CommonMarkGhPages` (the jekyll-commonmark plugins), with their
    /// `commonmark:` settings.
    CommonMark(Box<CommonMark>),
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::Kramdown(Box::default())
    }
}

impl Dialect {
    /// Whether a duplicated reference definition takes the last value (kramdown) or the first.
    pub fn last_definition_wins(&self) -> bool {
        matches!(self, Dialect::Kramdown(_))
    }

    /// Whether the converter links bare URLs and e-mail addresses: only CommonMark with the
    /// `autolink` extension does.
    pub fn links_bare_urls(&self) -> bool {
        matches!(self, Dialect::CommonMark(c) if c.autolink)
    }
}

/// The `commonmark:` settings of `_config.yml` as jekyll-commonmark 1.4 reads them: `extensions`
/// (none by default) and `options` (cmark's defaults: raw HTML omitted, no smart punctuation).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommonMark {
    /// `CommonMarkGhPages`: headings get ids (its own algorithm); plain `CommonMark` gives none.
    pub gh_pages: bool,
    /// Extension `table`.
    pub table: bool,
    /// Extension `strikethrough`.
    pub strikethrough: bool,
    /// Extension `autolink`: bare URLs and addresses become links.
    pub autolink: bool,
    /// Extension `tasklist`.
    pub tasklist: bool,
    /// Option `SMART`: typographic quotes, dashes and ellipses.
    pub smart: bool,
    /// Option `FOOTNOTES`.
    pub footnotes: bool,
    /// Option `UNSAFE`: raw HTML and `javascript:` links kept (else `<!-- raw HTML omitted -->`).
    pub unsafe_html: bool,
    /// Option `HARDBREAKS`: a line break in a paragraph is a `<br />`.
    pub hardbreaks: bool,
    /// Option `GITHUB_PRE_LANG`: a fence's language as `<pre lang>`.
    pub github_pre_lang: bool,
}

impl CommonMark {
    /// The settings from the converter's name and its `extensions` and `options` lists; names
    /// jekyll-commonmark would reject (with a warning) are ignored, as it ignores them.
    pub fn from_settings<'a>(
        gh_pages: bool,
        extensions: impl IntoIterator<Item = &'a str>,
        options: impl IntoIterator<Item = &'a str>,
    ) -> CommonMark {
        let mut settings = CommonMark {
            gh_pages,
            ..CommonMark::default()
        };
        for extension in extensions {
            match extension.trim() {
                "table" => settings.table = true,
                "strikethrough" => settings.strikethrough = true,
                "autolink" => settings.autolink = true,
                "tasklist" => settings.tasklist = true,
                _ => {}
            }
        }
        for option in options {
            match option.trim().to_ascii_uppercase().as_str() {
                "SMART" => settings.smart = true,
                "FOOTNOTES" => settings.footnotes = true,
                "UNSAFE" => settings.unsafe_html = true,
                "HARDBREAKS" => settings.hardbreaks = true,
                "GITHUB_PRE_LANG" => settings.github_pre_lang = true,
                _ => {}
            }
        }
        settings
    }
}

/// The `kramdown:` settings of `_config.yml`, with Jekyll's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kramdown {
    /// `input`: `GFM` (Jekyll's default) or `kramdown`.
    pub input_gfm: bool,
    /// `auto_ids`: give headings ids.
    pub auto_ids: bool,
    /// `auto_id_prefix`: put before every generated id.
    pub auto_id_prefix: String,
    /// `smart_quotes`: the left and right single quotes, then the left and right double quotes.
    pub smart_quotes: [String; 4],
    /// `hard_wrap`: a line break in a paragraph is a `<br />`.
    pub hard_wrap: bool,
    /// `syntax_highlighter`: `rouge` (or anything) highlights; `nil`/`none` leaves code plain.
    pub highlight: bool,
    /// `footnote_nr`: the number of the first footnote.
    pub footnote_nr: u32,
    /// `entity_output`: how typographic characters are written.
    pub entity_output: EntityOutput,
    /// `typographic_symbols`: replacements for `hellip`, `mdash`, `ndash`, `laquo`, `raquo`,
    /// `laquo_space`, `raquo_space`.
    pub typographic_symbols: Vec<(String, String)>,
    /// `toc_levels`: the heading levels a `{:toc}` lists.
    pub toc_levels: Vec<u8>,
    /// `parse_block_html`: Markdown inside HTML blocks is parsed.
    pub parse_block_html: bool,
}

impl Default for Kramdown {
    fn default() -> Self {
        Kramdown {
            input_gfm: true,
            auto_ids: true,
            auto_id_prefix: String::new(),
            smart_quotes: ["\u{2018}", "\u{2019}", "\u{201c}", "\u{201d}"].map(String::from),
            hard_wrap: false,
            highlight: true,
            footnote_nr: 1,
            entity_output: EntityOutput::AsChar,
            typographic_symbols: Vec::new(),
            toc_levels: (1..=6).collect(),
            parse_block_html: false,
        }
    }
}

/// kramdown's `entity_output`, for the characters its typography writes (quotes, dashes,
/// ellipsis, guillemets and their no-break spaces); characters written as such stay characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityOutput {
    /// `as_char` (Jekyll's default): characters.
    AsChar,
    /// `numeric` and `as_input`: `&#8220;`.
    Numeric,
    /// `symbolic`: `&ldquo;`.
    Symbolic,
}

impl EntityOutput {
    /// The setting's value as `_config.yml` writes it; an unknown one is kramdown's default.
    pub fn from_setting(value: &str) -> EntityOutput {
        match value {
            "numeric" | "as_input" => EntityOutput::Numeric,
            "symbolic" => EntityOutput::Symbolic,
            _ => EntityOutput::AsChar,
        }
    }
}

/// The character of a named entity kramdown uses for its typography, or `None` for a name it does
/// not know.
pub fn entity_char(name: &str) -> Option<&'static str> {
    Some(match name {
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        "sbquo" => "\u{201a}",
        "bdquo" => "\u{201e}",
        "lsaquo" => "\u{2039}",
        "rsaquo" => "\u{203a}",
        "laquo" => "\u{ab}",
        "raquo" => "\u{bb}",
        "apos" => "'",
        "quot" => "\"",
        "hellip" => "\u{2026}",
        "mdash" => "\u{2014}",
        "ndash" => "\u{2013}",
        "nbsp" => "\u{a0}",
        _ => return None,
    })
}

/// CommonMark plus the GFM extensions: tables, strikethrough, autolinks, task lists, footnotes;
/// raw HTML kept (the author's own).
pub fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.render.r#unsafe = true;
    options
}

/// comrak's options closest to a dialect: for kramdown, typographic punctuation, no autolinks,
/// definition lists and hard wraps as configured; for CommonMark, the extensions and options set.
pub fn dialect_options(dialect: &Dialect) -> Options<'static> {
    let mut options = options();
    match dialect {
        Dialect::Kramdown(settings) => {
            options.extension.autolink = false;
            options.extension.tasklist = false;
            options.extension.description_lists = true;
            options.parse.smart = true;
            options.render.hardbreaks = settings.hard_wrap;
        }
        Dialect::CommonMark(settings) => {
            options.extension.table = settings.table;
            options.extension.strikethrough = settings.strikethrough;
            options.extension.autolink = settings.autolink;
            options.extension.tasklist = settings.tasklist;
            options.extension.footnotes = settings.footnotes;
            options.parse.smart = settings.smart;
            options.render.r#unsafe = settings.unsafe_html;
            options.render.hardbreaks = settings.hardbreaks;
            options.render.github_pre_lang = settings.github_pre_lang;
        }
    }
    options
}

/// Options for linting: no autolink extension, so bare URLs stay text for `bare-url` to see.
pub fn lint_options() -> Options<'static> {
    let mut options = options();
    options.extension.autolink = false;
    options
}
