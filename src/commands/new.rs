//! `carnet new`: scaffold a post (or a draft) that `carnet lint` finds nothing wrong with.
//!
//! Everything is decided and checked before anything is written: the slug, the date in the site's
//! time zone, the front matter (read back with the post model), the lint rules, the file name and
//! the URL. The file is then created without ever replacing one, so two runs racing for the same
//! name cannot both win.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use chrono::{DateTime, FixedOffset, Timelike};
use serde_yaml::Value;

use crate::cli::NewArgs;
use crate::config::CarnetConfig;
use crate::lint::{self, Settings, Severity};
use crate::paths::display_path;
use crate::post::{scalar_string, Post};
use crate::scaffold::edit::{self, Place};
use crate::scaffold::template::{self, Values};
use crate::scaffold::{self, slug, yaml, NewPost};
use crate::site::date::{parse_date, Zone};
use crate::site::{Kind, Site, SourceFile};
use crate::source::LineIndex;
use crate::{Context, Outcome};

/// Runs `carnet new`.
pub fn run(args: &NewArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let (site, carnet) = ctx.site_and_settings()?;
    let title = match &args.title {
        Some(title) => title.clone(),
        None => ask_title()?,
    };
    let tags_typed;
    let tags = if args.title.is_none() && args.tags.is_empty() {
        tags_typed = ask("Tags (comma-separated, Enter for none): ")?
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>();
        &tags_typed
    } else {
        &args.tags
    };
    let draft = Draft::new(args, ctx, &site, &carnet, &title, tags)?;
    let dir = site.root.join(draft.folder());
    // `_posts/` or `_drafts/` may be a symbolic link: follow it only if it stays in the site.
    crate::fs::resolve_inside(&site.root, &dir).with_context(|| display_path(&dir))?;
    let target = dir.join(&draft.file_name);
    let text = draft.text(args, &site, &carnet)?;
    if let Some(refusal) = draft.conflict(&site, &dir, &text) {
        return refuse(ctx, &refusal);
    }
    if let Some(refusal) = lint_errors(&site, &carnet, &draft, &target, &text, ctx) {
        return refuse(ctx, &refusal);
    }
    let mut out = ctx.stdout();
    if args.dry_run {
        writeln!(out, "{}", display_path(&target))?;
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(Outcome::Success);
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    match crate::fs::create_new(&target, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return refuse(ctx, &exists_message(&target));
        }
        Err(e) => return Err(e).with_context(|| format!("{}: cannot create", target.display())),
    }
    writeln!(out, "{}", display_path(&target))?;
    out.flush()?;
    drop(out);
    if args.edit {
        open_editor(&target)?;
    }
    Ok(Outcome::Success)
}

/// Prints a refusal (nothing was written) and ends with exit code 1.
pub fn refuse(ctx: &Context, message: &str) -> anyhow::Result<Outcome> {
    writeln!(ctx.stderr(), "{} {message}", crate::output::error_prefix())?;
    Ok(Outcome::Failure)
}

fn exists_message(path: &Path) -> String {
    format!(
        "{} already exists; carnet never overwrites a file (choose another --slug or --date)",
        display_path(path)
    )
}

/// Everything decided about the new post before its text is written.
struct Draft {
    post: NewPost,
    slug: String,
    kind: Kind,
    file_name: String,
    /// `{{ layout }}` for templates: the flag, else the site's default, else `post`.
    layout: String,
    /// The separator in force for the post: a front-matter default, else `_config.yml`'s.
    excerpt_separator: Option<String>,
}

