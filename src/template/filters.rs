//! Jekyll's filters (`jekyll/filters.rb` and `filters/*.rb` of Jekyll 4.3) that liquid-lib does
//! not provide, with Jekyll's argument counts and its treatment of nil.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use liquid_core::error::{Error, Result};
use liquid_core::model::{KString, Object, Value};
use liquid_core::parser::{FilterArguments, FilterReflection, ParameterReflection, ParseFilter};
use liquid_core::runtime::{Expression, Runtime, Template};
use liquid_core::{Filter, Renderable, ValueView};

use super::{string, Shared};

type Run = fn(&Call) -> Result<Value>;

/// One filter evaluation: its input, evaluated arguments, runtime and the site.
pub struct Call<'a> {
    input: &'a dyn ValueView,
    args: Vec<Value>,
    runtime: &'a dyn Runtime,
    shared: Option<&'a Shared>,
}

impl Call<'_> {
    fn arg(&self, i: usize) -> Option<&Value> {
        self.args.get(i).filter(|v| !v.is_nil())
    }

    fn arg_text(&self, i: usize) -> Option<String> {
        self.arg(i).map(|v| v.to_kstr().to_string())
    }

    fn site(&self, key: &str) -> Option<String> {
        let path = [
            liquid_core::model::ScalarCow::new("site"),
            liquid_core::model::ScalarCow::new(key.to_string()),
        ];
        self.runtime
            .try_get(&path)
            .filter(|v| !v.is_nil())
            .map(|v| v.to_kstr().to_string())
    }
}

/// A Jekyll filter: its name, how many positional arguments it takes, what it does.
#[derive(Clone)]
pub struct JekyllFilter {
    name: &'static str,
    min: usize,
    max: usize,
    run: Run,
    shared: Option<Arc<Shared>>,
}

impl JekyllFilter {
    /// The filter's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl FilterReflection for JekyllFilter {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "a Jekyll filter"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for JekyllFilter {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        let args: Vec<Expression> = arguments.positional.collect();
        if arguments.keyword.count() > 0 {
            return Err(Error::with_msg(format!(
                "`{}` takes no named arguments",
                self.name
            )));
        }
        if args.len() < self.min || args.len() > self.max {
            let takes = match (self.min, self.max) {
                (a, b) if a == b => format!("{a}"),
                (a, b) => format!("{a} to {b}"),
            };
            return Err(Error::with_msg(format!(
                "`{}` takes {takes} argument(s), not {}",
                self.name,
                args.len()
            )));
        }
        Ok(Box::new(Parsed {
            filter: self.clone(),
            args,
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

struct Parsed {
    filter: JekyllFilter,
    args: Vec<Expression>,
}

impl fmt::Debug for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.filter.name)
    }
}

impl fmt::Display for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.filter.name)
    }
}

impl Filter for Parsed {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self
            .args
            .iter()
            .map(|e| {
                e.try_evaluate(runtime)
                    .map_or(Value::Nil, |v| v.into_owned())
            })
            .collect();
        (self.filter.run)(&Call {
            input,
            args,
            runtime,
            shared: self.filter.shared.as_deref(),
        })
    }
}

/// A filter the engine does not know, under Jekyll's default `strict_filters: false`: its input
/// passes through.
#[derive(Clone)]
pub struct PassThrough {
    name: String,
}

impl PassThrough {
    /// A pass-through filter named `name`.
    pub fn new(name: &str) -> PassThrough {
        PassThrough {
            name: name.to_string(),
        }
    }
}

