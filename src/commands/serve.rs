//! `carnet serve`: builds the preview, listens, prints the URL, then rebuilds on every change
//! until Ctrl-C.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::cli::ServeArgs;
use crate::lint::{Diagnostic, Settings};
use crate::render;
use crate::serve::{self, Findings, Pages, Preview, State};
use crate::{Context, Outcome};

/// How long the files must stay quiet before rebuilding: editors write a save in several steps.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// How often Ctrl-C is looked for while waiting.
const POLL: Duration = Duration::from_millis(200);

/// Serves the site until Ctrl-C.
pub fn run(args: &ServeArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let (site, carnet) = ctx.site_and_settings()?;
    let now = ctx.now(site.config.timezone);
    let settings = Settings::new(&carnet.lint, &[], &[], now)?;
    let options = render::Options {
        drafts: args.include.drafts,
        future: args.include.future,
        unpublished: args.include.unpublished,
        named: Vec::new(),
        base_url: None,
        highlight: true,
        sanitize: false,
        // Rebuilds keep rendered posts in memory; reading the cache file on each would slow them.
        cache: false,
        now,
    };
    let baseurl = site.config.baseurl.clone();
    let mut preview = Preview::new(site, settings, options)?;
    let first = preview.build(&[]);
    report_error(ctx, &first)?;
    let (server, address) = serve::bind(&args.host, args.port)?;
    let state = State::new(first, &baseurl);
    let url = format!("http://{address}{}", state.home());
    writeln!(ctx.stdout(), "Serving {url} (Ctrl-C to stop)")?;
    if args.open {
        open_browser(&url);
    }
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).context("cannot watch files")?;
    watcher
        .watch(&preview.site().root, RecursiveMode::Recursive)
        .context("cannot watch the site")?;
    crate::interrupt::install();
    let server = Arc::new(server);
    let listener = {
        let (server, state) = (Arc::clone(&server), Arc::clone(&state));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                serve::respond(&state, request);
            }
        })
    };
    loop {
        if crate::interrupt::requested() {
            break;
        }
        let mut changed = match events.recv_timeout(POLL) {
            Ok(Ok(event)) if is_change(&event) => event.paths,
            Ok(_) | Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        while let Ok(event) = events.recv_timeout(DEBOUNCE) {
            changed.extend(
                event
                    .ok()
                    .filter(is_change)
                    .map(|e| e.paths)
                    .unwrap_or_default(),
            );
        }
        let changed = serve::relevant(changed, preview.site());
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        let pages = preview.build(&changed);
        report_error(ctx, &pages)?;
        let (spent, built) = (pages.spent, pages.error.is_none());
        // The pages first: the findings follow once linted, reloading the pages only if they
        // show something else.
        state.replace(pages);
        let rebuilt = started.elapsed();
        let linting = Instant::now();
        let findings = if built {
            preview.lint(&changed)
        } else {
            Findings::new()
        };
        report_findings(ctx, &findings)?;
        state.show(findings);
        if !ctx.global.quiet {
            writeln!(
                ctx.stderr(),
                "carnet: rebuilt in {} ms (read {}, posts {}, pages {}), linted in {} ms",
                rebuilt.as_millis(),
                spent.read.as_millis(),
                spent.posts.as_millis(),
                spent.pages.as_millis(),
                linting.elapsed().as_millis()
            )?;
        }
    }
    server.unblock();
    let _ = listener.join();
    Ok(Outcome::Success)
}

/// Whether an event creates, changes or removes a file: reading the posts to rebuild them makes
/// access events, which must not start another rebuild.
fn is_change(event: &Event) -> bool {
    matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Prints why the site cannot be built.
fn report_error(ctx: &Context, pages: &Pages) -> anyhow::Result<()> {
    let mut stderr = ctx.stderr();
    if let Some(error) = &pages.error {
        for line in error.lines() {
            writeln!(stderr, "{} {line}", crate::output::error_prefix())?;
        }
    }
    Ok(())
}

/// Prints the findings of the posts that changed.
fn report_findings(ctx: &Context, findings: &Findings) -> anyhow::Result<()> {
    let mut stderr = ctx.stderr();
    let mut findings: Vec<&Diagnostic> = findings.values().flatten().collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for d in findings {
        writeln!(
            stderr,
            "{}:{}:{}: {}[{}] {}",
            crate::paths::display_path(&d.path),
            d.start.line,
            d.start.column,
            d.severity,
            d.rule.name,
            d.message
        )?;
    }
    Ok(())
}

/// Opens `url` in the default browser; failing to is not worth stopping the server for.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
