//! Jekyll's tags: `include` (with parameters) and `include_relative`, read through the site's
//! include checks; `highlight`; `post_url` and `link`; and the pass-through for plugins' tags.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use liquid_core::error::{Error, Result};
use liquid_core::model::{KString, Object, ScalarCow, Value};
use liquid_core::parser::{
    BlockReflection, Language, ParseBlock, ParseTag, TagBlock, TagReflection, TagTokenIter,
};
use liquid_core::runtime::{Expression, Renderable, Runtime, Template};
use liquid_core::ValueView;

use super::{include_path, Shared, MAX_INCLUDE_DEPTH};
use crate::site::include::IncludeTag;

/// Adds Jekyll's tags to `language`; without `shared` (lint) they parse but cannot render.
pub(crate) fn register(language: &mut Language, shared: Option<Arc<Shared>>) {
    for (name, kind) in [
        ("include", Kind::Include),
        ("include_relative", Kind::IncludeRelative),
        ("post_url", Kind::PostUrl),
        ("link", Kind::Link),
    ] {
        language.tags.register(
            name.to_string(),
            Box::new(JekyllTag {
                name,
                kind,
                shared: shared.clone(),
            }),
        );
    }
    language
        .blocks
        .register("highlight".to_string(), Box::new(Highlight));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Include,
    IncludeRelative,
    PostUrl,
    Link,
}

#[derive(Clone)]
struct JekyllTag {
    name: &'static str,
    kind: Kind,
    shared: Option<Arc<Shared>>,
}

impl TagReflection for JekyllTag {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "a Jekyll tag"
    }
}

/// The tag's arguments as written: the one string literal the source rewrite made of them, or
/// the tokens joined.
fn raw_arguments(arguments: TagTokenIter) -> String {
    let tokens: Vec<String> = arguments.map(|t| t.as_str().to_string()).collect();
    match tokens.as_slice() {
        [one] if one.len() >= 2 && (one.starts_with('"') || one.starts_with('\'')) => {
            one[1..one.len() - 1].to_string()
        }
        _ => tokens.join(" "),
    }
}

/// A parameter value: a quoted string, or a variable to look up when rendering.
#[derive(Debug)]
enum Param {
    Text(String),
    Lookup(Expression),
}

/// Jekyll's `key="value" key='value' key=variable` list.
fn parameters(text: &str) -> Result<Vec<(String, Param)>> {
    let mut params = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        let after = rest[key_end..].trim_start();
        let Some(value) = after
            .strip_prefix('=')
            .map(str::trim_start)
            .filter(|_| !key.is_empty())
        else {
            return Err(Error::with_msg(format!(
                "invalid include parameters `{text}`: Jekyll expects key=\"value\" pairs"
            )));
        };
        let (param, consumed) = match value.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let close = value[1..].find(quote).ok_or_else(|| {
                    Error::with_msg(format!("unclosed quote in include parameters `{text}`"))
                })?;
                (Param::Text(value[1..=close].to_string()), close + 2)
            }
            _ => {
                let end = value.find(char::is_whitespace).unwrap_or(value.len());
                let word = &value[..end];
                let expression = match word.parse::<i64>() {
                    Ok(n) => Expression::with_literal(n),
                    Err(_) => liquid_core::parser::parse_variable(word)
                        .map(Expression::Variable)
                        .map_err(|_| {
                            Error::with_msg(format!("invalid include parameter value `{word}`"))
                        })?,
                };
                (Param::Lookup(expression), end)
            }
        };
        params.push((key.to_string(), param));
        rest = value[consumed..].trim_start();
    }
    Ok(params)
}

