//! Which posts an export writes: the date and URL Jekyll gives each, its status, and the posts
//! Jekyll would refuse (an error naming the post) or not treat as posts at all (a warning).

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rayon::prelude::*;

use super::{at, field_offset, ExportError, Options};
use crate::post::{Post, Status};
use crate::site::date::Zone;
use crate::site::permalink::pattern_for;
use crate::site::split::Split;
use crate::site::{Kind, Site, SourceFile};
use crate::template::Targets;

/// A post the export writes, with the date, URL and status it has there.
pub struct Chosen {
    /// The post as read.
    pub post: Post,
    /// Its date, as Jekyll gives it.
    pub date: DateTime<FixedOffset>,
    /// Its URL path, escaped, without `baseurl`.
    pub url: String,
    /// Its status at the export's clock.
    pub status: Status,
}

/// What [`select`] keeps.
pub struct Selection {
    /// The posts written, newest first.
    pub chosen: Vec<Chosen>,
    /// Every post's URL by name and path, for `{% post_url %}` and `{% link %}`.
    pub targets: Targets,
    /// Files of `_posts/` or `_drafts/` Jekyll does not treat as posts, as warnings.
    pub skipped: Vec<String>,
}

/// Where a post goes in an export: its index among the posts [`choose`] was given, and the date,
/// URL and status it has there.
pub struct Place {
    /// The post's index in the slice given.
    pub index: usize,
    /// Its date, as Jekyll gives it.
    pub date: DateTime<FixedOffset>,
    /// Its URL path, escaped, without `baseurl`.
    pub url: String,
    /// Its status at the export's clock.
    pub status: Status,
}

/// What [`choose`] keeps: [`Selection`] with the posts left where they are.
pub struct Choice {
    /// The posts written, newest first.
    pub places: Vec<Place>,
    /// Every post's URL by name and path, for `{% post_url %}` and `{% link %}`.
    pub targets: Targets,
    /// Files of `_posts/` or `_drafts/` Jekyll does not treat as posts, as warnings.
    pub skipped: Vec<String>,
}

/// The posts the options ask for (`named` ones whatever their status), newest first; the posts
/// Jekyll would refuse are errors naming them.
pub fn select(
    site: &Site,
    posts: Vec<Post>,
    named: &[SourceFile],
    options: &Options,
) -> Result<Selection, ExportError> {
    let Choice {
        places,
        targets,
        skipped,
    } = choose(site, &posts.iter().collect::<Vec<_>>(), named, options)?;
    let mut posts: Vec<Option<Post>> = posts.into_iter().map(Some).collect();
    let chosen = places
        .into_iter()
        .filter_map(|place| {
            Some(Chosen {
                post: posts[place.index].take()?,
                date: place.date,
                url: place.url,
                status: place.status,
            })
        })
        .collect();
    Ok(Selection {
        chosen,
        targets,
        skipped,
    })
}

/// [`select`] without taking the posts: where each chosen post goes.
pub fn choose(
    site: &Site,
    posts: &[&Post],
    named: &[SourceFile],
    options: &Options,
) -> Result<Choice, ExportError> {
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    let mut places: Vec<Place> = Vec::new();
    let mut targets = Targets::default();
    // Each post's date and URL, worked out on every core: a permalink takes slugs and escapes.
    let placed: Vec<_> = posts
        .par_iter()
        .map(|post| {
            jekyll_post_date(post, site.config.timezone)
                .map(|date| (date, url_of(post, site, date)))
        })
        .collect();
    for ((index, &post), placed) in posts.iter().enumerate().zip(placed) {
        let is_named = named.contains(&post.file);
        let considered =
            is_named || (named.is_empty() && (post.file.kind == Kind::Post || options.drafts));
        let (date, url) = match placed {
            Ok(placed) => placed,
            Err(Rejected::NotAPost(why)) => {
                let message = format!("not exported: Jekyll does not treat it as a post ({why})");
                if is_named {
                    problems.push(at(post, 0, &message));
                } else if considered {
                    skipped.push(at(post, 0, &message));
                }
                continue;
            }
            Err(Rejected::Problem(offset, message)) => {
                if considered {
                    problems.push(at(post, offset, &message));
                }
                continue;
            }
        };
        let url = match url {
            Ok(url) => url,
            Err(message) => {
                if considered {
                    problems.push(at(post, field_offset(post, "permalink"), &message));
                }
                continue;
            }
        };
        if post.file.kind == Kind::Post {
            for name in crate::post::post_url_names(&post.file.rel) {
                targets.by_name.insert(name, url.clone());
            }
            targets.by_path.insert(post.file.rel.clone(), url.clone());
        }
        let status = status_at(post, date, options.now);
        let wanted = is_named
            || (named.is_empty()
                && match status {
                    Status::Published => true,
                    Status::Draft => options.drafts,
                    Status::Future => options.future || site.config.future,
                    Status::Unpublished => options.unpublished,
                });
        if wanted {
            places.push(Place {
                index,
                date,
                url,
                status,
            });
        }
    }
    if !problems.is_empty() {
        return Err(ExportError::Content(problems));
    }
    let rel = |place: &Place| &posts[place.index].file.rel;
    places.sort_by(|a, b| (b.date, rel(b)).cmp(&(a.date, rel(a))));
    Ok(Choice {
        places,
        targets,
        skipped,
    })
}

