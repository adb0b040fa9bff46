//! `for` and `tablerow`, adapted from liquid-lib's (MIT, cobalt-org/liquid-rust) to run as Jekyll's
//! Liquid does: the loop's variables sit in a [`Frame`] where a missing key is nil, each
//! iteration counts towards the render's step budget, a string is one item, and a value that
//! cannot be iterated (a number, `true`) takes the `else` branch instead of failing.

use std::collections::HashMap;
use std::io::Write;

use liquid_core::error::{ResultLiquidExt, ResultLiquidReplaceExt};
use liquid_core::model::{KString, KStringRef, Object, ObjectView, Value, ValueCow, ValueView};
use liquid_core::parser::{BlockElement, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template,
};

use super::runtime::{step, Frame};

/// `{% for item in items [limit: n] [offset: n] [reversed] %}…[{% else %}…]{% endfor %}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ForBlock;

/// `{% tablerow item in items [cols: n] [limit: n] [offset: n] %}…{% endtablerow %}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct TableRowBlock;

impl BlockReflection for ForBlock {
    fn start_tag(&self) -> &str {
        "for"
    }

    fn end_tag(&self) -> &str {
        "endfor"
    }

    fn description(&self) -> &str {
        "Renders its body once per item of an array, hash, string or range."
    }
}

impl BlockReflection for TableRowBlock {
    fn start_tag(&self) -> &str {
        "tablerow"
    }

    fn end_tag(&self) -> &str {
        "endtablerow"
    }

    fn description(&self) -> &str {
        "Renders an HTML table row per `cols` items."
    }
}

/// What both loops share: the variable, what it walks, and the slicing attributes.
#[derive(Debug)]
struct Head {
    variable: KString,
    range: Range,
    limit: Option<Expression>,
    offset: Option<Expression>,
    cols: Option<Expression>,
    reversed: bool,
}

#[derive(Debug)]
enum Range {
    Items(Expression),
    Counted(Expression, Expression),
}

fn parse_head(arguments: &mut TagTokenIter<'_>, tablerow: bool) -> Result<Head> {
    let variable = arguments
        .expect_next("Identifier expected.")?
        .expect_identifier()
        .into_result()?;
    arguments
        .expect_next("\"in\" expected.")?
        .expect_str("in")
        .into_result_custom_msg("\"in\" expected.")?;
    let range = arguments.expect_next("Array or range expected.")?;
    let range = match range.expect_value() {
        TryMatchToken::Matches(items) => Range::Items(items),
        TryMatchToken::Fails(range) => match range.expect_range() {
            TryMatchToken::Matches((start, stop)) => Range::Counted(start, stop),
            TryMatchToken::Fails(range) => return range.raise_error().into_err(),
        },
    };
    let mut head = Head {
        variable: KString::from_ref(variable),
        range,
        limit: None,
        offset: None,
        cols: None,
        reversed: false,
    };
    while let Some(token) = arguments.next() {
        match token.as_str() {
            "limit" => head.limit = Some(parse_attribute(arguments)?),
            "offset" => head.offset = Some(parse_attribute(arguments)?),
            "cols" if tablerow => head.cols = Some(parse_attribute(arguments)?),
            "reversed" if !tablerow => head.reversed = true,
            _ => {
                let expected = if tablerow {
                    "\"cols\", \"limit\" or \"offset\" expected."
                } else {
                    "\"limit\", \"offset\" or \"reversed\" expected."
                };
                return token.raise_custom_error(expected).into_err();
            }
        }
    }
    arguments.expect_nothing()?;
    Ok(head)
}

fn parse_attribute(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()
}

/// The body, and the `else` branch when `with_else`.
fn parse_body(
    mut tokens: TagBlock<'_, '_>,
    options: &Language,
    with_else: bool,
) -> Result<(Template, Option<Template>)> {
    let mut body = Vec::new();
    let mut otherwise = None;
    while let Some(element) = tokens.next()? {
        match element {
            BlockElement::Tag(mut tag) if with_else && tag.name() == "else" => {
                tag.tokens().expect_nothing()?;
                otherwise = Some(Template::new(tokens.parse_all(options)?));
                break;
            }
            BlockElement::Tag(tag) => body.push(tag.parse(&mut tokens, options)?),
            element => body.push(element.parse(&mut tokens, options)?),
        }
    }
    tokens.assert_empty();
    Ok((Template::new(body), otherwise))
}

