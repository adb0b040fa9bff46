//! `carnet init`: a minimal Jekyll site (`_config.yml`, `.gitignore`) with a first post.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::new::refuse;
use crate::cli::InitArgs;
use crate::paths::display_path;
use crate::render::i18n::Language;
use crate::scaffold::draft::post_date;
use crate::scaffold::{self, yaml, NewPost};
use crate::site::date::Zone;
use crate::site::MARKDOWN_EXTENSIONS;
use crate::{Context, Outcome};

const EXCERPT_SEPARATOR: &str = "<!--more-->";

/// Runs `carnet init`.
pub fn run(args: &InitArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let dir = args
        .dir
        .clone()
        .or_else(|| ctx.global.site.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    let config = dir.join("_config.yml");
    if config.symlink_metadata().is_ok() {
        return refuse(
            ctx,
            &format!(
                "{} already exists: this folder is a site already (start a post with `carnet new`)",
                display_path(&config)
            ),
        );
    }
    let lang = match &args.lang {
        Some(lang) => lang.clone(),
        None => ask_lang(ctx)?,
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    // Shown like the other files it creates: `_config.yml`, not `./_config.yml`.
    let config = dir.join("_config.yml");
    let timezone = machine_timezone();
    let title = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.trim().is_empty() && !n.chars().any(char::is_control))
        .unwrap_or("My blog");
    let mut config_text = format!(
        "title: {}\nlang: {}\nexcerpt_separator: {EXCERPT_SEPARATOR}\n",
        yaml::string(title),
        yaml::string(&lang)
    );
    if let Some(zone) = timezone {
        config_text.push_str(&format!("timezone: {}\n", zone.name()));
    }
    let mut created = Vec::new();
    match crate::fs::create_new(&config, config_text.as_bytes()) {
        Ok(()) => created.push(config),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return refuse(ctx, &format!("{} already exists", display_path(&config)));
        }
        Err(e) => return Err(e).with_context(|| format!("{}: cannot create", config.display())),
    }
    let gitignore = dir.join(".gitignore");
    if create_if_missing(&gitignore, b"_site/\n.jekyll-cache/\n.sass-cache/\n")? {
        created.push(gitignore);
    }
    let posts = dir.join("_posts");
    if !holds_markdown(&posts) {
        let zone = timezone.map_or(Zone::Local, Zone::Named);
        let post = NewPost {
            title: "Welcome".to_string(),
            date: Some(post_date(None, zone, ctx.now(zone))?),
            layout: Some("post".to_string()),
            ..NewPost::default()
        };
        let text = format!(
            "{}\nThe first paragraph of a post is its excerpt, shown on index pages and in feeds.\n\n\
             {EXCERPT_SEPARATOR}\n\nThe rest of the post goes here. Start the next one with `carnet new \"A title\"`.\n",
            post.front_matter()
        );
        let day = post.date.map(|d| d.date_naive());
        let path = posts.join(scaffold::file_name(day, "welcome", "md"));
        std::fs::create_dir_all(&posts)
            .with_context(|| format!("{}: cannot create the folder", posts.display()))?;
        if create_if_missing(&path, text.as_bytes())? {
            created.push(path);
        }
    }
    let mut out = ctx.stdout();
    for path in &created {
        writeln!(out, "{}", display_path(path))?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// The language of the posts: asked for on a terminal (empty for English), else English.
fn ask_lang(ctx: &Context) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        return Ok("en".to_string());
    }
    let question = format!(
        "Language of the posts ({}) [en]: ",
        Language::CODES.join(", ")
    );
    loop {
        let answer = super::new::ask(&question)?;
        if answer.is_empty() {
            return Ok("en".to_string());
        }
        match Language::parse(&answer) {
            Ok(_) => return Ok(answer),
            Err(message) => writeln!(ctx.stderr(), "{message}")?,
        }
    }
}

/// Creates a file unless one is there; says whether it did.
fn create_if_missing(path: &Path, contents: &[u8]) -> anyhow::Result<bool> {
    match crate::fs::create_new(path, contents) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("{}: cannot create", path.display())),
    }
}

fn holds_markdown(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            Path::new(&entry.file_name())
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e))
        })
}

/// The machine's IANA time zone: `$TZ`, else `/etc/timezone`, else the `/etc/localtime` link.
fn machine_timezone() -> Option<chrono_tz::Tz> {
    if let Some(tz) = std::env::var_os("TZ") {
        // A `TZ` that is not an IANA name (`CET-1CEST`) still sets the zone: better none than a wrong one.
        return tz.to_str()?.trim_start_matches(':').parse().ok();
    }
    if let Ok(text) = std::fs::read_to_string("/etc/timezone") {
        if let Ok(zone) = text.trim().parse() {
            return Some(zone);
        }
    }
    let target = std::fs::read_link("/etc/localtime").ok()?;
    let target = target.to_str()?;
    target.split_once("zoneinfo/")?.1.parse().ok()
}