impl FilterReflection for PassThrough {
    fn name(&self) -> &str {
        &self.name
    }
    fn description(&self) -> &str {
        "unknown filter, input passed through"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for PassThrough {
    fn parse(&self, _: FilterArguments) -> Result<Box<dyn Filter>> {
        Ok(Box::new(Identity))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

#[derive(Debug)]
struct Identity;

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("pass-through")
    }
}

impl Filter for Identity {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        Ok(input.to_value())
    }
}

/// Every filter of this module; `shared` gives `where_exp` and friends the language.
pub(crate) fn jekyll(shared: Option<Arc<Shared>>) -> Vec<JekyllFilter> {
    let table: [(&'static str, usize, usize, Run); 25] = [
        ("relative_url", 0, 0, relative_url),
        ("absolute_url", 0, 0, absolute_url),
        ("date_to_xmlschema", 0, 0, |c| {
            date_format(c, "%Y-%m-%dT%H:%M:%S%:z")
        }),
        ("date_to_rfc822", 0, 0, |c| {
            date_format(c, "%a, %d %b %Y %H:%M:%S %z")
        }),
        ("date_to_string", 0, 2, |c| date_to_string(c, "%b")),
        ("date_to_long_string", 0, 2, |c| date_to_string(c, "%B")),
        ("where", 2, 2, where_filter),
        ("where_exp", 2, 2, where_exp),
        ("find", 2, 2, |c| Ok(first(where_filter(c)?))),
        ("find_exp", 2, 2, |c| Ok(first(where_exp(c)?))),
        ("group_by", 1, 1, group_by),
        ("group_by_exp", 2, 2, group_by_exp),
        ("jsonify", 0, 0, jsonify),
        ("xml_escape", 0, 0, |c| {
            Ok(string(xml_escape(&text(c.input))))
        }),
        ("cgi_escape", 0, 0, |c| {
            Ok(string(cgi_escape(&text(c.input))))
        }),
        ("uri_escape", 0, 0, |c| {
            Ok(string(uri_escape(&text(c.input))))
        }),
        ("markdownify", 0, 0, markdownify),
        ("number_of_words", 0, 1, number_of_words),
        ("normalize_whitespace", 0, 0, |c| {
            Ok(string(
                text(c.input)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ))
        }),
        ("smartify", 0, 0, |c| Ok(string(smartify(&text(c.input))))),
        ("sample", 0, 1, sample),
        ("to_integer", 0, 0, to_integer),
        ("array_to_sentence_string", 0, 1, array_to_sentence_string),
        ("map", 1, 1, map),
        ("inspect", 0, 0, |c| {
            Ok(string(xml_escape(&inspect(&c.input.to_value()))))
        }),
    ];
    table
        .into_iter()
        .map(|(name, min, max, run)| JekyllFilter {
            name,
            min,
            max,
            run,
            shared: shared.clone(),
        })
        .collect()
}

/// A value as Liquid prints it (nil is empty).
fn text(value: &dyn ValueView) -> String {
    if value.is_nil() {
        String::new()
    } else {
        value.to_kstr().to_string()
    }
}

/// Jekyll's `array_to_sentence_string`: `a and b` for two items, `a, b, and c` for more.
fn array_to_sentence_string(c: &Call) -> Result<Value> {
    let connector = c.arg_text(0).unwrap_or_else(|| "and".to_string());
    let items: Vec<String> = items(c.input)
        .unwrap_or_default()
        .iter()
        .map(|v| text(v))
        .collect();
    Ok(string(match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} {connector} {b}"),
        [rest @ .., last] => format!("{}, {connector} {last}", rest.join(", ")),
    }))
}

/// Liquid's `map`: each item's property, over an array flattened, a hash taken as one item.
fn map(c: &Call) -> Result<Value> {
    let key = c.arg_text(0).unwrap_or_default();
    let mut flat = Vec::new();
    flatten(c.input.to_value(), &mut flat);
    Ok(Value::Array(
        flat.iter()
            .map(|item| {
                item.as_object()
                    .and_then(|o| o.get(key.as_str()))
                    .map_or(Value::Nil, |v| v.to_value())
            })
            .collect(),
    ))
}

