//! `carnet new`'s decisions, before anything is written: the slug, the date in the site's time
//! zone, the file name, the front matter (from the built-in layout or a template), and whether the
//! name or the URL is taken.

use std::path::Path;

use anyhow::{bail, Context as _};
use chrono::{DateTime, FixedOffset, Timelike};
use serde_yaml::Value;

use super::edit::{self, Place};
use super::template::{self, Values};
use super::{slug, yaml, NewConfig, NewPost};
use crate::paths::display_path;
use crate::post::{scalar_string, Post};
use crate::site::date::{parse_date, Zone};
use crate::site::{Kind, Site, SourceFile};
use crate::source::LineIndex;

/// What `carnet new` is asked for, as the user wrote it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The title, kept exactly.
    pub title: &'a str,
    /// Tags.
    pub tags: &'a [String],
    /// Categories.
    pub categories: &'a [String],
    /// `--slug`, else one made from the title.
    pub slug: Option<&'a str>,
    /// `--ext`, else `carnet.toml`'s, else `md`.
    pub ext: Option<&'a str>,
    /// `--date`, read in the site's zone.
    pub date: Option<&'a str>,
    /// The post's date when `date` is not given.
    pub now: DateTime<FixedOffset>,
    /// A draft: under `_drafts/`, with no date.
    pub draft: bool,
    /// `--layout`.
    pub layout: Option<&'a str>,
    /// `--field KEY=VALUE` pairs.
    pub fields: &'a [String],
    /// `--template`, else `carnet.toml`'s.
    pub template: Option<&'a str>,
}

/// Everything decided about the new post before its text is written.
pub struct Draft {
    post: NewPost,
    slug: String,
    kind: Kind,
    /// `YYYY-MM-DD-slug.ext`, or `slug.ext` for a draft.
    pub file_name: String,
    /// `{{ layout }}` for templates: the flag, else the site's default, else `post`.
    layout: String,
    /// The separator in force for the post: a front-matter default, else `_config.yml`'s.
    excerpt_separator: Option<String>,
}

impl Draft {
    /// Decides the slug, the date, the file name and the front matter, refusing what is wrong.
    pub fn new(request: &Request, site: &Site, config: &NewConfig) -> anyhow::Result<Draft> {
        let title = request.title;
        super::validate_title(title)?;
        let slug = match request.slug {
            Some(slug) => {
                slug::validate(slug)?;
                slug.to_string()
            }
            None => slug::from_title(title)?,
        };
        let ext = match (request.ext, &config.ext) {
            (Some(ext), _) => ext.to_string(),
            (None, Some(ext)) if ext == "md" || ext == "markdown" => ext.clone(),
            (None, Some(ext)) => bail!(
                "{}: [new] ext = {ext:?}: use \"md\" or \"markdown\"",
                site.root.join(crate::site::CARNET_TOML).display()
            ),
            (None, None) => "md".to_string(),
        };
        if request.draft && request.date.is_some() {
            bail!("--date and --draft do not go together: a draft has no date until `carnet publish [--date DATE]`");
        }
        let date = match request.draft {
            true => None,
            false => Some(post_date(request.date, site.config.timezone, request.now)?),
        };
        let kind = if request.draft {
            Kind::Draft
        } else {
            Kind::Post
        };
        let file_name = super::file_name(date.map(|d| d.date_naive()), &slug, &ext);
        let folder = if request.draft { "_drafts" } else { "_posts" };
        let rel = format!("{folder}/{file_name}");
        let default = |key: &str| {
            site.defaults_for(&rel, kind)
                .filter_map(|values| values.get(key).and_then(scalar_string))
                .last()
        };
        let default_layout = default("layout");
        let excerpt_separator =
            default("excerpt_separator").or_else(|| site.config.excerpt_separator.clone());
        if let Some(layout) = request.layout {
            super::one_line("--layout", layout)?;
            if layout.trim().is_empty() {
                bail!("--layout is empty");
            }
        }
        let layout = request
            .layout
            .map(str::to_string)
            .or_else(|| default_layout.clone())
            .unwrap_or_else(|| "post".to_string());
        let post = NewPost {
            title: title.to_string(),
            date,
            // A layout the site's defaults give is left to them, as Jekyll sites usually do.
            layout: match (request.layout, &default_layout) {
                (None, Some(_)) => None,
                _ => Some(layout.clone()),
            },
            categories: super::clean_list("category", request.categories)?,
            tags: super::clean_list("tag", request.tags)?,
            fields: super::parse_fields(request.fields)?,
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

    /// `_posts` or `_drafts`.
    pub fn folder(&self) -> &'static str {
        match self.kind {
            Kind::Draft => "_drafts",
            _ => "_posts",
        }
    }

    /// The file the post will be, inside the site.
    pub fn source_file(&self, site: &Site) -> SourceFile {
        let rel = format!("{}/{}", self.folder(), self.file_name);
        SourceFile {
            path: site.root.join(&rel),
            rel,
            kind: self.kind,
        }
    }

    /// The post's text: the built-in template or the chosen one, with the fields lint requires.
    pub fn text(
        &self,
        request: &Request,
        site: &Site,
        config: &NewConfig,
        required: &[String],
    ) -> anyhow::Result<String> {
        let name = request.template.or(config.template.as_deref());
        let mut text = match name {
            None => self.post.render(self.excerpt_separator.as_deref()),
            Some(name) => self.fill_template(site, name, request)?,
        };
        // Fields `[lint] required` asks for are written empty, ready to fill in.
        let post = Post::from_text(self.source_file(site), text.clone(), site);
        for key in required {
            if post.front().is_some() && !post.data.fields.contains_key(key.as_str()) {
                text = edit::set_field(&text, key, "", &Value::Null, Place::End)
                    .map_err(|e| anyhow::anyhow!("cannot add the required field `{key}`: {e}"))?;
            }
        }
        Ok(text)
    }

    fn fill_template(&self, site: &Site, name: &str, request: &Request) -> anyhow::Result<String> {
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
        let date = self.post.date.map(super::format_date);
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
            let date = super::format_date(date);
            set(
                "date",
                date.clone(),
                Value::String(date),
                Place::After(&["title"]),
            )?;
        }
        if let Some(layout) = request.layout.filter(|_| !used("layout")) {
            set(
                "layout",
                yaml::string(layout),
                Value::String(layout.to_string()),
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
    pub fn conflict(&self, site: &Site, dir: &Path, text: &str) -> Option<String> {
        let stem = self
            .file_name
            .rsplit_once('.')
            .map_or(self.file_name.as_str(), |(s, _)| s);
        if let Some(existing) = super::taken(dir, stem) {
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
        let (url, other) = super::url_taken(site, &new)?;
        Some(format!(
            "the new post's URL {url} is already the URL of {}; Jekyll would keep only one of them (choose another --slug)",
            display_path(&other.path)
        ))
    }
}

/// The refusal when the post's file already exists.
pub fn exists_message(path: &Path) -> String {
    format!(
        "{} already exists; carnet never overwrites a file (choose another --slug or --date)",
        display_path(path)
    )
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

/// The date a post gets: `--date` read in the site's zone, else `now`; whole seconds.
pub fn post_date(
    given: Option<&str>,
    zone: Zone,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<DateTime<FixedOffset>> {
    let date = match given {
        Some(text) => parse_date(text)
            .with_context(|| {
                format!("--date {text}: not a date (use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)")
            })?
            .in_zone(zone),
        None => now,
    };
    Ok(date.with_nanosecond(0).unwrap_or(date))
}
