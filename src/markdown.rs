//! comrak set-up shared by linting and rendering: the Markdown dialect carnet reads.

use comrak::Options;

/// CommonMark plus the GFM extensions Jekyll's kramdown users expect: tables, strikethrough,
/// autolinks, task lists, footnotes; heading ids for anchors; raw HTML kept (the author's own).
pub fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.header_id_prefix = Some(String::new());
    options.render.r#unsafe = true;
    options
}

/// Options for linting: no autolink extension, so bare URLs stay text for `bare-url` to see.
pub fn lint_options() -> Options<'static> {
    let mut options = options();
    options.extension.autolink = false;
    options
}
