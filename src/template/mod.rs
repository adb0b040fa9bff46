//! Jekyll's Liquid, run by the `liquid` engine (cobalt-org/liquid-rust): the standard tags and
//! filters, what Jekyll adds ([`tags`], [`filters`]), and its objects (`site` with `site.data`,
//! `page`). Built once per site; each template is compiled once and rendered with a page.
//!
//! Three things differ from liquid-rust's defaults to match Jekyll: an undefined variable renders
//! empty (unless `liquid: strict_variables`), an unknown filter passes its input through (unless
//! `liquid: strict_filters`), and a tag the engine does not know (a plugin's) is left as written
//! and reported, where Jekyll without the plugin would stop.

pub mod data;
pub mod filters;
mod locate;
mod loops;
mod runtime;
pub mod site;
pub mod tags;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, Weak};

use liquid_core::model::{KString, Object, Value};
use liquid_core::parser::Language;
use liquid_core::runtime::{RuntimeBuilder, Template};
use liquid_core::{Renderable, ValueView};
use serde_yaml::Mapping;

pub use data::{read_data, yaml_to_value, DataError};
pub use site::{CollectionObjects, Documents, Others, SiteObject};

/// Includes nested deeper than this are a cycle (Jekyll itself has no limit and overflows its stack).
pub const MAX_INCLUDE_DEPTH: usize = 64;
/// Variable lookups one render may make before it is a runaway loop.
pub const MAX_STEPS: u64 = 5_000_000;
/// Bytes one render may write.
pub const MAX_OUTPUT_BYTES: usize = crate::fs::MAX_SOURCE_BYTES as usize;
/// The longest literal range a `for` loop may walk (`(1..N)`).
pub const MAX_RANGE: i64 = 1_000_000;

/// Where a `{% post_url %}` or `{% link %}` target lives, by the names a post may use for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// Post file names without extension (`2017-06-22-x`, and `sub/2017-06-22-x` for subfolders).
    pub by_name: HashMap<String, String>,
    /// Source paths relative to the site root (posts, pages, static files) to their URL paths.
    pub by_path: HashMap<String, String>,
}

/// Jekyll's `liquid:` settings of `_config.yml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// `strict_filters`: an unknown filter is an error rather than passing its input through.
    pub strict_filters: bool,
    /// `strict_variables`: an undefined variable is an error rather than empty.
    pub strict_variables: bool,
    /// `error_mode: strict`: a tag the engine does not know is an error rather than left as written.
    pub strict_tags: bool,
}

impl Settings {
    /// The `liquid:` mapping of `_config.yml`.
    pub fn from_config(config: &Mapping) -> Settings {
        let liquid = config.get("liquid").and_then(serde_yaml::Value::as_mapping);
        let flag = |key: &str| {
            liquid
                .and_then(|m| m.get(key))
                .and_then(serde_yaml::Value::as_bool)
                .unwrap_or(false)
        };
        let mode = liquid
            .and_then(|m| m.get("error_mode"))
            .and_then(serde_yaml::Value::as_str);
        Settings {
            strict_filters: flag("strict_filters"),
            strict_variables: flag("strict_variables"),
            strict_tags: mode == Some("strict"),
        }
    }
}

/// Resolves a `{% link %}` path that is not a post to its URL.
pub type PageUrl = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What the site's templates can reach: its root, URLs of link targets, `site.*`.
pub struct SiteScope {
    /// The site's root folder, for `_includes/` and `include_relative`.
    pub root: PathBuf,
    /// Posts and files by the names `post_url` and `link` use.
    pub targets: Targets,
    /// A resolver for `{% link %}` paths that are not posts (pages, static files).
    pub page_url: PageUrl,
    /// The `site` object.
    pub site: SiteObject,
}

/// A failure with its byte offset in the rendered text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LiquidError {
    /// Byte offset in the text given to the engine.
    pub offset: usize,
    /// What is wrong, in one line.
    pub message: String,
}

