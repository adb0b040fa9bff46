//! The Liquid pass: tag spans, `raw` / `comment` / `highlight` blocks, and the `liquid-unclosed`
//! rule, over arbitrary bytes. Spans must be sorted, disjoint and on character boundaries.

#![no_main]

mod common;

use carnet::lint::document::{liquid_tags, tag_inner, tag_name, Document};
use carnet::lint::rules::liquid;
use carnet::lint::Checker;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(post) = common::post(data) else {
        return;
    };
    let body = post.body();
    let mut previous_end = 0;
    for (start, end) in liquid_tags(body) {
        assert!(previous_end <= start && start < end && end <= body.len());
        assert!(body.is_char_boundary(start) && body.is_char_boundary(end));
        let tag = &body[start..end];
        assert!(tag.starts_with('{') && tag.ends_with('}'), "{tag:?}");
        tag_name(tag);
        tag_inner(tag);
        previous_end = end;
    }

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
});
