//! Jekyll's `site`: the configuration's keys, `data`, `time`, `posts`, and the rest built on first
//! use only (`pages` and `static_files`, which mean reading files, and `tags`, `categories`,
//! `collections`, `documents` and each collection by its label, which hold every post again):
//! most posts never ask for them.

use std::fmt;
use std::sync::OnceLock;

use liquid_core::model::{
    DisplayCow, KString, KStringCow, Object, ObjectView, State, Value, ValueView,
};
use serde_yaml::Mapping;

use super::{date_value, string, yaml_to_value};

/// A collection other than `posts`, as `site.collections` shows it.
#[derive(Debug, Clone, Default)]
pub struct CollectionObjects {
    /// `label`.
    pub label: String,
    /// `output`.
    pub output: bool,
    /// `permalink`, when `_config.yml` gives one.
    pub permalink: Option<String>,
    /// `relative_directory`: the folder under the site root (`_docs`).
    pub directory: String,
    /// Its documents, each as `page` sees it.
    pub docs: Vec<Object>,
    /// Its other files, as `site.static_files` shows them.
    pub files: Vec<Object>,
}

/// What `site` lists beside the posts, read only when a template asks for it.
#[derive(Debug, Clone, Default)]
pub struct Others {
    /// `site.pages`.
    pub pages: Vec<Object>,
    /// `site.static_files`.
    pub static_files: Vec<Object>,
    /// The collections other than `posts`, in `_config.yml`'s order.
    pub collections: Vec<CollectionObjects>,
}

/// Reads [`Others`].
pub type ReadOthers = Box<dyn Fn() -> Others + Send + Sync>;

/// The documents `site.*` lists, each already a Liquid object.
#[derive(Default)]
pub struct Documents {
    /// `site.posts`, newest first.
    pub posts: Vec<Object>,
    /// The labels of the collections other than `posts` (`site.LABEL` lists their documents).
    pub labels: Vec<String>,
    /// Pages, static files and the other collections' documents.
    pub others: Option<ReadOthers>,
}

/// The `site` object.
pub struct SiteObject {
    base: Object,
    others: Option<ReadOthers>,
    derived_keys: Vec<KString>,
    derived: OnceLock<Object>,
}

impl fmt::Debug for SiteObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SiteObject")
            .field("base", &self.base)
            .field("derived", &self.derived.get())
            .finish()
    }
}

impl SiteObject {
    /// The configuration's keys, then `url` and `baseurl` as exported, `data`, `time` and the
    /// documents.
    pub fn new(
        config: &Mapping,
        url: &str,
        baseurl: &str,
        data: Object,
        time: chrono::DateTime<chrono::FixedOffset>,
        documents: Documents,
    ) -> SiteObject {
        let mut base = match yaml_to_value(&serde_yaml::Value::Mapping(config.clone())) {
            Value::Object(object) => object,
            _ => Object::new(),
        };
        base.insert("url".into(), string(url));
        base.insert("baseurl".into(), string(baseurl));
        base.insert("data".into(), Value::Object(data));
        base.insert("time".into(), date_value(time));
        let array =
            |items: Vec<Object>| Value::Array(items.into_iter().map(Value::Object).collect());
        base.insert("posts".into(), array(documents.posts));
        let mut derived_keys: Vec<KString> = [
            "tags",
            "categories",
            "collections",
            "documents",
            "pages",
            "static_files",
        ]
        .into_iter()
        .map(KString::from_static)
        .collect();
        for label in &documents.labels {
            derived_keys.push(KString::from_ref(label));
        }
        SiteObject {
            base,
            others: documents.others,
            derived_keys,
            derived: OnceLock::new(),
        }
    }

    fn derived(&self) -> &Object {
        self.derived.get_or_init(|| self.derive())
    }