/// A text after Liquid, with what was left as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The output.
    pub text: String,
    /// Plugin tags or unknown filters met (name, offset of the first use), left as written or passed through.
    pub unknown: Vec<(String, usize)>,
}

/// State the tags share: the scope and the language (to compile includes and `where_exp`).
pub(crate) struct Shared {
    pub(crate) scope: SiteScope,
    pub(crate) language: RwLock<Weak<Language>>,
    pub(crate) includes: Mutex<HashMap<PathBuf, Arc<Template>>>,
}

/// A compiled text: the template, the unknown names passed through, the source it was given as.
type Compiled = (Template, Vec<(String, usize)>, locate::Source);

/// The engine: the language with Jekyll's tags and filters, the site's objects.
pub struct Engine {
    shared: Arc<Shared>,
    language: RwLock<Arc<Language>>,
    /// Names added as pass-through while rendering: plugin tags and blocks, unknown filters.
    passed: Mutex<BTreeSet<String>>,
    settings: Settings,
}

impl Engine {
    /// An engine for a site.
    pub fn new(scope: SiteScope, settings: Settings) -> Engine {
        let shared = Arc::new(Shared {
            scope,
            language: RwLock::new(Weak::new()),
            includes: Mutex::new(HashMap::new()),
        });
        let language = Arc::new(language(Some(&shared)));
        *shared.language.write().unwrap_or_else(|e| e.into_inner()) = Arc::downgrade(&language);
        Engine {
            shared,
            language: RwLock::new(language),
            passed: Mutex::new(BTreeSet::new()),
            settings,
        }
    }

    /// Compiles `text` (once) and renders it with `page` as `page.*`.
    pub fn render(&self, text: &str, page: &Object) -> Result<Rendered, LiquidError> {
        let (template, unknown, source) = self.compile(text)?;
        let page = Value::Object(page.clone());
        let mut writer = runtime::Limited::default();
        let core = RuntimeBuilder::new().build();
        let globals: Vec<(&'static str, &dyn ValueView)> =
            vec![("site", &self.shared.scope.site), ("page", &page)];
        let root = runtime::Counted::new(&core, globals, self.settings.strict_variables);
        let result = template.render_to(&mut writer, &root);
        match result {
            Ok(()) => Ok(Rendered {
                text: source.expand(writer.into_string()),
                unknown,
            }),
            Err(error) => Err(locate::render_error(text, &error)),
        }
    }

    /// Parses `text`, adding pass-through tags and filters for the unknown names Jekyll's settings
    /// allow; returns them with their first offset.
    fn compile(&self, text: &str) -> Result<Compiled, LiquidError> {
        let source = locate::Source::with_markers(text);
        if let Some(error) = locate::runaway_range(text) {
            return Err(error);
        }
        let mut unknown = Vec::new();
        loop {
            let language = self
                .language
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            match liquid_core::parser::parse(&source.text, &language) {
                Ok(elements) => {
                    self.passed_tags_used(text, &mut unknown);
                    return Ok((Template::new(elements), unknown, source));
                }
                Err(error) => {
                    let refusal = locate::parse_error(&source, &error);
                    let Some((kind, name)) = refusal.unknown.clone() else {
                        return Err(refusal.error);
                    };
                    let allowed = match kind {
                        locate::Unknown::Filter => !self.settings.strict_filters,
                        locate::Unknown::Tag => !self.settings.strict_tags,
                    };
                    if !allowed || unknown.iter().any(|(n, _)| *n == name) {
                        return Err(refusal.error);
                    }
                    self.pass_through(kind, &name, text);
                    unknown.push((name, refusal.error.offset));
                }
            }
        }
    }

    /// Adds the plugin tags passed through for another text that `text` uses too, so that every
    /// text reports its own.
    fn passed_tags_used(&self, text: &str, unknown: &mut Vec<(String, usize)>) {
        let passed = self.passed.lock().unwrap_or_else(|e| e.into_inner());
        if passed.is_empty() {
            return;
        }
        for token in crate::liquid::tokenize(text).iter() {
            let crate::liquid::Token::Tag(tag) = token else {
                continue;
            };
            let known = passed.contains(&format!("{:?}:{}", locate::Unknown::Tag, tag.name));
            if known && !unknown.iter().any(|(n, _)| n == tag.name) {
                unknown.push((tag.name.to_string(), tag.span.start));
            }
        }
    }

    /// Adds a pass-through plugin for `name` to the language.
    fn pass_through(&self, kind: locate::Unknown, name: &str, text: &str) {
        let mut passed = self.passed.lock().unwrap_or_else(|e| e.into_inner());
        if !passed.insert(format!("{kind:?}:{name}")) {
            return;
        }
        let mut guard = self.language.write().unwrap_or_else(|e| e.into_inner());
        let mut language = Language::empty();
        language.tags = guard.tags.clone();
        language.blocks = guard.blocks.clone();
        language.filters = guard.filters.clone();
        match kind {
            locate::Unknown::Filter => {
                language
                    .filters
                    .register(name.to_string(), Box::new(filters::PassThrough::new(name)));
            }
            locate::Unknown::Tag if locate::has_end_tag(text, name) => {
                language
                    .blocks
                    .register(name.to_string(), Box::new(tags::Verbatim::block(name)));
            }
            locate::Unknown::Tag => {
                language
                    .tags
                    .register(name.to_string(), Box::new(tags::Verbatim::tag(name)));
            }
        }
        let language = Arc::new(language);
        *self
            .shared
            .language
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::downgrade(&language);
        *guard = language;
    }
}

/// The language without a site: for checking what the engine refuses (lint).
fn checker() -> &'static Language {
    static LANGUAGE: std::sync::OnceLock<Language> = std::sync::OnceLock::new();
    LANGUAGE.get_or_init(|| language(None))
}