impl ParseTag for JekyllTag {
    fn parse(&self, arguments: TagTokenIter, _: &Language) -> Result<Box<dyn Renderable>> {
        let raw = raw_arguments(arguments);
        let (target, rest) = split_first_word(&raw);
        if target.is_empty() {
            return Err(Error::with_msg(format!(
                "`{{% {} %}}` needs a file name",
                self.name
            )));
        }
        let params = match self.kind {
            Kind::Include | Kind::IncludeRelative => parameters(rest)?,
            Kind::PostUrl | Kind::Link if !rest.is_empty() => {
                return Err(Error::with_msg(format!(
                    "`{{% {} %}}` takes one name, not `{raw}`",
                    self.name
                )))
            }
            _ => Vec::new(),
        };
        Ok(Box::new(Rendering {
            tag: self.clone(),
            target: target.to_string(),
            params,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// The first word, unless it holds `{{ ... }}` with spaces (a name Liquid computes).
fn split_first_word(raw: &str) -> (&str, &str) {
    let raw = raw.trim();
    if raw.starts_with("{{") {
        if let Some(end) = raw.find("}}") {
            let end = raw[end..]
                .find(char::is_whitespace)
                .map_or(raw.len(), |e| end + e);
            return (&raw[..end], raw[end..].trim_start());
        }
    }
    match raw.find(char::is_whitespace) {
        Some(end) => (&raw[..end], raw[end..].trim_start()),
        None => (raw, ""),
    }
}

struct Rendering {
    tag: JekyllTag,
    target: String,
    params: Vec<(String, Param)>,
}

impl fmt::Debug for Rendering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{% {} {} %}}", self.tag.name, self.target)
    }
}

/// The files being included, outermost first: a cycle shows as a repeated name.
#[derive(Default)]
struct IncludeStack(Vec<String>);

fn lookup(runtime: &dyn Runtime, path: &[&str]) -> Option<String> {
    let path: Vec<ScalarCow> = path.iter().map(|p| ScalarCow::new(p.to_string())).collect();
    runtime
        .try_get(&path)
        .filter(|v| !v.is_nil())
        .map(|v| v.to_kstr().to_string())
}

impl Rendering {
    fn shared(&self) -> Result<&Shared> {
        self.tag
            .shared
            .as_deref()
            .ok_or_else(|| Error::with_msg("this tag needs a site"))
    }

    /// The target, rendered first when it holds Liquid (`{% include {{ page.x }} %}`).
    fn target(&self, runtime: &dyn Runtime) -> Result<String> {
        if !self.target.contains("{{") {
            return Ok(self.target.clone());
        }
        let language = self
            .shared()?
            .language
            .read()
            .ok()
            .and_then(|l| l.upgrade())
            .ok_or_else(|| Error::with_msg("no language"))?;
        let template = liquid_core::parser::parse(&self.target, &language).map(Template::new)?;
        Ok(template.render(runtime)?.trim().to_string())
    }

    fn include(
        &self,
        writer: &mut dyn Write,
        runtime: &dyn Runtime,
        kind: IncludeTag,
    ) -> Result<()> {
        let shared = self.shared()?;
        let name = self.target(runtime)?;
        let page = lookup(runtime, &["page", "path"]).unwrap_or_default();
        let page_path = shared.scope.root.join(&page);
        let path =
            include_path(&shared.scope.root, &name, kind, &page_path).map_err(Error::with_msg)?;
        let template = compiled(shared, &path)?;
        {
            let mut stack = runtime.registers().get_mut::<IncludeStack>();
            if stack.0.len() >= MAX_INCLUDE_DEPTH || stack.0.contains(&name) {
                let chain = stack.0.join(" → ");
                return Err(Error::with_msg(format!(
                    "include cycle or nesting deeper than {MAX_INCLUDE_DEPTH}: {chain} → {name}, stopped"
                )));
            }
            stack.0.push(name.clone());
        }
        let mut values = Object::new();
        for (key, param) in &self.params {
            let value = match param {
                Param::Text(text) => Value::scalar(KString::from_ref(text)),
                Param::Lookup(expression) => expression
                    .try_evaluate(runtime)
                    .map_or(Value::Nil, |v| v.into_owned()),
            };
            values.insert(KString::from_ref(key), value);
        }
        let include = Value::Object(values);
        let mut frame: HashMap<liquid_core::model::KStringRef<'_>, &dyn ValueView> = HashMap::new();
        if !self.params.is_empty() {
            frame.insert("include".into(), &include);
        }
        let scope = super::runtime::Frame::new(runtime, &frame);
        let result = template.render_to(writer, &scope);
        runtime.registers().get_mut::<IncludeStack>().0.pop();
        result
    }

    fn url(&self, runtime: &dyn Runtime) -> Result<String> {
        let shared = self.shared()?;
        let target = self.target(runtime)?;
        let baseurl = lookup(runtime, &["site", "baseurl"]).unwrap_or_default();
        let baseurl = baseurl.trim_end_matches('/');
        let found = match self.tag.kind {
            Kind::PostUrl => shared
                .scope
                .targets
                .by_name
                .get(target.trim_start_matches('/'))
                .cloned()
                .ok_or_else(|| {
                    format!("`{{% post_url {target} %}}`: no post named `{target}` in _posts/")
                }),
            _ => {
                let rel = target.trim_start_matches('/');
                if rel.is_empty() || rel.split('/').any(|s| s == ".." || s == ".") {
                    Err(format!(
                        "`{{% link {target} %}}`: not a path inside the site"
                    ))
                } else {
                    shared
                        .scope
                        .targets
                        .by_path
                        .get(rel)
                        .cloned()
                        .or_else(|| (shared.scope.page_url)(rel))
                        .ok_or_else(|| {
                            format!("`{{% link {target} %}}`: no file `{rel}` in the site")
                        })
                }
            }
        };
        found
            .map(|url| format!("{baseurl}{url}"))
            .map_err(Error::with_msg)
    }
}

/// An include file compiled once per run.
fn compiled(shared: &Shared, path: &Path) -> Result<Arc<Template>> {
    if let Some(template) = shared
        .includes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(path)
    {
        return Ok(template.clone());
    }
    let text = crate::fs::read_capped(path)
        .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
        .map_err(|e| {
            Error::with_msg(format!(
                "cannot read {}: {e}",
                display(path, &shared.scope.root)
            ))
        })?;
    let language = shared
        .language
        .read()
        .ok()
        .and_then(|l| l.upgrade())
        .ok_or_else(|| Error::with_msg("no language"))?;
    let source = super::locate::Source::new(&text);
    let template = liquid_core::parser::parse(&source.text, &language)
        .map(|elements| Arc::new(Template::new(elements)))
        .map_err(|e| {
            let refusal = super::locate::parse_error(&source, &e);
            let position =
                crate::source::LineIndex::new(&text).position(&text, refusal.error.offset);
            Error::with_msg(format!(
                "{}:{}:{}: {}",
                display(path, &shared.scope.root),
                position.line,
                position.column,
                refusal.error.message
            ))
        })?;
    shared
        .includes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(PathBuf::from(path), template.clone());
    Ok(template)
}

fn display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

impl Renderable for Rendering {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let result = match self.tag.kind {
            Kind::Include => self.include(writer, runtime, IncludeTag::Include),
            Kind::IncludeRelative => self.include(writer, runtime, IncludeTag::Relative),
            Kind::PostUrl | Kind::Link => self.url(runtime).and_then(|url| {
                writer
                    .write_all(url.as_bytes())
                    .map_err(|e| Error::with_msg(e.to_string()))
            }),
        };
        result.map_err(|e| e.trace(format!("{{% {} {} %}}", self.tag.name, self.target)))
    }
}

/// `{% highlight LANG [linenos] %}`: a fenced code block, for the Markdown renderer to highlight.
#[derive(Clone, Copy)]
struct Highlight;

impl BlockReflection for Highlight {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "a code block"
    }
}