    fn derive(&self) -> Object {
        let posts: Vec<Value> = self
            .base
            .get("posts")
            .and_then(|v| v.as_array())
            .map(|a| a.values().map(|v| v.to_value()).collect())
            .unwrap_or_default();
        let mut derived = Object::new();
        for key in ["tags", "categories"] {
            derived.insert(KString::from_static(key), Value::Object(group(&posts, key)));
        }
        let mut oldest_first = posts;
        oldest_first.reverse();
        let mut documents = oldest_first.clone();
        let mut posts_collection = Object::new();
        posts_collection.insert("label".into(), string("posts"));
        posts_collection.insert("output".into(), Value::scalar(true));
        posts_collection.insert("relative_directory".into(), string("_posts"));
        posts_collection.insert("docs".into(), Value::Array(oldest_first));
        posts_collection.insert("files".into(), Value::Array(Vec::new()));
        let mut collections = vec![("posts".to_string(), Value::Object(posts_collection))];
        let others = self.others.as_ref().map(|read| read()).unwrap_or_default();
        let array =
            |items: Vec<Object>| Value::Array(items.into_iter().map(Value::Object).collect());
        derived.insert("pages".into(), array(others.pages));
        derived.insert("static_files".into(), array(others.static_files));
        for label in self.derived_keys.iter().skip(6) {
            derived.insert(label.clone(), Value::Array(Vec::new()));
        }
        for collection in &others.collections {
            let docs: Vec<Value> = collection.docs.iter().cloned().map(Value::Object).collect();
            let files: Vec<Value> = collection
                .files
                .iter()
                .cloned()
                .map(Value::Object)
                .collect();
            documents.extend(docs.iter().cloned());
            documents.extend(files.iter().cloned());
            derived.insert(
                KString::from_ref(&collection.label),
                Value::Array(docs.clone()),
            );
            let mut object = Object::new();
            object.insert("label".into(), string(collection.label.as_str()));
            object.insert("output".into(), Value::scalar(collection.output));
            object.insert(
                "relative_directory".into(),
                string(collection.directory.as_str()),
            );
            if let Some(permalink) = &collection.permalink {
                object.insert("permalink".into(), string(permalink.as_str()));
            }
            object.insert("docs".into(), Value::Array(docs));
            object.insert("files".into(), Value::Array(files));
            collections.push((collection.label.clone(), Value::Object(object)));
        }
        // Jekyll lists `site.collections` by label.
        collections.sort_by(|a, b| a.0.cmp(&b.0));
        derived.insert(
            "collections".into(),
            Value::Array(collections.into_iter().map(|(_, c)| c).collect()),
        );
        derived.insert("documents".into(), Value::Array(documents));
        derived
    }
}

/// `site.tags` or `site.categories`: each name to its posts, newest first.
fn group(posts: &[Value], key: &str) -> Object {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for post in posts {
        let Some(names) = post
            .as_object()
            .and_then(|p| p.get(key))
            .and_then(|v| v.as_array())
        else {
            continue;
        };
        for name in names.values() {
            let name = name.to_kstr().to_string();
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, members)) => members.push(post.clone()),
                None => groups.push((name, vec![post.clone()])),
            }
        }
    }
    groups
        .into_iter()
        .map(|(name, posts)| (KString::from(name), Value::Array(posts)))
        .collect()
}

impl ValueView for SiteObject {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }

    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().render().to_string()))
    }

    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
    }

    fn type_name(&self) -> &'static str {
        "object"
    }

    fn query_state(&self, state: State) -> bool {
        matches!(state, State::Truthy)
    }

    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.to_value().to_kstr().to_string())
    }

    fn to_value(&self) -> Value {
        let mut object = self.base.clone();
        for (key, value) in self.derived().iter() {
            object.insert(key.clone(), value.clone());
        }
        Value::Object(object)
    }

    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for SiteObject {
    fn as_value(&self) -> &dyn ValueView {
        self
    }

    fn size(&self) -> i64 {
        (self.base.len() + self.derived_keys.len()) as i64
    }

    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(
            self.base
                .keys()
                .chain(self.derived_keys.iter())
                .map(|k| KStringCow::from(k.as_str())),
        )
    }

    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.iter().map(|(_, v)| v))
    }

    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        let base = self
            .base
            .iter()
            .filter(|(k, _)| !self.derived_keys.contains(k))
            .map(|(k, v)| (KStringCow::from(k.as_str()), v as &dyn ValueView));
        let derived = self
            .derived()
            .iter()
            .map(|(k, v)| (KStringCow::from(k.as_str()), v as &dyn ValueView));
        Box::new(base.chain(derived))
    }

    fn contains_key(&self, index: &str) -> bool {
        self.base.contains_key(index) || self.derived_keys.iter().any(|k| k == index)
    }

    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        if self.derived_keys.iter().any(|k| k == index) {
            return self.derived().get(index).map(|v| v as &dyn ValueView);
        }
        self.base.get(index).map(|v| v as &dyn ValueView)
    }
}