/// What the engine refuses in `text`: an unknown tag or filter, a tag with wrong arguments, a
/// runaway range; at most one (the engine stops at the first).
pub fn check(text: &str) -> Option<LiquidError> {
    if let Some(error) = locate::runaway_range(text) {
        return Some(error);
    }
    let source = locate::Source::new(text);
    liquid_core::parser::parse(&source.text, checker())
        .err()
        .map(|error| locate::parse_error(&source, &error).error)
}

/// The standard library, liquid-lib's Jekyll additions and carnet's; with `shared`, the tags
/// that read the site.
fn language(shared: Option<&Arc<Shared>>) -> Language {
    use liquid_lib::{jekyll, stdlib};
    let mut l = Language::empty();
    for tag in [
        Box::new(stdlib::AssignTag) as Box<dyn liquid_core::ParseTag>,
        Box::new(stdlib::BreakTag),
        Box::new(stdlib::ContinueTag),
        Box::new(stdlib::CycleTag),
        Box::new(stdlib::IncrementTag),
        Box::new(stdlib::DecrementTag),
    ] {
        l.tags.register(tag.reflection().tag().to_string(), tag);
    }
    for block in [
        Box::new(stdlib::RawBlock) as Box<dyn liquid_core::ParseBlock>,
        Box::new(stdlib::IfBlock),
        Box::new(stdlib::UnlessBlock),
        Box::new(stdlib::IfChangedBlock),
        Box::new(loops::ForBlock),
        Box::new(loops::TableRowBlock),
        Box::new(stdlib::CommentBlock),
        Box::new(stdlib::CaptureBlock),
        Box::new(stdlib::CaseBlock),
    ] {
        l.blocks
            .register(block.reflection().start_tag().to_string(), block);
    }
    for filter in stdlib_filters() {
        l.filters
            .register(filter.reflection().name().to_string(), filter);
    }
    for filter in [
        Box::new(jekyll::Sort) as Box<dyn liquid_core::ParseFilter>,
        Box::new(jekyll::Push),
        Box::new(jekyll::Pop),
        Box::new(jekyll::Unshift),
        Box::new(jekyll::Shift),
        Box::new(jekyll::Slugify),
    ] {
        l.filters
            .register(filter.reflection().name().to_string(), filter);
    }
    for filter in filters::jekyll(shared.cloned()) {
        l.filters
            .register(filter.name().to_string(), Box::new(filter));
    }
    tags::register(&mut l, shared.cloned());
    l
}