impl Draft {
    fn new(
        args: &NewArgs,
        ctx: &Context,
        site: &Site,
        carnet: &CarnetConfig,
        title: &str,
        tags: &[String],
    ) -> anyhow::Result<Draft> {
        scaffold::validate_title(title)?;
        let slug = match &args.slug {
            Some(slug) => {
                slug::validate(slug)?;
                slug.clone()
            }
            None => slug::from_title(title)?,
        };
        let ext = match (&args.ext, &carnet.new.ext) {
            (Some(ext), _) => ext.clone(),
            (None, Some(ext)) if ext == "md" || ext == "markdown" => ext.clone(),
            (None, Some(ext)) => bail!(
                "{}: [new] ext = {ext:?}: use \"md\" or \"markdown\"",
                site.root.join(crate::site::CARNET_TOML).display()
            ),
            (None, None) => "md".to_string(),
        };
        if args.draft && args.date.is_some() {
            bail!("--date and --draft do not go together: a draft has no date until `carnet publish [--date DATE]`");
        }
        let date = match args.draft {
            true => None,
            false => Some(post_date(args.date.as_deref(), site.config.timezone, ctx)?),
        };
        let kind = if args.draft { Kind::Draft } else { Kind::Post };
        let file_name = scaffold::file_name(date.map(|d| d.date_naive()), &slug, &ext);
        let folder = if args.draft { "_drafts" } else { "_posts" };
        let rel = format!("{folder}/{file_name}");
        let default = |key: &str| {
            site.defaults_for(&rel, kind)
                .filter_map(|values| values.get(key).and_then(scalar_string))
                .last()
        };
        let default_layout = default("layout");
        let excerpt_separator =
            default("excerpt_separator").or_else(|| site.config.excerpt_separator.clone());
        if let Some(layout) = &args.layout {
            scaffold::one_line("--layout", layout)?;
            if layout.trim().is_empty() {
                bail!("--layout is empty");
            }
        }
        let layout = args
            .layout
            .clone()
            .or_else(|| default_layout.clone())
            .unwrap_or_else(|| "post".to_string());
        let post = NewPost {
            title: title.to_string(),
            date,
            // A layout the site's defaults give is left to them, as Jekyll sites usually do.
            layout: match (&args.layout, &default_layout) {
                (None, Some(_)) => None,
                _ => Some(layout.clone()),
            },
            categories: scaffold::clean_list("category", &args.categories)?,
            tags: scaffold::clean_list("tag", tags)?,
            fields: scaffold::parse_fields(&args.fields)?,
        };
        Ok(Draft {
            post,
            slug,
            kind,
            file_name,
            layout,
            excerpt_separator,
        })
    }