/// Ruby's `inspect` of a Liquid value (hash keys sorted: liquid-rust's objects keep no order).
fn inspect(value: &Value) -> String {
    match value {
        Value::Nil => "nil".to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inspect).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(object) => {
            let mut pairs: Vec<_> = object.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            let pairs: Vec<String> = pairs
                .into_iter()
                .map(|(k, v)| format!("{}=>{}", quoted(k), inspect(v)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        Value::Scalar(scalar) if scalar.to_integer().is_some() || scalar.to_float().is_some() => {
            scalar.to_kstr().to_string()
        }
        Value::Scalar(scalar) if scalar.to_bool().is_some() => scalar.to_kstr().to_string(),
        other => quoted(&other.to_kstr()),
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn flatten(value: Value, into: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, into)),
        Value::Nil => {}
        other => into.push(other),
    }
}

fn first(value: Value) -> Value {
    match value {
        Value::Array(items) => items.into_iter().next().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// `scheme:`: Addressable's absolute URI.
fn is_absolute(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

fn ensure_leading_slash(part: &str) -> String {
    if part.starts_with('/') {
        part.to_string()
    } else {
        format!("/{part}")
    }
}

/// `input.url` for an object with one (a post), else the input as text.
fn url_input(input: &dyn ValueView) -> String {
    match input.as_object().and_then(|o| o.get("url")) {
        Some(url) => text(url),
        None => text(input),
    }
}

fn relative(c: &Call, input: &str) -> String {
    let baseurl = c.site("baseurl").unwrap_or_default();
    let joined = format!(
        "{}{}",
        ensure_leading_slash(&baseurl),
        ensure_leading_slash(input)
    );
    let mut squeezed = String::with_capacity(joined.len());
    for ch in joined.chars() {
        if !(ch == '/' && squeezed.ends_with('/')) {
            squeezed.push(ch);
        }
    }
    uri_escape(&squeezed)
}

fn relative_url(c: &Call) -> Result<Value> {
    if c.input.is_nil() {
        return Ok(Value::Nil);
    }
    let input = url_input(c.input);
    if is_absolute(&input) {
        return Ok(string(input));
    }
    Ok(string(relative(c, &input)))
}

fn absolute_url(c: &Call) -> Result<Value> {
    if c.input.is_nil() {
        return Ok(Value::Nil);
    }
    let input = url_input(c.input);
    if is_absolute(&input) {
        return Ok(string(input));
    }
    let path = relative(c, &input);
    Ok(string(match c.site("url") {
        Some(url) => format!("{url}{path}"),
        None => path,
    }))
}

/// A date input (a date value or text Liquid reads as one) as chrono's.
fn date_of(value: &dyn ValueView) -> Option<DateTime<FixedOffset>> {
    let scalar = value.as_scalar()?;
    let Some(date) = scalar.to_date_time() else {
        // A date alone (`2024-03-01`) is midnight, as Ruby's `Time.parse` reads it.
        let day = chrono::NaiveDate::parse_from_str(scalar.to_kstr().trim(), "%Y-%m-%d").ok()?;
        return Some(
            day.and_time(chrono::NaiveTime::MIN)
                .and_utc()
                .fixed_offset(),
        );
    };
    DateTime::parse_from_str(&date.to_string(), "%Y-%m-%d %H:%M:%S%.f %z").ok()
}

fn date_format(c: &Call, format: &str) -> Result<Value> {
    if text(c.input).is_empty() {
        return Ok(c.input.to_value());
    }
    match date_of(c.input) {
        Some(date) => Ok(string(date.format(format).to_string())),
        None => Err(Error::with_msg(format!(
            "invalid date `{}`: Jekyll cannot read it as a date",
            text(c.input)
        ))),
    }
}

fn ordinal(day: u32) -> &'static str {
    match (day % 100, day % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    }
}

fn date_to_string(c: &Call, month: &str) -> Result<Value> {
    if c.arg_text(0).as_deref() != Some("ordinal") {
        return date_format(c, &format!("%d {month} %Y"));
    }
    let Some(date) = date_of(c.input) else {
        return date_format(c, "");
    };
    use chrono::Datelike;
    let day = format!("{}{}", date.day(), ordinal(date.day()));
    let format = if c.arg_text(1).as_deref() == Some("US") {
        format!("{month} {day}, %Y")
    } else {
        format!("{day} {month} %Y")
    };
    Ok(string(date.format(&format).to_string()))
}

/// `input` as a list of items: an array's items or a hash's values; `None` for anything else.
fn items(input: &dyn ValueView) -> Option<Vec<Value>> {
    if let Some(array) = input.as_array() {
        return Some(array.values().map(|v| v.to_value()).collect());
    }
    input
        .as_object()
        .map(|o| o.values().map(|v| v.to_value()).collect())
}

/// `item[property]`, with dots going deeper (`where: "author.name", ...`).
fn property(item: &Value, path: &str) -> Value {
    let mut value = item.clone();
    for key in path.split('.') {
        value = match value.as_object().and_then(|o| o.get(key)) {
            Some(child) => child.to_value(),
            None => return Value::Nil,
        };
    }
    value
}

/// Jekyll's `compare_property_vs_target`.
fn matches(property: &Value, target: &Value) -> bool {
    if target.is_nil() {
        return property.is_nil();
    }
    let target = text(target);
    if let Value::Array(values) = property {
        return values.iter().any(|v| text(v) == target);
    }
    !property.is_nil() && text(property) == target
}

fn where_filter(c: &Call) -> Result<Value> {
    let Some(path) = c.arg_text(0) else {
        return Ok(c.input.to_value());
    };
    let target = c.args.get(1).cloned().unwrap_or(Value::Nil);
    if target.is_array() || target.is_object() {
        return Ok(c.input.to_value());
    }
    let Some(items) = items(c.input) else {
        return Ok(c.input.to_value());
    };
    Ok(Value::Array(
        items
            .into_iter()
            .filter(|item| matches(&property(item, &path), &target))
            .collect(),
    ))
}

/// Compiles a template with the site's language (for `*_exp` filters).
fn compile(c: &Call, source: &str) -> Result<Template> {
    let language = c
        .shared
        .and_then(|s| s.language.read().ok().and_then(|l| l.upgrade()))
        .ok_or_else(|| Error::with_msg("expression filters need a site"))?;
    liquid_core::parser::parse(source, &language).map(Template::new)
}

/// Renders `template` with `variable` bound to `item`.
fn with_item(c: &Call, template: &Template, variable: &str, item: &Value) -> Result<String> {
    let mut frame: HashMap<liquid_core::model::KStringRef<'_>, &dyn ValueView> = HashMap::new();
    frame.insert(variable.into(), item);
    let scope = super::runtime::Frame::new(c.runtime, &frame);
    template.render(&scope)
}

fn where_exp(c: &Call) -> Result<Value> {
    let Some(items) = items(c.input) else {
        return Ok(c.input.to_value());
    };
    let variable = c.arg_text(0).unwrap_or_default();
    let expression = c.arg_text(1).unwrap_or_default();
    let template = compile(c, &format!("{{% if {expression} %}}1{{% endif %}}"))?;
    let mut kept = Vec::new();
    for item in items {
        if with_item(c, &template, &variable, &item)? == "1" {
            kept.push(item);
        }
    }
    Ok(Value::Array(kept))
}

/// `[{name, items, size}]` in order of first appearance.
fn groups(keyed: Vec<(String, Value)>) -> Value {
    let mut order: Vec<String> = Vec::new();
    let mut members: HashMap<String, Vec<Value>> = HashMap::new();
    for (key, item) in keyed {
        if !members.contains_key(&key) {
            order.push(key.clone());
        }
        members.entry(key).or_default().push(item);
    }
    Value::Array(
        order
            .into_iter()
            .map(|name| {
                let items = members.remove(&name).unwrap_or_default();
                let mut group = Object::new();
                group.insert("size".into(), Value::scalar(items.len() as i64));
                group.insert("name".into(), string(name));
                group.insert("items".into(), Value::Array(items));
                Value::Object(group)
            })
            .collect(),
    )
}

fn group_by(c: &Call) -> Result<Value> {
    let Some(items) = items(c.input) else {
        return Ok(c.input.to_value());
    };
    let path = c.arg_text(0).unwrap_or_default();
    Ok(groups(
        items
            .into_iter()
            .map(|item| (text(&property(&item, &path)), item))
            .collect(),
    ))
}

fn group_by_exp(c: &Call) -> Result<Value> {
    let Some(items) = items(c.input) else {
        return Ok(c.input.to_value());
    };
    let variable = c.arg_text(0).unwrap_or_default();
    let expression = c.arg_text(1).unwrap_or_default();
    let template = compile(c, &format!("{{{{ {expression} }}}}"))?;
    let mut keyed = Vec::new();
    for item in items {
        keyed.push((with_item(c, &template, &variable, &item)?, item));
    }
    Ok(groups(keyed))
}

/// A value as JSON, object keys sorted (liquid-rust's objects keep no order).
fn json(value: &dyn ValueView) -> serde_json::Value {
    if let Some(array) = value.as_array() {
        return serde_json::Value::Array(array.values().map(json).collect());
    }
    if let Some(object) = value.as_object() {
        let mut keys: Vec<_> = object.keys().collect();
        keys.sort();
        return serde_json::Value::Object(
            keys.into_iter()
                .map(|k| {
                    (
                        k.to_string(),
                        object.get(&k).map_or(serde_json::Value::Null, json),
                    )
                })
                .collect(),
        );
    }
    match value.as_scalar() {
        None => serde_json::Value::Null,
        Some(scalar) => {
            let scalar = scalar.into_owned();
            if let Some(b) = scalar
                .to_bool()
                .filter(|_| matches!(text(value).as_str(), "true" | "false"))
            {
                serde_json::Value::Bool(b)
            } else if value.type_name() == "whole number" {
                scalar
                    .to_integer()
                    .map_or(serde_json::Value::Null, Into::into)
            } else if value.type_name() == "fractional number" {
                scalar
                    .to_float()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            } else {
                serde_json::Value::String(text(value))
            }
        }
    }
}

fn jsonify(c: &Call) -> Result<Value> {
    Ok(string(json(c.input).to_string()))
}

/// Ruby's `encode(xml: :attr)` without the quotes it adds.
pub fn xml_escape(text: &str) -> String {
    crate::escape::html(text)
}

/// Ruby's `CGI.escape`: everything but `A-Za-z0-9_.-~` percent-encoded, spaces as `+`.
pub fn cgi_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b' ' => out.push('+'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Addressable's `normalize_component`: reserved and unreserved characters and `%XX` kept.
pub fn uri_escape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &byte) in bytes.iter().enumerate() {
        let escaped_already = byte == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if byte.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte)
            || escaped_already
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn markdownify(c: &Call) -> Result<Value> {
    let options = crate::markdown::options();
    Ok(string(comrak::markdown_to_html(&text(c.input), &options)))
}

fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FFFF)
}

/// Jekyll's `number_of_words`, with its `cjk` and `auto` modes.
pub fn count_words(text: &str, mode: Option<&str>) -> usize {
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let others = || {
        text.split(|c: char| c.is_whitespace() || is_cjk(c))
            .filter(|w| !w.is_empty())
            .count()
    };
    match mode {
        Some("cjk") => cjk + others(),
        Some("auto") if cjk > 0 => cjk + others(),
        _ => text.split_whitespace().count(),
    }
}

fn number_of_words(c: &Call) -> Result<Value> {
    let mode = c.arg_text(0);
    Ok(Value::scalar(
        count_words(&text(c.input), mode.as_deref()) as i64
    ))
}

/// kramdown's SmartyPants: typographic quotes, dashes, ellipses and guillemets, HTML escaped.
pub fn smartify(text: &str) -> String {
    let text = text.replace("<<", "\u{ab}").replace(">>", "\u{bb}");
    let text = xml_escape(&text).replace("&quot;", "\"");
    let text = text
        .replace("---", "\u{2014}")
        .replace("--", "\u{2013}")
        .replace("...", "\u{2026}");
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    for ch in text.chars() {
        let opening =
            previous.is_none_or(|p| p.is_whitespace() || "([{\u{2014}\u{2013}-".contains(p));
        match ch {
            '\'' if opening => out.push('\u{2018}'),
            '\'' => out.push('\u{2019}'),
            '"' if opening => out.push('\u{201c}'),
            '"' => out.push('\u{201d}'),
            _ => out.push(ch),
        }
        previous = Some(ch);
    }
    out
}

/// Jekyll picks at random; carnet takes the first items, for output that does not change.
fn sample(c: &Call) -> Result<Value> {
    let Some(items) = items(c.input) else {
        return Ok(c.input.to_value());
    };
    match c
        .arg(0)
        .and_then(|n| n.as_scalar().and_then(|s| s.to_integer()))
    {
        None => Ok(items.into_iter().next().unwrap_or(Value::Nil)),
        Some(n) => Ok(Value::Array(
            items
                .into_iter()
                .take(usize::try_from(n).unwrap_or(0))
                .collect(),
        )),
    }
}

fn to_integer(c: &Call) -> Result<Value> {
    let n = c.input.as_scalar().and_then(|s| {
        s.to_integer()
            .or_else(|| s.to_float().map(|f| f as i64))
            .or_else(|| s.to_bool().map(i64::from))
    });
    Ok(Value::scalar(n.unwrap_or(0)))
}

/// `KString` from text, for callers building objects.
pub fn key(text: &str) -> KString {
    KString::from_ref(text)
}