fn stdlib_filters() -> Vec<Box<dyn liquid_core::ParseFilter>> {
    use liquid_lib::stdlib::*;
    vec![
        Box::new(Abs),
        Box::new(Append),
        Box::new(AtLeast),
        Box::new(AtMost),
        Box::new(Capitalize),
        Box::new(Ceil),
        Box::new(Compact),
        Box::new(Concat),
        Box::new(Date),
        Box::new(Default),
        Box::new(DividedBy),
        Box::new(Downcase),
        Box::new(Escape),
        Box::new(EscapeOnce),
        Box::new(First),
        Box::new(Floor),
        Box::new(Join),
        Box::new(Last),
        Box::new(Lstrip),
        Box::new(Minus),
        Box::new(Modulo),
        Box::new(NewlineToBr),
        Box::new(Plus),
        Box::new(Prepend),
        Box::new(Remove),
        Box::new(RemoveFirst),
        Box::new(Replace),
        Box::new(ReplaceFirst),
        Box::new(Reverse),
        Box::new(Round),
        Box::new(Rstrip),
        Box::new(Size),
        Box::new(Slice),
        Box::new(SortNatural),
        Box::new(Split),
        Box::new(Strip),
        Box::new(StripHtml),
        Box::new(StripNewlines),
        Box::new(Times),
        Box::new(Truncate),
        Box::new(TruncateWords),
        Box::new(Uniq),
        Box::new(Upcase),
        Box::new(UrlDecode),
        Box::new(UrlEncode),
    ]
}

/// A string as a Liquid value.
pub fn string(text: impl Into<String>) -> Value {
    Value::scalar(KString::from(text.into()))
}

/// The include file `name` resolves to under the site, checked ([`crate::site::include`]).
pub(crate) fn include_path(
    root: &Path,
    name: &str,
    kind: crate::site::include::IncludeTag,
    page_path: &Path,
) -> Result<PathBuf, String> {
    match crate::site::include::resolve(name, kind, root, page_path) {
        Ok(Some(path)) => Ok(path),
        Ok(None) => Err(format!(
            "included file `{name}` not found{}",
            match kind {
                crate::site::include::IncludeTag::Include => " in _includes/",
                crate::site::include::IncludeTag::Relative => "",
            }
        )),
        Err(refused) => Err(refused.to_string()),
    }
}

/// A date as a Liquid date value (what `date:` and the date filters read).
pub fn date_value(date: chrono::DateTime<chrono::FixedOffset>) -> Value {
    // Built from its parts: liquid's own `DateTime::from_str` compiles a regex on every call,
    // which showed in every export's profile (one call per post). Whole seconds, as Jekyll's
    // `date:` keeps them when shown.
    let built = time::UtcOffset::from_whole_seconds(date.offset().local_minus_utc())
        .ok()
        .and_then(|offset| {
            time::OffsetDateTime::from_unix_timestamp(date.timestamp())
                .ok()
                .map(|utc| utc.to_offset(offset))
        });
    match built {
        Some(inner) => {
            let mut value = liquid_core::model::DateTime::from_ymd(1970, 1, 1);
            *value = inner;
            Value::scalar(value)
        }
        None => string(date.format("%Y-%m-%d %H:%M:%S %z").to_string()),
    }
}

#[cfg(test)]
mod tests;