impl ParseBlock for ForBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let head = parse_head(&mut arguments, false)?;
        let (body, otherwise) = parse_body(tokens, options, true)?;
        Ok(Box::new(For {
            head,
            body,
            otherwise,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

impl ParseBlock for TableRowBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let head = parse_head(&mut arguments, true)?;
        let (body, _) = parse_body(tokens, options, false)?;
        Ok(Box::new(TableRow { head, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

impl Head {
    fn trace(&self, tag: &str) -> String {
        format!("{{% {tag} {} in {} %}}", self.variable, self.range_text())
    }

    fn range_text(&self) -> String {
        match &self.range {
            Range::Items(items) => items.to_string(),
            Range::Counted(start, stop) => format!("({start}..{stop})"),
        }
    }

    /// The items walked, after `offset`, `limit` and `reversed`; `None` when the value cannot be
    /// iterated (Jekyll renders the `else` branch).
    fn items<'r>(&'r self, runtime: &'r dyn Runtime) -> Result<Option<Vec<ValueCow<'r>>>> {
        let items = match &self.range {
            Range::Items(expression) => match expression.evaluate(runtime)? {
                ValueCow::Borrowed(value) => borrowed_items(value),
                ValueCow::Owned(value) => owned_items(value),
            },
            Range::Counted(start, stop) => {
                let start = whole_number(start, runtime)?;
                let stop = whole_number(stop, runtime)?;
                if stop.saturating_sub(start) > super::MAX_RANGE {
                    return Err(Error::with_msg(format!(
                        "the range ({start}..{stop}) is longer than {} items: a runaway loop, refused",
                        super::MAX_RANGE
                    )));
                }
                Some((start..=stop).map(|i| Value::scalar(i).into()).collect())
            }
        };
        let Some(mut items) = items else {
            return Ok(None);
        };
        let offset = attribute(&self.offset, runtime)?
            .unwrap_or(0)
            .min(items.len());
        items.drain(..offset);
        if let Some(limit) = attribute(&self.limit, runtime)? {
            items.truncate(limit);
        }
        if self.reversed {
            items.reverse();
        }
        Ok(Some(items))
    }
}

fn borrowed_items(value: &dyn ValueView) -> Option<Vec<ValueCow<'_>>> {
    if let Some(array) = value.as_array() {
        return Some(array.values().map(ValueCow::Borrowed).collect());
    }
    if let Some(object) = value.as_object() {
        let mut pairs: Vec<_> = object.iter().collect();
        // liquid-rust's objects keep no insertion order: sorted keys at least give the same output on every run.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        return Some(
            pairs
                .into_iter()
                .map(|(k, v)| {
                    Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()]).into()
                })
                .collect(),
        );
    }
    scalar_items(value)
}

fn owned_items<'r>(value: Value) -> Option<Vec<ValueCow<'r>>> {
    match value {
        Value::Array(items) => Some(items.into_iter().map(ValueCow::Owned).collect()),
        Value::Object(object) => borrowed_items(&object).map(|items| {
            items
                .into_iter()
                .map(|item| ValueCow::Owned(item.into_owned()))
                .collect()
        }),
        other => match scalar_items(&other).map(|items| items.len()) {
            Some(0) => Some(Vec::new()),
            Some(_) => Some(vec![ValueCow::Owned(other)]),
            None => None,
        },
    }
}

/// Liquid iterates a string as one item, nil as none; anything else is not iterable.
fn scalar_items<'v>(value: &'v dyn ValueView) -> Option<Vec<ValueCow<'v>>> {
    if value.is_nil() || value.is_state() {
        return Some(Vec::new());
    }
    let scalar = value.as_scalar()?;
    let text = scalar.to_kstr();
    let is_text = scalar.to_integer().is_none()
        && scalar.to_float().is_none()
        && scalar.to_bool().is_none()
        && scalar.to_date_time().is_none();
    match is_text {
        true if text.is_empty() => Some(Vec::new()),
        true => Some(vec![ValueCow::Borrowed(value)]),
        false => None,
    }
}

fn whole_number(expression: &Expression, runtime: &dyn Runtime) -> Result<i64> {
    let value = expression.evaluate(runtime)?;
    value
        .as_scalar()
        .and_then(|s| s.to_integer())
        .ok_or_else(|| {
            Error::with_msg(format!(
                "Expected whole number, found `{}`",
                value.type_name()
            ))
        })
}

fn attribute(expression: &Option<Expression>, runtime: &dyn Runtime) -> Result<Option<usize>> {
    expression
        .as_ref()
        .map(|e| whole_number(e, runtime).map(|n| n.max(0) as usize))
        .transpose()
}

#[derive(Debug)]
struct For {
    head: Head,
    body: Template,
    otherwise: Option<Template>,
}

