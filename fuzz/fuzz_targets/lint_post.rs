//! Reads a post from arbitrary bytes, runs every lint rule (the site-wide ones too), prints the
//! findings in every format, lists the post as `list` does, and applies the fixes as `lint --fix`
//! does: nothing may panic, and every span must lie in the text.

#![no_main]

mod common;

use carnet::cli::LintFormat;
use carnet::lint::site_index::SiteIndex;
use carnet::lint::{check_post, check_site, fix, Fix};
use carnet::listing::Entry;
use carnet::output::{self, Report};
use carnet::post::Post;
use carnet::site::SiteFiles;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(post) = common::post(data) else {
        return;
    };
    let (site, settings) = (common::site(), common::settings());
    let report = check_post(&post, site, settings);
    for d in &report.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= post.text.len(),
            "{} reports {:?} in a text of {} bytes",
            d.rule.name,
            d.span,
            post.text.len()
        );
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                assert!(
                    edit.range.start <= edit.range.end
                        && post.text.is_char_boundary(edit.range.start)
                        && post.text.is_char_boundary(edit.range.end),
                    "{} fixes {:?}, not a span of the text",
                    d.rule.name,
                    edit.range
                );
            }
        }
    }

    let files = SiteFiles {
        posts: vec![post.file.clone()],
        others: vec!["index.md".to_string()],
    };
    let facts = [report.facts];
    let index = SiteIndex::build(site, &files, &facts);
    let mut diagnostics = report.diagnostics;
    diagnostics.extend(check_site(&index, &facts, |_| true, settings));
    let report = Report {
        diagnostics: &diagnostics,
        files_checked: 1,
        unreadable: 0,
        unfixed: 0,
        summary: true,
    };
    for format in [
        LintFormat::Human,
        LintFormat::Short,
        LintFormat::Json,
        LintFormat::Github,
        LintFormat::Sarif,
    ] {
        output::write(format, &report, &mut std::io::sink()).expect("a sink takes anything");
    }
    Entry::from_post(post.clone(), site, settings.now);

    let file = post.file.clone();
    fix::fix_text(post.text, |text| {
        let post = Post::from_text(file.clone(), text.to_string(), site);
        check_post(&post, site, settings)
            .diagnostics
            .into_iter()
            .filter_map(|d| d.fix)
            .collect::<Vec<Fix>>()
    });
});
