//! The command line: global flags and one struct per subcommand (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// A fast command-line toolkit for Jekyll-style Markdown blogs.
#[derive(Debug, Parser)]
#[command(
    name = "carnet",
    version,
    about,
    max_term_width = 100,
    after_help = examples(CARNET_EXAMPLES)
)]
pub struct Cli {
    /// Flags every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses these arguments, exiting with clap's message on a usage error or for `--help`;
    /// that message follows `--color` too, which clap alone cannot know before parsing.
    pub fn parse_colored(args: Vec<OsString>) -> Cli {
        let mut cmd = Cli::command();
        if let Some(choice) = color_flag(&args) {
            cmd = cmd.color(match choice {
                ColorChoice::Auto => clap::ColorChoice::Auto,
                ColorChoice::Always => clap::ColorChoice::Always,
                ColorChoice::Never => clap::ColorChoice::Never,
            });
        }
        let matches = cmd.clone().get_matches_from(args);
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut cmd).exit())
    }
}

/// The last `--color WHEN` or `--color=WHEN` before a `--`, when it is a valid choice.
fn color_flag(args: &[OsString]) -> Option<ColorChoice> {
    let mut found = None;
    let mut args = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => args.next().flatten(),
            Some(arg) => arg.strip_prefix("--color="),
            None => None,
        };
        if let Some(value) = value {
            found = ColorChoice::from_str(value, false).ok().or(found);
        }
    }
    found
}

/// The help heading of the flags every subcommand accepts.
const GLOBAL: &str = "Global options";

/// Flags every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Site folder (default: the nearest folder above the current one holding _config.yml or carnet.toml)
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub site: Option<PathBuf>,
    /// The current time, for future-dated posts and new post dates (reproducible runs), e.g. 2024-05-01T12:00:00+02:00
    #[arg(long, global = true, value_name = "DATETIME", help_heading = GLOBAL)]
    pub now: Option<String>,
    /// When to use colours and styles (NO_COLOR and CLICOLOR_FORCE are honoured under auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorChoice,
    /// Print less: no progress, no summary
    #[arg(long, short, global = true, help_heading = GLOBAL)]
    pub quiet: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces them when piped
    Auto,
    /// Always colour, even when piped and whatever NO_COLOR says
    Always,
    /// Never colour, whatever CLICOLOR_FORCE says
    Never,
}

