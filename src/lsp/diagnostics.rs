//! Lint findings as LSP diagnostics, and the code actions that repair or silence them.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, DiagnosticSeverity, NumberOrString, Range,
    TextEdit, Url, WorkspaceEdit,
};

use super::text::LineMap;
use crate::lint::document::Document;
use crate::lint::{Diagnostic, Severity};
use crate::post::Post;

/// Where the rules are documented (the README's table; `carnet rules NAME` prints the same).
const RULES_DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "#rules");

/// The name the diagnostics are published under.
const SOURCE: &str = "carnet";

/// A finding as the editor shows it.
pub fn to_lsp(diagnostic: &Diagnostic, map: &LineMap) -> lsp_types::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let href = Url::parse(RULES_DOCS).ok();
    lsp_types::Diagnostic {
        range: range(map, &diagnostic.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.rule.name.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: diagnostic.message.clone(),
        ..Default::default()
    }
}

/// The LSP range of a byte span.
pub fn range(map: &LineMap, span: &std::ops::Range<usize>) -> Range {
    Range::new(map.position(span.start), map.position(span.end))
}

/// The actions for the findings overlapping `wanted`: each fix, then "disable this rule for this
/// line" (when the line is in the body, outside code) and "for this file".
pub fn actions(uri: &Url, post: &Post, findings: &[Diagnostic], wanted: Range) -> Vec<CodeAction> {
    let map = LineMap::new(&post.text);
    let document = post.is_valid().then(|| Document::parse(post));
    let mut out = Vec::new();
    let mut silenced_lines = Vec::new();
    let mut silenced_files = Vec::new();
    let overlapping: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| overlaps(range(&map, &d.span), wanted))
        .collect();
    for d in &overlapping {
        let Some(fix) = &d.fix else { continue };
        let edits = fix
            .edits
            .iter()
            .map(|e| TextEdit::new(range(&map, &e.range), e.replacement.clone()))
            .collect();
        out.push(action(
            format!("Fix: {}", d.message),
            uri,
            edits,
            d,
            &map,
            Some(CodeActionKind::QUICKFIX),
            true,
        ));
    }
    for d in &overlapping {
        let name = d.rule.name;
        let line = d.start.line - 1;
        let line_end = map.line_end(line);
        // Suppression comments are read in the body only.
        let in_body = d.span.start >= post.body_start;
        let in_code = document.as_ref().is_some_and(|doc| doc.in_code(line_end));
        if in_body && !in_code && !silenced_lines.contains(&(name, line)) {
            silenced_lines.push((name, line));
            let at = map.position(line_end);
            let comment = format!(" <!-- carnet-disable-line {name} -->");
            out.push(action(
                format!("Disable {name} for this line"),
                uri,
                vec![TextEdit::new(Range::new(at, at), comment)],
                d,
                &map,
                None,
                false,
            ));
        }
        if !silenced_files.contains(&name) {
            silenced_files.push(name);
            let at = map.position(post.body_start);
            let comment = format!("<!-- carnet-disable-file {name} -->\n");
            out.push(action(
                format!("Disable {name} for this file"),
                uri,
                vec![TextEdit::new(Range::new(at, at), comment)],
                d,
                &map,
                None,
                false,
            ));
        }
    }
    out
}

fn action(
    title: String,
    uri: &Url,
    edits: Vec<TextEdit>,
    diagnostic: &Diagnostic,
    map: &LineMap,
    kind: Option<CodeActionKind>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind.unwrap_or(CodeActionKind::QUICKFIX)),
        diagnostics: Some(vec![to_lsp(diagnostic, map)]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    }
}

/// Whether two ranges share a position (an empty range touching the other counts).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
