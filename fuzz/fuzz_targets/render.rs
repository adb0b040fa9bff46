//! Renders a post's body to HTML with carnet's Markdown dialect, and with the linter's: nothing
//! may panic or overflow the stack.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(post) = common::post(data) else {
        return;
    };
    comrak::markdown_to_html(post.body(), &carnet::markdown::options());
    comrak::markdown_to_html(post.body(), &carnet::markdown::lint_options());
});