/// The files named on the command line, which must be posts or drafts of the site.
pub fn named_files(site: &Site, paths: &[PathBuf]) -> Result<Vec<SourceFile>, ExportError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.is_file() {
            problems.push(format!("{}: no such file", path.display()));
            continue;
        }
        let file = site.source_file(path);
        if file.kind == Kind::Page {
            problems.push(format!(
                "{}: not a post of the site at {} (posts live under _posts/ or _drafts/)",
                path.display(),
                site.root.display()
            ));
            continue;
        }
        if !files.contains(&file) {
            files.push(file);
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(ExportError::Trouble(problems))
    }
}

/// Why a file of `_posts/` or `_drafts/` gets no date.
enum Rejected {
    /// Jekyll does not treat the file as a post (it copies it as a static file).
    NotAPost(&'static str),
    /// Jekyll would stop with an error, at this byte offset.
    Problem(usize, String),
}

/// The date Jekyll gives a post; a draft without `date:` takes its file's modification time.
fn jekyll_post_date(post: &Post, zone: Zone) -> Result<DateTime<FixedOffset>, Rejected> {
    match &post.split {
        Split::Missing | Split::Toml => {
            return Err(Rejected::NotAPost("it has no YAML front matter"));
        }
        Split::Unclosed { .. } => {
            return Err(Rejected::NotAPost(
                "its front matter is never closed by a `---` line",
            ));
        }
        Split::Closed { .. } => {}
    }
    if let Some(Err(error)) = &post.front_matter {
        let offset = match error {
            crate::site::front_matter::FrontMatterError::Invalid { offset, .. }
            | crate::site::front_matter::FrontMatterError::NotMapping { offset, .. } => *offset,
        };
        return Err(Rejected::Problem(offset, error.to_string()));
    }
    let date_field = post.data.fields.get("date").filter(|v| !v.is_null());
    let has_date_field = date_field.is_some();
    if has_date_field && post.data.written_date.is_none() {
        return Err(Rejected::Problem(
            field_offset(post, "date"),
            format!(
                "`date:` is not a date Jekyll reads ({})",
                crate::site::date::DATE_FORMS
            ),
        ));
    }
    if post.file.kind == Kind::Post {
        if post.name.date_text.is_none() {
            return Err(Rejected::NotAPost(
                "its file name has no YYYY-MM-DD- prefix",
            ));
        }
        if post.name.date.is_none() && !has_date_field {
            return Err(Rejected::Problem(
                0,
                "the date in the file name is not a real day".to_string(),
            ));
        }
    }
    if let Some(date) = post
        .data
        .date
        .filter(|d| !crate::site::date::fits_rfc3339(d))
    {
        return Err(Rejected::Problem(
            field_offset(post, "date"),
            crate::site::date::beyond_rfc3339(&date),
        ));
    }
    post.data
        .date
        .or_else(|| {
            let modified = std::fs::metadata(&post.file.path)
                .and_then(|m| m.modified())
                .ok()?;
            let utc: DateTime<chrono::Utc> = modified.into();
            Some(zone.convert(utc.fixed_offset()))
        })
        .or_else(|| {
            let day = post.name.date?;
            Some(zone.resolve(day.and_time(NaiveTime::MIN)))
        })
        .ok_or(Rejected::NotAPost("it has no date"))
}

/// Published, draft, future or unpublished, from the date the export uses.
fn status_at(post: &Post, date: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> Status {
    match post.status(now) {
        Status::Published | Status::Future if date > now => Status::Future,
        Status::Future => Status::Published,
        other => other,
    }
}

/// The URL path of a post under its permalink, refusing patterns that climb out of the site.
fn url_of(post: &Post, site: &Site, date: DateTime<FixedOffset>) -> Result<String, String> {
    let style = post.permalink_style(site);
    if pattern_for(style)
        .split(['/', '\\'])
        .any(|segment| segment == "..")
    {
        return Err(format!(
            "permalink `{style}` climbs out of the site with `..`: refusing to write outside the output folder"
        ));
    }
    post.url_at(site, date).map_err(|e| e.to_string())
}