impl ParseBlock for Highlight {
    fn parse(
        &self,
        arguments: TagTokenIter,
        mut block: TagBlock,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let raw = raw_arguments(arguments);
        let mut words = raw.split_whitespace();
        let language = language_token(words.next().unwrap_or("")).to_string();
        let linenos = words.any(|w| w == "linenos" || w.starts_with("linenos="));
        let body = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(Code {
            language,
            linenos,
            body,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// The language token, limited to characters an info string can hold.
fn language_token(token: &str) -> &str {
    if token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+#.-".contains(c))
    {
        token
    } else {
        ""
    }
}

#[derive(Debug)]
struct Code {
    language: String,
    linenos: bool,
    body: Template,
}

impl Renderable for Code {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let code = self.body.render(runtime)?;
        let block = if self.linenos {
            numbered(&self.language, &code)
        } else {
            fence(&self.language, &code)
        };
        writer
            .write_all(block.as_bytes())
            .map_err(|e| Error::with_msg(e.to_string()))
    }
}

/// `{% highlight LANG linenos %}` as Jekyll writes it (Rouge's table of line numbers and code), as
/// an HTML block the Markdown stage keeps; the code is escaped, not coloured.
fn numbered(lang: &str, code: &str) -> String {
    let code = code.trim_matches(['\n', '\r']);
    let gutter: String = (1..=code.split('\n').count())
        .map(|n| format!("{n}\n"))
        .collect();
    let escaped = code
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "\n<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{lang}\"><table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre class=\"lineno\">{gutter}</pre></td><td class=\"code\"><pre>{escaped}\n</pre></td></tr></tbody></table></code></pre></figure>\n",
        lang.replace('+', "-")
    )
}

/// A fenced code block holding `code` whatever backticks it contains, on lines of its own.
pub fn fence(lang: &str, code: &str) -> String {
    let code = code.trim_matches(['\n', '\r']);
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat((longest + 1).max(3));
    format!("\n{ticks}{lang}\n{code}\n{ticks}\n")
}

/// A plugin's tag or block the engine does not know, left as written.
#[derive(Clone)]
pub struct Verbatim {
    name: String,
}

impl Verbatim {
    /// A tag named `name`.
    pub fn tag(name: &str) -> Verbatim {
        Verbatim {
            name: name.to_string(),
        }
    }

    /// A block named `name` (with `end` + `name`).
    pub fn block(name: &str) -> VerbatimBlock {
        VerbatimBlock {
            name: name.to_string(),
            end: format!("end{name}"),
        }
    }
}

impl TagReflection for Verbatim {
    fn tag(&self) -> &str {
        &self.name
    }
    fn description(&self) -> &str {
        "a plugin's tag, left as written"
    }
}

impl ParseTag for Verbatim {
    fn parse(&self, arguments: TagTokenIter, _: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(Written {
            open: written(&self.name, &raw_arguments(arguments)),
            body: None,
            close: String::new(),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// A plugin's block, its tags left as written and its body rendered.
#[derive(Clone)]
pub struct VerbatimBlock {
    name: String,
    end: String,
}

impl BlockReflection for VerbatimBlock {
    fn start_tag(&self) -> &str {
        &self.name
    }
    fn end_tag(&self) -> &str {
        &self.end
    }
    fn description(&self) -> &str {
        "a plugin's block, left as written"
    }
}

impl ParseBlock for VerbatimBlock {
    fn parse(
        &self,
        arguments: TagTokenIter,
        mut block: TagBlock,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let open = written(&self.name, &raw_arguments(arguments));
        let body = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(Written {
            open,
            body: Some(body),
            close: format!("{{% {} %}}", self.end),
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

fn written(name: &str, args: &str) -> String {
    if args.is_empty() {
        format!("{{% {name} %}}")
    } else {
        format!("{{% {name} {args} %}}")
    }
}

#[derive(Debug)]
struct Written {
    open: String,
    body: Option<Template>,
    close: String,
}

impl Renderable for Written {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let io = |e: std::io::Error| Error::with_msg(e.to_string());
        writer.write_all(self.open.as_bytes()).map_err(io)?;
        if let Some(body) = &self.body {
            body.render_to(writer, runtime)?;
        }
        writer.write_all(self.close.as_bytes()).map_err(io)
    }
}
