//! The Liquid pass: the tokenizer, `raw` / `comment` / `highlight` blocks, the `liquid-unclosed`
//! rule, and the export's Liquid expansion, over arbitrary bytes. Tokens must cover the text in
//! order, and spans must be sorted and on character boundaries.

#![no_main]

mod common;

use carnet::lint::document::Document;
use carnet::lint::rules::liquid;
use carnet::lint::Checker;
use carnet::liquid::{tokenize, Tag, Token};
use carnet::render::liquid_pass::{expand, Page, Scope, Targets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(post) = common::post(data) else {
        return;
    };
    let body = post.body();
    let tokens = tokenize(body);
    let mut at = 0;
    for token in tokens.iter() {
        let span = token.span();
        assert!(span.start == at && span.start < span.end && span.end <= body.len());
        assert!(body.is_char_boundary(span.end));
        if let Token::Tag(tag) = &token {
            let again = Tag::parse(&body[span.clone()]).expect("a tag reads as a tag");
            assert_eq!((again.name, again.args), (tag.name, tag.args));
        }
        at = span.end;
    }
    assert_eq!(at, body.len());

    let document = Document::parse(&post);
    for spans in [&document.liquid, &document.liquid_blocks] {
        for pair in spans.windows(2) {
            assert!(pair[0].start <= pair[1].start, "{spans:?}");
        }
        for span in spans {
            assert!(span.start <= span.end && span.end <= post.text.len());
            assert!(post.text.is_char_boundary(span.start) && post.text.is_char_boundary(span.end));
        }
    }
    let mut checker = Checker::new(&post, common::site(), common::settings());
    liquid::check(&mut checker, &document);
    for d in checker.into_diagnostics() {
        assert!(d.span.start <= d.span.end && d.span.end <= post.text.len());
    }
    liquid::highlight_blocks(&post.text, post.body_start, &document);

    let targets = Targets::default();
    let scope = Scope {
        url: "https://example.org",
        baseurl: "/blog",
        title: "Fuzz",
        config: &common::site().config.raw,
        targets: &targets,
        page_url: &|_: &str| None,
    };
    let page = Page {
        title: "Fuzz",
        url: "/fuzz.html",
        date: "2020-02-29 00:00:00 +0100",
        fields: &post.data.fields,
    };
    let cut = body.find("<!--more-->");
    match expand(body, cut, &scope, &page) {
        Ok(expanded) => {
            if let Some(cut) = expanded.cut {
                assert!(expanded.text.is_char_boundary(cut));
            }
        }
        Err(error) => assert!(body.is_char_boundary(error.offset) && error.offset < body.len()),
    }
});