impl ColorChoice {
    /// The choice as the colour-aware output streams take it.
    pub fn stream(self) -> anstream::ColorChoice {
        match self {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check posts' front matter, links, excerpt markers and Liquid tags
    #[command(after_help = examples(LINT_EXAMPLES))]
    Lint(LintArgs),
    /// List the lint rules, or explain one
    #[command(after_help = examples(RULES_EXAMPLES))]
    Rules(RulesArgs),
    /// Scaffold a new post
    #[command(after_help = examples(NEW_EXAMPLES))]
    New(NewArgs),
    /// Create a minimal Jekyll site with a first post
    #[command(after_help = examples(INIT_EXAMPLES))]
    Init(InitArgs),
    /// Move a draft to _posts/, dated today (or --date)
    #[command(after_help = examples(PUBLISH_EXAMPLES))]
    Publish(PublishArgs),
    /// Move a post back to _drafts/
    #[command(after_help = examples(UNPUBLISH_EXAMPLES))]
    Unpublish(UnpublishArgs),
    /// List posts with their status, tags and word counts
    #[command(after_help = examples(LIST_EXAMPLES))]
    List(ListArgs),
    /// Count tags and categories, with their spelling variants
    #[command(after_help = examples(TAGS_EXAMPLES))]
    Tags(TagsArgs),
    /// Export posts as JSON, JSON Feed or a static HTML site
    #[command(after_help = examples(EXPORT_EXAMPLES))]
    Export(ExportArgs),
    /// Check the site's set-up and explain what is off
    #[command(after_help = examples(DOCTOR_EXAMPLES))]
    Doctor(DoctorArgs),
    /// Print a shell completion script
    #[command(after_help = examples(COMPLETIONS_EXAMPLES))]
    Completions(CompletionsArgs),
    /// Print the man page, or write one page per subcommand
    #[command(after_help = examples(MAN_EXAMPLES))]
    Man(ManArgs),
    /// Run a language server over stdio: diagnostics, fixes, hover and completion in an editor
    #[command(after_help = examples(LSP_EXAMPLES))]
    Lsp(LspArgs),
    /// Preview the site in a browser: pages rebuilt and reloaded on every save
    #[command(after_help = examples(SERVE_EXAMPLES))]
    Serve(ServeArgs),
}

/// An `after_help` block: an "Examples:" header styled like clap's own headers, then the examples indented.
fn examples(lines: &str) -> String {
    let header = anstyle::Style::new().bold().underline();
    let mut text = format!("{header}Examples:{header:#}");
    for line in lines.lines() {
        text.push_str("\n  ");
        text.push_str(line);
    }
    text
}

const CARNET_EXAMPLES: &str = "\
carnet lint                          check every post of the blog in the current folder
carnet new \"Un titre\" --tags velo    start a post; prints the path it wrote
carnet --site ~/blog doctor          check another blog's set-up";

const LINT_EXAMPLES: &str = "\
carnet lint _posts/2017-06-22-x.md    one post; site-wide rules still see the whole site
carnet lint --staged --format short   what is staged in git, for a pre-commit hook
carnet lint --fix                     repair reversed links, spaced links, near-miss separators";

const RULES_EXAMPLES: &str = "\
carnet rules                     every rule, its default level, and whether --fix repairs it
carnet rules excerpt-near-miss   one rule explained, with a bad and a good example";

const NEW_EXAMPLES: &str = "\
carnet new \"IntercoTOUR, un baromètre du numérique\" --tags evenement,collectivites
carnet new \"Notes de terrain\" --draft --category carnet
carnet new \"-Brève du matin\"   a title may start with -; one named like a flag goes after --";

const INIT_EXAMPLES: &str = "\
carnet init                      make the current folder a blog
carnet init mon-blog --lang fr   create mon-blog/ with a _config.yml and a first post, in French";

const PUBLISH_EXAMPLES: &str = "\
carnet publish _drafts/velo.md                             to _posts/YYYY-MM-DD-velo.md, dated now
carnet publish _drafts/velo.md --date \"2024-05-02 09:00\"   to _posts/2024-05-02-velo.md";

const UNPUBLISH_EXAMPLES: &str = "\
carnet unpublish _posts/2024-05-02-velo.md                   back to _drafts/velo.md
carnet unpublish \"$(carnet list --format paths --limit 1)\"   the newest post back to drafts";

const LIST_EXAMPLES: &str = "\
carnet list --tag rust --since 2023-01-01                   posts tagged rust since 2023
carnet list --all --format csv > posts.csv                  every post, whatever its status
carnet list --status draft --format paths | xargs $EDITOR   open every draft";

const TAGS_EXAMPLES: &str = "\
carnet tags                             tags, most used first, with their spelling variants
carnet tags --categories --format csv   categories only, as CSV";

const EXPORT_EXAMPLES: &str = "\
carnet export --format json > posts.json                  every published post, as data
carnet export --format html -o public                     a static site in public/
carnet export --format jsonfeed --limit 10 -o feed.json   a JSON Feed of the 10 newest posts";

const DOCTOR_EXAMPLES: &str = "\
carnet doctor                      check the blog in the current folder
carnet doctor --site ~/blog        check another blog
carnet doctor -q && jekyll build   build only when doctor finds no problem";

const COMPLETIONS_EXAMPLES: &str = "\
carnet completions bash > ~/.local/share/bash-completion/completions/carnet
carnet completions zsh > ~/.zfunc/_carnet   # with fpath+=(~/.zfunc) in ~/.zshrc
carnet completions fish > ~/.config/fish/completions/carnet.fish";

const MAN_EXAMPLES: &str = "\
carnet man | man -l -
carnet man lint | man -l -                 the page of one subcommand
carnet man --out ~/.local/share/man/man1   carnet.1, carnet-lint.1, carnet-new.1...";

const LSP_EXAMPLES: &str = "\
carnet lsp                                 started by the editor, in the site's folder
carnet lsp --stdio                         the same, for clients that always pass --stdio";

const SERVE_EXAMPLES: &str = "\
carnet serve                               http://127.0.0.1:4000/ (plus the site's baseurl)
carnet serve --drafts --future --open      drafts and scheduled posts too, in the browser";

/// Output formats of `carnet lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Findings with the source line underlined, and a summary
    Human,
    /// One line per finding: path:line:col: severity[rule] message
    Short,
    /// One JSON document
    Json,
    /// GitHub Actions workflow annotations
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// `carnet lint`.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Posts or folders to lint (default: the whole site)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Lint the staged copy of each staged post (for git hooks)
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Run only these rules (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Apply the safe fixes and report what was fixed
    #[arg(long, conflicts_with = "staged")]
    pub fix: bool,
    /// Re-lint each time a post is saved (Ctrl-C ends)
    #[arg(long, conflicts_with_all = ["staged", "fix"])]
    pub watch: bool,
    /// Read every other post instead of the facts kept in .carnet-cache/, and leave it alone
    #[arg(long, env = "CARNET_NO_CACHE", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_cache: bool,
}

/// `carnet rules`.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// A rule to explain, with a bad and a good example
    pub name: Option<String>,
}

/// `carnet new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The post's title (asked for on a terminal when left out); it may start with `-`
    #[arg(allow_hyphen_values = true)]
    pub title: Option<String>,
    /// Slug for the file name: lowercase letters, digits and hyphens (default: from the title)
    #[arg(long)]
    pub slug: Option<String>,
    /// Tags, comma-separated; repeatable
    #[arg(long, value_delimiter = ',', value_name = "TAG,...")]
    pub tags: Vec<String>,
    /// A category; repeatable
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// Layout (default: the site's front-matter default, else `post`)
    #[arg(long)]
    pub layout: Option<String>,
    /// Date or date-time of the post (default: now); the file name follows it
    #[arg(long)]
    pub date: Option<String>,
    /// Write a draft in _drafts/ (no date)
    #[arg(long)]
    pub draft: bool,
    /// File extension
    #[arg(long, value_parser = ["md", "markdown"])]
    pub ext: Option<String>,
    /// Any other front-matter field, KEY=VALUE; repeatable
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// Open $VISUAL or $EDITOR on the new post and wait
    #[arg(long)]
    pub edit: bool,
    /// Print what would be written, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Template from _templates/NAME.md
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
}