/// Jekyll's `forloop`: a struct rather than an object, as it is made once per iteration.
#[derive(Debug, Clone, liquid_core::ValueView, liquid_core::ObjectView)]
struct Forloop<'p> {
    name: KString,
    length: i64,
    index: i64,
    index0: i64,
    rindex: i64,
    rindex0: i64,
    first: bool,
    last: bool,
    parentloop: Option<&'p dyn ValueView>,
}

impl<'p> Forloop<'p> {
    fn new(name: &KString, i: usize, length: usize, parentloop: Option<&'p dyn ValueView>) -> Self {
        let (i, length) = (i as i64, length as i64);
        Forloop {
            name: name.clone(),
            length,
            index: i + 1,
            index0: i,
            rindex: length - i,
            rindex0: length - i - 1,
            first: i == 0,
            last: i == length - 1,
            parentloop,
        }
    }
}

impl Renderable for For {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let trace = || self.head.trace("for");
        let items = self.head.items(runtime).trace_with(|| trace().into())?;
        let items = match items {
            Some(items) if !items.is_empty() => items,
            _ => {
                if let Some(otherwise) = &self.otherwise {
                    otherwise
                        .render_to(writer, runtime)
                        .trace_with(|| trace().into())?;
                }
                return Ok(());
            }
        };
        let name = KString::from(format!("{}-{}", self.head.variable, self.head.range_text()));
        let parent = runtime.try_get(&[liquid_core::model::ScalarCow::new("forloop")]);
        let parent = parent.as_ref().map(|v| v.as_view());
        let length = items.len();
        for (i, item) in items.iter().enumerate() {
            step(runtime).trace_with(|| trace().into())?;
            let forloop = Forloop::new(&name, i, length, parent);
            let mut data: HashMap<KStringRef<'_>, &dyn ValueView> = HashMap::new();
            data.insert("forloop".into(), &forloop);
            data.insert(self.head.variable.as_ref(), item.as_view());
            let frame = Frame::new(runtime, data);
            self.body
                .render_to(writer, &frame)
                .trace_with(|| trace().into())
                .context_key("index")
                .value_with(|| format!("{}", i + 1).into())?;
            let interrupt = frame.registers().get_mut::<InterruptRegister>().reset();
            if let Some(Interrupt::Break) = interrupt {
                break;
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
struct TableRow {
    head: Head,
    body: Template,
}

impl Renderable for TableRow {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let trace = || self.head.trace("tablerow");
        let items = self
            .head
            .items(runtime)
            .trace_with(|| trace().into())?
            .unwrap_or_default();
        let length = items.len();
        let cols = attribute(&self.head.cols, runtime)?
            .filter(|&c| c > 0)
            .unwrap_or(length.max(1));
        writeln!(writer, "<tr class=\"row1\">").replace("Failed to render")?;
        for (i, item) in items.iter().enumerate() {
            step(runtime).trace_with(|| trace().into())?;
            let (col, row) = (i % cols, i / cols);
            let last = i + 1 == length;
            let col_last = col + 1 == cols || last;
            let mut tablerow = Object::new();
            for (key, value) in [
                ("length", length as i64),
                ("index", i as i64 + 1),
                ("index0", i as i64),
                ("rindex", (length - i) as i64),
                ("rindex0", (length - i - 1) as i64),
                ("col", col as i64 + 1),
                ("col0", col as i64),
                ("row", row as i64 + 1),
            ] {
                tablerow.insert(KString::from_static(key), Value::scalar(value));
            }
            for (key, value) in [
                ("first", i == 0),
                ("last", last),
                ("col_first", col == 0),
                ("col_last", col_last),
            ] {
                tablerow.insert(KString::from_static(key), Value::scalar(value));
            }
            let tablerow = Value::Object(tablerow);
            write!(writer, "<td class=\"col{}\">", col + 1).replace("Failed to render")?;
            let mut data: HashMap<KStringRef<'_>, &dyn ValueView> = HashMap::new();
            data.insert("tablerowloop".into(), &tablerow);
            data.insert(self.head.variable.as_ref(), item.as_view());
            self.body
                .render_to(writer, &Frame::new(runtime, data))
                .trace_with(|| trace().into())?;
            write!(writer, "</td>").replace("Failed to render")?;
            if col_last && !last {
                write!(writer, "</tr>\n<tr class=\"row{}\">", row + 2)
                    .replace("Failed to render")?;
            }
        }
        writeln!(writer, "</tr>").replace("Failed to render")?;
        Ok(())
    }
}