    fn folder(&self) -> &'static str {
        match self.kind {
            Kind::Draft => "_drafts",
            _ => "_posts",
        }
    }

    fn source_file(&self, site: &Site) -> SourceFile {
        let rel = format!("{}/{}", self.folder(), self.file_name);
        SourceFile {
            path: site.root.join(&rel),
            rel,
            kind: self.kind,
        }
    }

    /// The post's text: the built-in template or the chosen one, with the fields lint requires.
    fn text(&self, args: &NewArgs, site: &Site, carnet: &CarnetConfig) -> anyhow::Result<String> {
        let name = args.template.as_ref().or(carnet.new.template.as_ref());
        let mut text = match name {
            None => self.post.render(self.excerpt_separator.as_deref()),
            Some(name) => self.fill_template(site, name, args)?,
        };
        // Fields `[lint] required` asks for are written empty, ready to fill in.
        let post = Post::from_text(self.source_file(site), text.clone(), site);
        for key in required_fields(carnet) {
            if post.front().is_some() && !post.data.fields.contains_key(key.as_str()) {
                text = edit::set_field(&text, &key, "", &Value::Null, Place::End)
                    .map_err(|e| anyhow::anyhow!("cannot add the required field `{key}`: {e}"))?;
            }
        }
        Ok(text)
    }

    fn fill_template(&self, site: &Site, name: &str, args: &NewArgs) -> anyhow::Result<String> {
        let path = template::path(&site.root, name)?;
        let shown = display_path(&path);
        let inside = std::fs::canonicalize(&path)
            .ok()
            .zip(std::fs::canonicalize(site.root.join(template::FOLDER)).ok())
            .is_some_and(|(file, folder)| file.starts_with(folder));
        let source = match std::fs::read_to_string(&path) {
            Ok(_) if !inside => bail!(
                "{shown}: the template must be a file inside {}/",
                template::FOLDER
            ),
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "{shown}: no such template{}",
                available_templates(&site.root)
            ),
            Err(e) => return Err(e).with_context(|| format!("{shown}: cannot read")),
        };
        let date = self.post.date.map(scaffold::format_date);
        let values = Values {
            title: &self.post.title,
            date: date.as_deref(),
            slug: &self.slug,
            tags: &self.post.tags,
            categories: &self.post.categories,
            layout: &self.layout,
        };
        let filled =
            template::fill(&source, &values).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        if !filled.has_front_matter {
            let mut text = self.post.front_matter();
            text.push_str(&filled.text);
            return Ok(text);
        }
        let mut text = filled.text;
        let has_title = match edit::mapping(&text) {
            Ok(mapping) => mapping.contains_key("title"),
            Err(e) => {
                let line = e.offset().map_or(String::new(), |offset| {
                    format!(
                        ", line {}",
                        LineIndex::new(&text).position(&text, offset).line
                    )
                });
                bail!(
                    "{shown}: once filled in{line}: {e} (placeholders are filled in as whole YAML values, as in `title: {{{{ title }}}}`)"
                );
            }
        };
        let used = |name: &str| filled.used.contains(&name);
        let mut set =
            |key: &str, value: String, expected: Value, place: Place| -> anyhow::Result<()> {
                text = edit::set_field(&text, key, &value, &expected, place)
                    .map_err(|e| anyhow::anyhow!("{shown}: cannot set `{key}`: {e}"))?;
                Ok(())
            };
        if !has_title {
            let title = &self.post.title;
            set(
                "title",
                yaml::string(title),
                Value::String(title.clone()),
                Place::After(&["layout"]),
            )?;
        }
        if let Some(date) = self.post.date {
            let date = scaffold::format_date(date);
            set(
                "date",
                date.clone(),
                Value::String(date),
                Place::After(&["title"]),
            )?;
        }
        if let Some(layout) = args.layout.as_ref().filter(|_| !used("layout")) {
            set(
                "layout",
                yaml::string(layout),
                Value::String(layout.clone()),
                Place::After(&[]),
            )?;
        }
        let list =
            |items: &[String]| Value::Sequence(items.iter().cloned().map(Value::String).collect());
        if !used("categories") {
            match self.post.categories.as_slice() {
                [] => {}
                [one] => set(
                    "category",
                    yaml::string(one),
                    Value::String(one.clone()),
                    Place::After(&["date", "title"]),
                )?,
                many => set(
                    "categories",
                    yaml::flow_list(many),
                    list(many),
                    Place::After(&["date", "title"]),
                )?,
            }
        }
        if !used("tags") && !self.post.tags.is_empty() {
            let tags = &self.post.tags;
            set(
                "tags",
                yaml::flow_list(tags),
                list(tags),
                Place::After(&["categories", "category", "date", "title"]),
            )?;
        }
        for (key, value) in &self.post.fields {
            set(key, value.to_yaml(), value.to_value(), Place::End)?;
        }
        Ok(text)
    }

    /// A file or a post already holding this name or URL, as a refusal message.
    fn conflict(&self, site: &Site, dir: &Path, text: &str) -> Option<String> {
        let stem = self
            .file_name
            .rsplit_once('.')
            .map_or(self.file_name.as_str(), |(s, _)| s);
        if let Some(existing) = scaffold::taken(dir, stem) {
            let target = dir.join(&self.file_name);
            return Some(if existing == target {
                exists_message(&target)
            } else {
                format!(
                    "{} already exists with the same slug and day; Jekyll would publish only one of them (choose another --slug)",
                    display_path(&existing)
                )
            });
        }
        if self.kind != Kind::Post {
            return None;
        }
        let new = Post::from_text(self.source_file(site), text.to_string(), site);
        let (url, other) = scaffold::url_taken(site, &new)?;
        Some(format!(
            "the new post's URL {url} is already the URL of {}; Jekyll would keep only one of them (choose another --slug)",
            display_path(&other.path)
        ))
    }
}