/// `carnet init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Folder for the new site (default: the current folder)
    pub dir: Option<PathBuf>,
    /// Language of the posts, for export's dates and labels: en, fr, de, es, it, pt or nl, with an
    /// optional region (fr-CA); asked for on a terminal when left out
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<String>,
}

/// A `--lang` value export can write dates and labels in.
fn parse_lang(value: &str) -> Result<String, String> {
    crate::render::i18n::Language::parse(value).map(|_| value.to_string())
}

/// `carnet publish`.
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// The draft to publish
    pub draft: PathBuf,
    /// Publication date or date-time (default: now)
    #[arg(long)]
    pub date: Option<String>,
}

/// `carnet unpublish`.
#[derive(Debug, Clone, Args)]
pub struct UnpublishArgs {
    /// The post to move back to _drafts/
    pub post: PathBuf,
}

/// Which posts `list` and `export` include besides published ones.
#[derive(Debug, Clone, Default, Args)]
pub struct StatusArgs {
    /// Include drafts
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated in the future
    #[arg(long)]
    pub future: bool,
    /// Include posts with `published: false`
    #[arg(long)]
    pub unpublished: bool,
}

/// Post statuses, for `--status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    /// Built by Jekyll
    Published,
    /// In _drafts/
    Draft,
    /// Dated after now
    Future,
    /// `published: false`
    Unpublished,
    /// Front matter that cannot be read
    Invalid,
}

/// Formats of `carnet list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table fitted to the terminal
    Table,
    /// A JSON array
    Json,
    /// RFC 4180 CSV with a header row
    Csv,
    /// One path per line
    Paths,
}

/// Sort keys of `carnet list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Newest first
    Date,
    /// Alphabetical
    Title,
    /// Longest first
    Words,
    /// By file path
    Path,
}

/// `carnet list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// List the documents of this collection of `_config.yml` instead of the posts
    #[arg(long, value_name = "NAME", default_value = "posts")]
    pub collection: String,
    /// List the site's collections: each with its document count, output flag and URL template
    #[arg(long, conflicts_with = "collection")]
    pub collections: bool,
    /// The statuses added to the published posts.
    #[command(flatten)]
    pub include: StatusArgs,
    /// Show every post whatever its status
    #[arg(long)]
    pub all: bool,
    /// Show only posts with this status
    #[arg(long, value_enum, conflicts_with_all = ["all", "drafts", "future", "unpublished"])]
    pub status: Option<StatusFilter>,
    /// Only posts with this tag (case-insensitive); repeatable, a post must have them all
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only posts in this category (case-insensitive); repeatable, a post must be in them all
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// Only posts dated on or after this day
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only posts dated on or before this day
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only posts whose title or front matter contains TEXT (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only posts whose front-matter field KEY equals VALUE; repeatable
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// Sort order
    #[arg(long, value_enum, default_value_t = SortKey::Date)]
    pub sort: SortKey,
    /// Reverse the order
    #[arg(long)]
    pub reverse: bool,
    /// Show at most N posts
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Formats of `carnet tags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TagsFormat {
    /// A table
    Table,
    /// A JSON array
    Json,
    /// CSV with a header row
    Csv,
}

/// `carnet tags`.
#[derive(Debug, Clone, Args)]
pub struct TagsArgs {
    /// Count categories only
    #[arg(long)]
    pub categories: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = TagsFormat::Table)]
    pub format: TagsFormat,
}

/// Formats of `carnet export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document with every post
    Json,
    /// JSON Feed 1.1
    Jsonfeed,
    /// A static HTML site
    Html,
}

/// `carnet export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Export only these posts
    #[arg(value_name = "POST")]
    pub posts: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// Output file (json, jsonfeed) or folder (html); default or `-`: standard output
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The statuses added to the published posts.
    #[command(flatten)]
    pub include: StatusArgs,
    /// Site URL, overriding _config.yml's url and baseurl
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Posts per index page (html)
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub per_page: usize,
    /// Items in the feed (jsonfeed)
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Folder of templates overriding the built-in ones (base.html, index.html, post.html, taxonomy.html)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Do not highlight code blocks
    #[arg(long)]
    pub no_highlight: bool,
    /// Strip scripts, event handlers and unsafe URLs from the posts' HTML
    #[arg(long)]
    pub sanitize: bool,
    /// Give each heading of a post's page a link to itself (html)
    #[arg(long)]
    pub heading_anchors: bool,
    /// With one post and no -o: print only the rendered body
    #[arg(long)]
    pub fragment: bool,
    /// Replace a non-empty output folder that carnet did not write
    #[arg(long)]
    pub force: bool,
    /// Highlight every code block anew instead of reusing those kept in .carnet-cache/, and leave it alone
    #[arg(long, env = "CARNET_NO_CACHE", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_cache: bool,
}

/// `carnet doctor`.
#[derive(Debug, Clone, Args)]
pub struct DoctorArgs {}

/// Shells for `carnet completions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash
    Bash,
    /// Zsh
    Zsh,
    /// Fish
    Fish,
    /// PowerShell
    Powershell,
    /// Elvish
    Elvish,
}

/// `carnet completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `carnet lsp`.
#[derive(Debug, Clone, Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because clients pass it)
    #[arg(long)]
    pub stdio: bool,
}

/// `carnet serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on; the default lets only this machine in
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Which posts to show besides published ones
    #[command(flatten)]
    pub include: StatusArgs,
    /// Open the home page in the default browser
    #[arg(long)]
    pub open: bool,
}

/// `carnet man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Print this subcommand's page (carnet-COMMAND.1) instead of the main one
    #[arg(value_name = "COMMAND", conflicts_with = "out")]
    pub command: Option<String>,
    /// Write carnet.1 and one page per subcommand into this folder
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color(args: &[&str]) -> Option<ColorChoice> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        color_flag(&args)
    }

    #[test]
    fn the_color_flag_is_found_before_parsing() {
        assert_eq!(color(&["carnet", "lint", "--help"]), None);
        assert_eq!(
            color(&["carnet", "--color", "never", "lint"]),
            Some(ColorChoice::Never)
        );
        assert_eq!(
            color(&["carnet", "lint", "--color=always", "--color", "never"]),
            Some(ColorChoice::Never)
        );
        assert_eq!(color(&["carnet", "lint", "--", "--color=never"]), None);
        assert_eq!(color(&["carnet", "--color", "sometimes"]), None);
    }
}