/// The lint errors of the new post, as a refusal message listing them.
fn lint_errors(
    site: &Site,
    carnet: &CarnetConfig,
    draft: &Draft,
    target: &Path,
    text: &str,
    ctx: &Context,
) -> Option<String> {
    let settings = Settings::new(&carnet.lint, &[], &[], ctx.now(site.config.timezone)).ok()?;
    let mut file = draft.source_file(site);
    file.path = PathBuf::from(target);
    let post = Post::from_text(file, text.to_string(), site);
    let report = lint::check_post(&post, site, &settings);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("  {}", crate::output::short::line(d)))
        .collect();
    (!errors.is_empty()).then(|| {
        format!(
            "the new post would not pass `carnet lint`, so it was not written:\n{}",
            errors.join("\n")
        )
    })
}

fn required_fields(carnet: &CarnetConfig) -> Vec<String> {
    carnet
        .lint
        .required
        .clone()
        .unwrap_or_else(|| vec!["title".to_string()])
}

fn available_templates(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join(template::FOLDER))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".md")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    if names.is_empty() {
        format!(" (templates are Markdown files in {}/)", template::FOLDER)
    } else {
        format!(" (available: {})", names.join(", "))
    }
}

fn ask_title() -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no TITLE given: pass the post's title, as in `carnet new \"A title\"`");
    }
    let title = ask("Title: ")?;
    if title.is_empty() {
        bail!("no title given");
    }
    Ok(title)
}

/// Asks a question on stderr and reads the answer, trimmed, from stdin (empty at end of input).
pub(super) fn ask(question: &str) -> anyhow::Result<String> {
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{question}")?;
    stderr.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

/// Opens `$VISUAL`, else `$EDITOR`, on the file and waits for it to close.
fn open_editor(path: &Path) -> anyhow::Result<()> {
    let Some((var, editor)) = ["VISUAL", "EDITOR"].iter().find_map(|var| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(|v| (*var, v))
    }) else {
        bail!(
            "--edit: set $VISUAL or $EDITOR to the editor to open ({} was created)",
            display_path(path)
        );
    };
    let shown = editor.to_string_lossy().into_owned();
    let kept = format!("{} was created and is kept", display_path(path));
    let status = editor_command(&editor, path)
        .status()
        .with_context(|| format!("could not start the editor `{shown}` (from ${var}); {kept}"))?;
    // The shell reports a command it cannot find or run with 127 or 126.
    if cfg!(unix) && matches!(status.code(), Some(126 | 127)) {
        bail!("could not start the editor `{shown}` (from ${var}): not found or not executable; {kept}");
    }
    if !status.success() {
        bail!("the editor `{shown}` (from ${var}) exited with {status}; {kept}");
    }
    Ok(())
}

/// The editor's command: through `sh` on Unix so that `$EDITOR` may hold arguments (`code --wait`).
fn editor_command(editor: &std::ffi::OsStr, path: &Path) -> std::process::Command {
    if cfg!(unix) {
        let mut script = editor.to_os_string();
        script.push(" \"$@\"");
        let mut command = std::process::Command::new("sh");
        command.arg("-c").arg(script).arg("sh").arg(path);
        command
    } else {
        let mut command = std::process::Command::new(editor);
        command.arg(path);
        command
    }
}

/// The date a post gets: `--date` read in the site's zone, else now; whole seconds.
pub fn post_date(
    given: Option<&str>,
    zone: Zone,
    ctx: &Context,
) -> anyhow::Result<DateTime<FixedOffset>> {
    let date = match given {
        Some(text) => parse_date(text)
            .with_context(|| {
                format!("--date {text}: not a date (use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)")
            })?
            .in_zone(zone),
        None => ctx.now(zone),
    };
    Ok(date.with_nanosecond(0).unwrap_or(date))
}
