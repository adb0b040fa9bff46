//! Deterministic generator of realistic Jekyll sites, for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen_site -- DIR N SEED [--hugo] [--force] [--defect-rate R]
//! ```
//!
//! Writes:
//!
//! * `DIR/_config.yml`, `DIR/_layouts/{default,post}.html`, `DIR/index.html`: a plain Jekyll site
//!   (`excerpt_separator: <!--more-->`, `timezone: Europe/Paris`);
//! * `DIR/_posts/YYYY-MM-DD-slug.md`: N posts with YAML front matter and 300-2500 words of
//!   Markdown each (about 11 KB on average);
//! * `DIR/_defects.tsv`: ground truth for the planted defects (file, defect, line, snippet);
//! * with `--hugo`, the same posts in `DIR/content/posts/`, plus `DIR/hugo.toml` and minimal
//!   layouts in `DIR/layouts/_default/`, so that `hugo` and `hugo list all` work on `DIR` too.
//!
//! The output depends only on N and SEED: post `i` is drawn from its own generator seeded with
//! (SEED, i), so a clean post's text does not depend on N; the set of defective posts (about 2%,
//! `--defect-rate`) comes from a separate generator. Dates lie between 2008-01-01 and 2024-12-31,
//! and the day in `date:` is always the day in the file name, also once read in Europe/Paris time.
//! Nothing but the standard library is used.
//!
//! Defects (one per defective post, types taken round-robin in a seeded order, so each type is
//! present once there are at least as many defective posts as types): `missing_title`,
//! `empty_link` (`[x]()`), `reversed_link` (`(x)[https://...]`), `undefined_reference`,
//! `missing_excerpt_marker`, `empty_image_alt` (`![](...)`). None of them stops `jekyll build` or
//! `hugo`.

// A stand-alone generator run from a terminal: it reports there directly.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const MARKER: &str = "<!--more-->";

// ---------------------------------------------------------------------------------------------
// Pseudo-random numbers: SplitMix64 (Steele, Lea & Flood 2014), enough for synthetic text.
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// `k` distinct elements of `xs`, in random order.
    fn sample<T: Copy>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut v = xs.to_vec();
        let k = k.min(v.len());
        for j in 0..k {
            let r = j + self.below(v.len() - j);
            v.swap(j, r);
        }
        v.truncate(k);
        v
    }

    /// Triangular distribution on `[lo, hi]` with the given mode.
    fn triangular(&mut self, lo: f64, hi: f64, mode: f64) -> f64 {
        let u = self.unit();
        let c = (mode - lo) / (hi - lo);
        if u < c {
            lo + ((hi - lo) * (mode - lo) * u).sqrt()
        } else {
            hi - ((hi - lo) * (hi - mode) * (1.0 - u)).sqrt()
        }
    }
}

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to turn the SEED argument (any string) into a number.
fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const EN_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "this", "are", "or", "from", "at", "which", "but", "have", "an", "they", "you",
    "were", "there", "been", "one", "all", "we", "their", "has", "would", "when", "if", "so",
    "what", "can", "out", "other", "more", "will", "up", "about", "into", "them", "some", "time",
    "could", "these", "two", "may", "then", "do", "first", "any", "now", "such", "like", "our",
    "over", "only", "its", "new", "also", "after", "very", "well", "where", "much", "before",
    "through", "back", "years", "work", "way", "even", "because", "good", "same", "system",
    "data", "server", "build", "release", "version", "change", "feature", "code", "test", "user",
    "file", "post", "blog", "page", "site", "theme", "layout", "link", "image", "list", "table",
    "query", "cache", "memory", "thread", "process", "request", "response", "network", "storage",
    "database", "index", "search", "parser", "compiler", "runtime", "library", "package",
    "module", "function", "method", "class", "object", "value", "error", "option", "config",
    "setting", "deploy", "pipeline", "review", "commit", "branch", "merge", "issue", "patch",
    "performance", "latency", "throughput", "benchmark", "profile", "trace", "metric", "log",
    "alert", "monitor", "design", "pattern", "interface", "protocol", "schema", "format",
    "encoding", "unicode", "markdown", "html", "simple", "small", "large", "fast", "slow",
    "better", "worse", "easy", "hard", "clear", "quiet", "early", "late", "often", "rarely",
    "usually", "always", "never", "perhaps", "simply", "really", "quite", "rather", "almost",
    "nearly", "week", "month", "year", "morning", "evening", "weekend", "holiday", "trip",
    "travel", "city", "mountain", "river", "coffee", "tea", "bread", "garden", "book", "music",
    "film", "photo", "camera", "kitchen", "recipe", "dinner", "friend", "family", "team",
    "project", "idea", "note", "thought", "question", "answer", "problem", "solution", "lesson",
    "write", "read", "learn", "teach", "explain", "show", "think", "know", "find", "keep",
    "start", "stop", "run", "try", "use", "make", "take", "give", "look", "come", "go", "see",
    "want", "need", "seem", "feel", "leave", "call", "ask", "turn", "move", "don't", "it's",
];

#[rustfmt::skip]
const FR_WORDS: &[&str] = &[
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "à", "en", "dans", "pour", "sur",
    "avec", "par", "pas", "plus", "que", "qui", "ce", "cette", "mais", "ou", "où", "donc",
    "est", "sont", "était", "fait", "faire", "avoir", "être", "nous", "vous", "ils", "elles",
    "on", "très", "bien", "aussi", "comme", "tout", "tous", "après", "avant", "depuis",
    "pendant", "entre", "chez", "sans", "sous", "encore", "déjà", "toujours", "jamais",
    "souvent", "parfois", "peut-être", "vraiment", "presque", "l'été", "d'abord", "aujourd'hui",
    "qu'il", "l'équipe", "n'est", "c'est", "j'ai", "projet", "code", "serveur", "fichier",
    "article", "billet", "blog", "page", "site", "thème", "modèle", "lien", "image", "liste",
    "tableau", "requête", "cache", "mémoire", "processus", "réseau", "base", "données", "index",
    "recherche", "analyseur", "compilateur", "bibliothèque", "paquet", "module", "fonction",
    "méthode", "valeur", "erreur", "option", "configuration", "déploiement", "chaîne",
    "révision", "branche", "fusion", "correctif", "performance", "latence", "débit", "mesure",
    "journal", "alerte", "conception", "interface", "protocole", "format", "encodage",
    "semaine", "mois", "année", "matin", "soir", "week-end", "vacances", "voyage", "ville",
    "montagne", "rivière", "café", "thé", "pain", "jardin", "livre", "musique", "film", "photo",
    "appareil", "cuisine", "recette", "dîner", "ami", "famille", "équipe", "idée", "note",
    "pensée", "question", "réponse", "problème", "solution", "leçon", "hiver", "printemps",
    "automne", "forêt", "château", "hôtel", "gare", "train", "vélo", "marché", "fromage",
    "boulangerie", "crêpe", "écrire", "lire", "apprendre", "expliquer", "montrer", "penser",
    "savoir", "trouver", "garder", "commencer", "arrêter", "essayer", "utiliser", "prendre",
    "donner", "regarder", "venir", "aller", "voir", "vouloir", "rapide", "lent", "simple",
    "petit", "grand", "facile", "difficile", "clair", "calme", "tôt", "tard", "nouveau",
    "ancien", "léger", "lourd", "élégant", "pratique", "étrange", "sûr", "réussi", "œuvre",
];

#[rustfmt::skip]
const UNICODE_WORDS: &[&str] = &[
    "café", "élève", "résumé", "naïve", "façade", "crème", "brûlée", "déjà", "Noël", "forêt",
    "château", "œuvre", "garçon", "hôtel", "fiancée", "coopération", "über", "Zürich", "São",
    "Paulo", "Straße", "Ångström", "smörgåsbord", "jalapeño", "piñata", "Kraków", "Dvořák",
    "rôle", "señor", "naïveté", "Ελληνικά", "Привет", "Montréal", "Genève", "Besançon",
    "Orléans", "日本語", "東京", "京都", "ラーメン", "漢字", "서울", "北京",
];

#[rustfmt::skip]
const CJK_TITLES: &[&str] = &[
    "東京の夜", "京都で紅葉", "ラーメン日記", "日本語の勉強", "漢字と Unicode", "서울 여행",
    "北京烤鸭", "初めての Rust", "東京 → 京都",
];

#[rustfmt::skip]
const EMOJI: &[&str] = &["🚀", "🎉", "☕", "🐛", "📷", "🇫🇷", "✨", "🦀", "🍜", "⛰️"];

#[rustfmt::skip]
const CATEGORIES: &[&str] = &[
    "programmation", "rust", "python", "devops", "voyages", "cuisine", "photographie", "vie",
    "livres", "musique", "web", "sécurité", "databases", "notes", "tutoriels", "opinion",
    "culture", "travel",
];

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "jekyll", "markdown", "rust", "cli", "linux", "performance", "testing", "git", "docker",
    "kubernetes", "postgres", "sqlite", "html", "css", "javascript", "go", "ruby", "yaml",
    "unicode", "français", "café", "recette", "paris", "montréal", "randonnée", "film", "vinyl",
    "astuces", "howto", "release-notes", "benchmarks", "security", "privacy", "emacs", "vim",
    "shell", "réseau", "cloud", "éducation", "été",
];

#[rustfmt::skip]
const AUTHORS: &[&str] = &[
    "Alice Martin", "Bob Nguyen", "Chloé Dubois", "José Álvarez", "Zoë Ōkubo",
    "Émile Lefèvre", "Priya Raman", "Søren Kierkegaard Jr.", "Hélène d'Arcy",
];

#[rustfmt::skip]
const LANGS: &[&str] = &[
    "python", "javascript", "bash", "ruby", "yaml", "go", "rust", "json", "html", "", "sh",
    "toml", "text",
];

#[rustfmt::skip]
const DOMAINS: &[&str] = &[
    "example.com", "example.org", "docs.example.net", "blog.example.io", "wiki.example.com",
    "git.example.fr",
];

#[rustfmt::skip]
const CODE_SPANS: &[&str] = &[
    "foo()", "--verbose", "Cargo.toml", "_config.yml", "git rebase -i", "SELECT 1", "null",
    "x += 1", "HashMap<K, V>", "jekyll serve", "Vec::new()", "let mut n = 0;",
];

const DEFECTS: &[&str] = &[
    "missing_title",
    "empty_link",
    "reversed_link",
    "undefined_reference",
    "missing_excerpt_marker",
    "empty_image_alt",
];

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// ASCII transliteration of the Latin letters that occur in the vocabulary; other scripts and
/// symbols are dropped by `slugify`.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ō' | 'Ô' | 'Ö' | 'Ō' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' => "y",
        'ø' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        'ř' => "r",
        _ => return None,
    })
}

fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        let piece: Option<String> = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase().to_string())
        } else {
            fold(c).map(str::to_string)
        };
        match piece {
            Some(p) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push_str(&p);
            }
            None => dash = true,
        }
    }
    if out.len() > 60 {
        let cut = out[..60].rfind('-').unwrap_or(60);
        out.truncate(cut);
    }
    out
}

/// A YAML scalar as people write them by hand: sometimes bare, often double-quoted, sometimes
/// single-quoted; always quoted when YAML (1.1, as Jekyll reads it) would need it.
fn yaml_scalar(rng: &mut Rng, s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let needs = s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        || s.contains(['"', '[', ']', '{', '}'])
        || s.trim() != s
        || matches!(
            lower.as_str(),
            "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
        )
        || s.parse::<f64>().is_ok();
    if needs {
        return double_quoted(s);
    }
    let r = rng.unit();
    if r < 0.55 {
        double_quoted(s)
    } else if r < 0.65 {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.to_string()
    }
}

fn double_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut col = 0;
    for w in text.split(' ') {
        let n = w.chars().count();
        if col == 0 {
            out.push_str(prefix);
            out.push_str(w);
            col = prefix.len() + n;
        } else if col + 1 + n > width {
            out.push('\n');
            out.push_str(prefix);
            out.push_str(w);
            col = prefix.len() + n;
        } else {
            out.push(' ');
            out.push_str(w);
            col += 1 + n;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Calendar (days since 1970-01-01, proleptic Gregorian; H. Hinnant's algorithms)
// ---------------------------------------------------------------------------------------------

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

// ---------------------------------------------------------------------------------------------
// One post
// ---------------------------------------------------------------------------------------------

struct Post {
    rng: Rng,
    index: usize,
    french: bool,
    wrap: usize,
    bullet: &'static str,
    slug: String,
    refs: Vec<(String, String, Option<String>)>,
    images: usize,
}

struct Built {
    date: (i64, u32, u32),
    slug: String,
    /// Front matter lines, without the `---` delimiters.
    front: Vec<String>,
    blocks: Vec<String>,
    /// Index in `blocks` of the `<!--more-->` marker, if any.
    marker_at: Option<usize>,
}

impl Post {
    fn new(seed: u64, index: usize) -> Self {
        let mut rng = Rng::new(mix64(seed ^ mix64(index as u64 + 1)));
        let french = rng.chance(0.55);
        let wrap = if rng.chance(0.35) {
            rng.pick(&[80, 80, 100])
        } else {
            0
        };
        let bullet = if rng.chance(0.7) { "-" } else { "*" };
        Post {
            rng,
            index,
            french,
            wrap,
            bullet,
            slug: String::new(),
            refs: Vec::new(),
            images: 0,
        }
    }

    fn word(&mut self) -> &'static str {
        if self.rng.chance(0.03) {
            self.rng.pick(UNICODE_WORDS)
        } else if self.french {
            self.rng.pick(FR_WORDS)
        } else {
            self.rng.pick(EN_WORDS)
        }
    }

    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for k in 0..n {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        s
    }

    fn url(&mut self) -> String {
        let domain = self.rng.pick(DOMAINS);
        let mut u = format!("https://{domain}");
        for _ in 0..self.rng.range(1, 3) {
            let n = self.rng.range(1, 2);
            let seg = slugify(&self.words(n));
            u.push('/');
            u.push_str(if seg.is_empty() { "page" } else { &seg });
        }
        if self.rng.chance(0.15) {
            let frag = slugify(&self.words(2));
            if !frag.is_empty() {
                u.push('#');
                u.push_str(&frag);
            }
        }
        u
    }

    fn inline_token(&mut self) -> String {
        let r = self.rng.unit();
        if r < 0.025 {
            let n = self.rng.range(1, 4);
            let text = self.words(n);
            let url = self.url();
            if self.rng.chance(0.1) {
                let t = capitalize(&self.words(2));
                format!("[{text}]({url} \"{t}\")")
            } else {
                format!("[{text}]({url})")
            }
        } else if r < 0.035 {
            let label = if !self.refs.is_empty() && self.rng.chance(0.4) {
                let k = self.rng.below(self.refs.len());
                self.refs[k].0.clone()
            } else {
                let label = if self.rng.chance(0.5) {
                    (self.refs.len() + 1).to_string()
                } else {
                    let n = self.rng.range(1, 2);
                    format!("{}-{}", slugify(&self.words(n)), self.refs.len())
                };
                let url = self.url();
                let title = if self.rng.chance(0.3) {
                    let n = self.rng.range(2, 4);
                    Some(capitalize(&self.words(n)))
                } else {
                    None
                };
                self.refs.push((label.clone(), url, title));
                label
            };
            let n = self.rng.range(1, 3);
            format!("[{}][{label}]", self.words(n))
        } else if r < 0.05 {
            let n = self.rng.range(1, 3);
            format!("**{}**", self.words(n))
        } else if r < 0.065 {
            let n = self.rng.range(1, 2);
            format!("*{}*", self.words(n))
        } else if r < 0.08 {
            format!("`{}`", self.rng.pick(CODE_SPANS))
        } else if r < 0.082 {
            format!("<{}>", self.url())
        } else {
            self.word().to_string()
        }
    }

    fn sentence(&mut self, out: &mut Vec<String>, n: usize) {
        let start = out.len();
        for j in 0..n {
            let mut t = self.inline_token();
            if j > 0 && j + 1 < n && self.rng.chance(0.07) {
                t.push(',');
            }
            out.push(t);
        }
        let first = &mut out[start];
        if first.starts_with(char::is_alphabetic) {
            *first = capitalize(first);
        }
        let end = self.rng.pick(&[".", ".", ".", ".", "!", "?"]);
        if self.rng.chance(0.01) {
            out.push(format!("{end} {}", self.rng.pick(EMOJI)));
        } else {
            out.last_mut().unwrap().push_str(end);
        }
    }

    fn prose(&mut self, nwords: usize) -> Vec<String> {
        let mut toks = Vec::with_capacity(nwords + 24);
        while toks.len() < nwords {
            let n = self.rng.range(6, 22);
            self.sentence(&mut toks, n);
        }
        toks
    }

    fn fill(&self, toks: &[String], prefix: &str) -> String {
        let text = toks.join(" ");
        if self.wrap > 0 {
            wrap(&text, self.wrap, prefix)
        } else {
            format!("{prefix}{text}")
        }
    }

    fn paragraph(&mut self) -> (String, usize) {
        let n = self.rng.range(30, 120);
        let toks = self.prose(n);
        (self.fill(&toks, ""), toks.len())
    }

    fn list(&mut self) -> (String, usize) {
        let ordered = self.rng.chance(0.3);
        let nested = !ordered && self.rng.chance(0.2);
        let mut out = String::new();
        let mut nw = 0;
        for k in 0..self.rng.range(3, 7) {
            let mut toks = Vec::new();
            let n = self.rng.range(4, 15);
            self.sentence(&mut toks, n);
            nw += toks.len();
            if k > 0 {
                out.push('\n');
            }
            if ordered {
                let _ = write!(out, "{}. ", k + 1);
            } else {
                let _ = write!(out, "{} ", self.bullet);
            }
            out.push_str(&toks.join(" "));
            if nested && k == 1 {
                for _ in 0..self.rng.range(1, 3) {
                    let n = self.rng.range(3, 8);
                    let item = capitalize(&self.words(n));
                    let _ = write!(out, "\n  {} {item}", self.bullet);
                    nw += n;
                }
            }
        }
        (out, nw)
    }

    fn code(&mut self) -> (String, usize) {
        let lang = self.rng.pick(LANGS);
        let fence = if self.rng.chance(0.05) { "~~~" } else { "```" };
        let mut out = format!("{fence}{lang}\n");
        let n = self.rng.range(3, 15);
        for _ in 0..n {
            let w: Vec<String> = (0..3)
                .map(|_| {
                    let s = slugify(self.word()).replace('-', "_");
                    if s.is_empty() {
                        "x".to_string()
                    } else {
                        s
                    }
                })
                .collect();
            let line = match self.rng.below(8) {
                0 => format!("{} = {}({})", w[0], w[1], w[2]),
                1 => format!("if {} > {}:", w[0], self.rng.below(100)),
                2 => format!("    return {}.{}", w[1], w[2]),
                3 => format!("# {} {} {}", w[0], w[1], w[2]),
                4 => format!("let {} = {}.{}();", w[0], w[1], w[2]),
                5 => format!("echo \"{} {}\" | grep {}", w[0], w[1], w[2]),
                6 => format!("  {}: {}", w[0], w[1]),
                _ => "}".to_string(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(fence);
        (out, n * 3)
    }

    fn image(&mut self, alt_ok: bool) -> (String, usize) {
        self.images += 1;
        let n = self.rng.range(2, 5);
        let alt = if alt_ok {
            capitalize(&self.words(n))
        } else {
            String::new()
        };
        let ext = self.rng.pick(&["png", "jpg", "webp"]);
        let src = format!("/assets/images/{}-{}.{ext}", self.slug, self.images);
        if self.rng.chance(0.3) {
            let t = capitalize(&self.words(3));
            (format!("![{alt}]({src} \"{t}\")"), n)
        } else {
            (format!("![{alt}]({src})"), n)
        }
    }

    fn quote(&mut self) -> (String, usize) {
        let n = self.rng.range(15, 50);
        let toks = self.prose(n);
        (self.fill(&toks, "> "), toks.len())
    }

    fn table(&mut self) -> (String, usize) {
        let cols = self.rng.range(2, 4);
        let head: Vec<String> = (0..cols).map(|_| capitalize(self.word())).collect();
        let mut out = format!(
            "| {} |\n|{}|",
            head.join(" | "),
            vec!["---"; cols].join("|")
        );
        let mut nw = cols;
        for _ in 0..self.rng.range(2, 6) {
            let cells: Vec<String> = (0..cols)
                .map(|_| {
                    let n = self.rng.range(1, 3);
                    nw += n;
                    self.words(n)
                })
                .collect();
            let _ = write!(out, "\n| {} |", cells.join(" | "));
        }
        (out, nw)
    }

    fn title(&mut self) -> String {
        let r = self.rng.unit();
        if r < 0.04 {
            let t = self.rng.pick(CJK_TITLES);
            return if self.rng.chance(0.5) {
                t.to_string()
            } else {
                let n = self.rng.range(2, 4);
                format!("{t} — {}", self.words(n))
            };
        }
        let n = self.rng.range(3, 9);
        let mut ws: Vec<String> = (0..n)
            .map(|_| {
                if self.french {
                    self.rng.pick(FR_WORDS)
                } else {
                    self.rng.pick(EN_WORDS)
                }
            })
            .map(|w| {
                if !self.french && w.len() > 3 {
                    capitalize(w)
                } else {
                    w.to_string()
                }
            })
            .collect();
        if self.rng.chance(0.3) {
            let k = self.rng.below(n);
            ws[k] = self.rng.pick(UNICODE_WORDS).to_string();
        }
        let mut t = capitalize(&ws.join(" "));
        let r = self.rng.unit();
        if r < 0.12 {
            // A colon: the title must be quoted in YAML.
            let sep = if self.french { " : " } else { ": " };
            let n = self.rng.range(2, 4);
            let _ = write!(t, "{sep}{}", self.words(n));
        } else if r < 0.17 {
            let _ = write!(t, " — {}", self.rng.pick(UNICODE_WORDS));
        } else if r < 0.21 {
            let _ = write!(t, " {}", self.rng.pick(EMOJI));
        } else if r < 0.23 {
            t = format!("« {t} »");
        }
        t
    }

    fn date_line(&mut self, (y, m, d): (i64, u32, u32)) -> String {
        // Hours 06-16 with offsets between -05:00 and +02:00 keep the day the same in any of
        // UTC, Europe/Paris and the written offset.
        let (hh, mm, ss) = (
            self.rng.range(6, 16),
            self.rng.below(60),
            self.rng.below(60),
        );
        let (sign, oh) = self
            .rng
            .pick(&[('+', 0), ('+', 1), ('+', 2), ('-', 4), ('-', 5)]);
        let day = format!("{y:04}-{m:02}-{d:02}");
        let r = self.rng.unit();
        if r < 0.35 {
            format!("date: {day} {hh:02}:{mm:02}:{ss:02} {sign}{oh:02}00")
        } else if r < 0.50 {
            format!("date: \"{day} {hh:02}:{mm:02}:{ss:02} {sign}{oh:02}00\"")
        } else if r < 0.70 {
            format!("date: {day}")
        } else if r < 0.85 {
            format!("date: {day} {hh:02}:{mm:02}:{ss:02}")
        } else {
            format!("date: {day}T{hh:02}:{mm:02}:{ss:02}{sign}{oh:02}:00")
        }
    }

    fn build(mut self, defect: Option<&str>) -> Built {
        let title = self.title();
        self.slug = slugify(&title);
        if self.slug.is_empty() {
            self.slug = format!("billet-{}", self.index);
        }
        let first = days_from_civil(2008, 1, 1);
        let last = days_from_civil(2024, 12, 31);
        let date = civil_from_days(first + self.rng.below((last - first + 1) as usize) as i64);

        let mut fm = vec!["layout: post".to_string()];
        if defect != Some("missing_title") {
            fm.push(format!("title: {}", yaml_scalar(&mut self.rng, &title)));
        }
        fm.push(self.date_line(date));
        let r = self.rng.unit();
        if r < 0.75 {
            let k = self.rng.range(1, 3);
            let cats = self.rng.sample(CATEGORIES, k);
            let r = self.rng.unit();
            if r < 0.5 {
                fm.push(format!("categories: [{}]", cats.join(", ")));
            } else if r < 0.85 {
                let items: Vec<String> = cats.iter().map(|c| format!("  - {c}")).collect();
                fm.push(format!("categories:\n{}", items.join("\n")));
            } else {
                fm.push(format!("categories: {}", cats.join(" ")));
            }
        } else {
            fm.push(format!("category: {}", self.rng.pick(CATEGORIES)));
        }
        let k = self.rng.range(0, 6);
        let tags = self.rng.sample(TAGS, k);
        if !tags.is_empty() {
            if self.rng.chance(0.5) {
                fm.push(format!("tags: [{}]", tags.join(", ")));
            } else {
                let items: Vec<String> = tags.iter().map(|t| format!("  - {t}")).collect();
                fm.push(format!("tags:\n{}", items.join("\n")));
            }
        }
        if self.rng.chance(0.4) {
            let n = self.rng.range(8, 20);
            let d = format!("{}.", capitalize(&self.words(n)));
            fm.push(format!("description: {}", yaml_scalar(&mut self.rng, &d)));
        }
        if self.rng.chance(0.3) {
            let a = self.rng.pick(AUTHORS);
            fm.push(format!("author: {}", yaml_scalar(&mut self.rng, a)));
        }
        if self.rng.chance(0.15) {
            fm.push(format!("lang: {}", if self.french { "fr" } else { "en" }));
        }
        if self.rng.chance(0.05) {
            fm.push(format!(
                "permalink: /archives/{}-{}/",
                self.slug, self.index
            ));
        }
        if self.rng.chance(0.05) {
            fm.push("published: true".to_string());
        }

        // Body: one paragraph, the excerpt marker, then sections until the word target.
        let target = self.rng.triangular(300.0, 2500.0, 650.0) as usize;
        let mut blocks = Vec::new();
        let (p, mut nwords) = self.paragraph();
        blocks.push(p);
        let marker_at = if defect == Some("missing_excerpt_marker") {
            None
        } else {
            blocks.push(MARKER.to_string());
            Some(blocks.len() - 1)
        };
        let level = self.rng.pick(&["##", "##", "###"]);
        const KINDS: &[u8] = b"pppppppppppplllcccigqt";
        while nwords < target {
            let h = if self.rng.chance(0.8) { level } else { "###" };
            let n = self.rng.range(2, 6);
            blocks.push(format!("{h} {}", capitalize(&self.words(n))));
            for _ in 0..self.rng.range(1, 4) {
                let (b, n) = match self.rng.pick(KINDS) {
                    b'p' => self.paragraph(),
                    b'l' => self.list(),
                    b'c' => self.code(),
                    b'i' | b'g' => self.image(true),
                    b'q' => self.quote(),
                    _ => self.table(),
                };
                blocks.push(b);
                nwords += n;
                if nwords >= target {
                    break;
                }
            }
        }

        // Inline defects go in the second half of the body.
        let lo = blocks.len() / 2 + 1;
        let pos = lo + self.rng.below(blocks.len() + 1 - lo);
        match defect {
            Some("empty_link") => {
                let s = format!("See [{}]() for details.", self.words(2));
                blocks.insert(pos, s);
            }
            Some("reversed_link") => {
                let s = format!("Read ({})[{}] before upgrading.", self.words(2), self.url());
                blocks.insert(pos, s);
            }
            Some("undefined_reference") => {
                let s = format!(
                    "As noted in [{}][undefined-ref-{}], this matters.",
                    self.words(2),
                    self.index
                );
                blocks.insert(pos, s);
            }
            Some("empty_image_alt") => {
                let (s, _) = self.image(false);
                blocks.insert(pos, s);
            }
            _ => {}
        }

        if !self.refs.is_empty() {
            let defs: Vec<String> = self
                .refs
                .iter()
                .map(|(l, u, t)| match t {
                    Some(t) => format!("[{l}]: {u} \"{t}\""),
                    None => format!("[{l}]: {u}"),
                })
                .collect();
            blocks.push(defs.join("\n"));
        }
        Built {
            date,
            slug: self.slug,
            front: fm,
            blocks,
            marker_at,
        }
    }
}

impl Built {
    fn file_name(&self) -> String {
        let (y, m, d) = self.date;
        format!("{y:04}-{m:02}-{d:02}-{}.md", self.slug)
    }

    fn text(&self) -> String {
        let mut s = String::with_capacity(16 * 1024);
        s.push_str("---\n");
        for l in &self.front {
            s.push_str(l);
            s.push('\n');
        }
        s.push_str("---\n\n");
        s.push_str(&self.blocks.join("\n\n"));
        s.push('\n');
        s
    }
}

/// 1-based line of the first line of `text` containing `needle` (0 when absent).
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

// ---------------------------------------------------------------------------------------------
// Site files
// ---------------------------------------------------------------------------------------------

/// The posts show images under `/assets/images/` that the generator does not write: carnet's link
/// check is told they exist, so its findings are the planted defects.
const CARNET_CONFIG: &str = "[lint]\nknown_urls = [\"/assets/images/*\"]\n";

const JEKYLL_CONFIG: &str = r#"# Synthetic blog written by examples/gen_site.rs
title: "Carnet de route — un blog synthétique"
description: "Billets générés pour les bancs d'essai de carnet"
author: Alice Martin
url: "https://blog.example.org"
baseurl: ""
lang: fr
timezone: Europe/Paris
markdown: kramdown
kramdown:
  input: GFM
permalink: /:year/:month/:day/:title/
excerpt_separator: "<!--more-->"
exclude:
  - content
  - layouts
  - hugo.toml
  - public
  - resources
  - Gemfile
  - Gemfile.lock
"#;

const LAYOUT_DEFAULT: &str = r#"<!DOCTYPE html>
<html lang="{{ page.lang | default: site.lang }}">
<head><meta charset="utf-8"><title>{{ page.title | default: site.title }}</title></head>
<body><main>{{ content }}</main></body>
</html>
"#;

const LAYOUT_POST: &str = r#"---
layout: default
---
<article>
<h1>{{ page.title }}</h1>
<time datetime="{{ page.date | date_to_xmlschema }}">{{ page.date | date: "%Y-%m-%d" }}</time>
{{ content }}
</article>
"#;

const JEKYLL_INDEX: &str = r#"---
layout: default
title: Accueil
---
<ul>
{% for post in site.posts limit:20 %}<li><a href="{{ post.url | relative_url }}">{{ post.title }}</a> {{ post.excerpt | strip_html | truncatewords: 30 }}</li>
{% endfor %}</ul>
"#;

const HUGO_CONFIG: &str = r#"# Synthetic blog written by examples/gen_site.rs (same posts as _posts/)
baseURL = "https://blog.example.org/"
languageCode = "fr-fr"
title = "Carnet de route — un blog synthétique"
timeZone = "Europe/Paris"
disableKinds = ["RSS", "sitemap", "taxonomy", "term"]

[markup.goldmark.renderer]
unsafe = true
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ .Content }}
</article>{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>
{{ range first 20 .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 200 }}</li>
{{ end }}</ul>{{ end }}
"#;

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

/// Creates `dir` empty; an existing non-empty one is only cleared with `--force`.
fn fresh_dir(dir: &Path, force: bool) -> Result<(), String> {
    if dir.exists() {
        let non_empty = fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_some();
        if non_empty && !force {
            return Err(format!(
                "{} is not empty (use --force to replace it)",
                dir.display()
            ));
        }
        fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

struct Args {
    dir: PathBuf,
    n: usize,
    seed: String,
    hugo: bool,
    force: bool,
    defect_rate: f64,
}

const USAGE: &str = "usage: gen_site DIR N SEED [--hugo] [--force] [--defect-rate R]";

fn parse_args() -> Result<Args, String> {
    let mut pos = Vec::new();
    let (mut hugo, mut force, mut defect_rate) = (false, false, 0.02);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--hugo" => hugo = true,
            "--force" => force = true,
            "--defect-rate" => {
                let v = it.next().ok_or("--defect-rate needs a value")?;
                defect_rate = v.parse().map_err(|_| format!("bad --defect-rate {v:?}"))?;
                if !(0.0..=1.0).contains(&defect_rate) {
                    return Err("--defect-rate must be between 0 and 1".into());
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => pos.push(a),
        }
    }
    let [dir, n, seed] = <[String; 3]>::try_from(pos).map_err(|_| USAGE.to_string())?;
    let n = n
        .parse()
        .map_err(|_| format!("N must be a number, not {n:?}"))?;
    Ok(Args {
        dir: PathBuf::from(dir),
        n,
        seed,
        hugo,
        force,
        defect_rate,
    })
}

fn run(a: &Args) -> Result<(), String> {
    let t0 = Instant::now();
    let io_err = |p: &Path, e: io::Error| format!("{}: {e}", p.display());
    let posts_dir = a.dir.join("_posts");
    let hugo_dir = a.dir.join("content").join("posts");
    fresh_dir(&posts_dir, a.force)?;
    if a.hugo {
        fresh_dir(&hugo_dir, a.force)?;
    }

    // Which posts get a defect, and which one.
    let seed = hash_str(&a.seed);
    let mut drng = Rng::new(mix64(seed ^ 0xD3FE_C7D3_FEC7));
    let k = (a.n as f64 * a.defect_rate).round() as usize;
    let all: Vec<usize> = (0..a.n).collect();
    let chosen = drng.sample(&all, k);
    let order = drng.sample(DEFECTS, DEFECTS.len());
    let mut defect_of: Vec<Option<&str>> = vec![None; a.n];
    for (j, &i) in chosen.iter().enumerate() {
        defect_of[i] = Some(order[j % order.len()]);
    }

    let mut slugs = HashSet::with_capacity(a.n);
    let mut manifest = Vec::new();
    let (mut bytes, mut words) = (0usize, 0usize);
    for (i, defect) in defect_of.iter().enumerate() {
        let mut post = Post::new(seed, i).build(*defect);
        if !slugs.insert(post.slug.clone()) {
            let base = post.slug.clone();
            let mut n = 2;
            while !slugs.insert(format!("{base}-{n}")) {
                n += 1;
            }
            post.slug = format!("{base}-{n}");
        }
        let name = post.file_name();
        let text = post.text();
        let path = posts_dir.join(&name);
        fs::write(&path, &text).map_err(|e| io_err(&path, e))?;
        if a.hugo {
            let path = hugo_dir.join(&name);
            fs::write(&path, &text).map_err(|e| io_err(&path, e))?;
        }
        bytes += text.len();
        words += text.split_whitespace().count();
        if let Some(d) = defect {
            let (line, snippet) = match *d {
                "missing_title" => (1, String::new()),
                "missing_excerpt_marker" => {
                    // The first body line, after the front matter and a blank line.
                    let fm: usize = post.front.iter().map(|l| l.lines().count()).sum();
                    (fm + 4, String::new())
                }
                "empty_link" => (line_of(&text, "]()"), "]()".to_string()),
                "reversed_link" => (line_of(&text, ")[http"), ")[http".to_string()),
                "undefined_reference" => {
                    let s = format!("[undefined-ref-{i}]");
                    (line_of(&text, &s), s)
                }
                _ => (line_of(&text, "![]("), "![](".to_string()),
            };
            manifest.push(format!("_posts/{name}\t{d}\t{line}\t{snippet}\n"));
        }
        debug_assert!(post.marker_at.is_some() || *defect == Some("missing_excerpt_marker"));
    }
    manifest.sort();

    let w = |rel: &str, text: &str| {
        let p = a.dir.join(rel);
        write_file(&p, text).map_err(|e| io_err(&p, e))
    };
    w("_config.yml", JEKYLL_CONFIG)?;
    w("carnet.toml", CARNET_CONFIG)?;
    w("_layouts/default.html", LAYOUT_DEFAULT)?;
    w("_layouts/post.html", LAYOUT_POST)?;
    w("index.html", JEKYLL_INDEX)?;
    w(
        "_defects.tsv",
        &format!("file\tdefect\tline\tsnippet\n{}", manifest.concat()),
    )?;
    if a.hugo {
        w("hugo.toml", HUGO_CONFIG)?;
        w("layouts/_default/baseof.html", HUGO_BASEOF)?;
        w("layouts/_default/single.html", HUGO_SINGLE)?;
        w("layouts/_default/list.html", HUGO_LIST)?;
    }
    eprintln!(
        "wrote {} posts to {} ({:.1} MiB, {} words, {} defective{}) in {:.2}s",
        a.n,
        posts_dir.display(),
        bytes as f64 / (1 << 20) as f64,
        words,
        manifest.len(),
        if a.hugo { ", with a Hugo copy" } else { "" },
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_site: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for z in days_from_civil(2000, 1, 1)..days_from_civil(2030, 12, 31) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slugify("L'été à Montréal : notes"),
            "l-ete-a-montreal-notes"
        );
        assert_eq!(slugify("東京の夜"), "");
        assert_eq!(slugify("Œuvre — Straße 🚀"), "oeuvre-strasse");
    }

    #[test]
    fn yaml_quotes_when_needed() {
        let mut rng = Rng::new(1);
        for _ in 0..50 {
            assert!(yaml_scalar(&mut rng, "Rust : une introduction").starts_with('"'));
            assert!(yaml_scalar(&mut rng, "yes").starts_with('"'));
            assert_eq!(yaml_scalar(&mut rng, "a \"b\""), "\"a \\\"b\\\"\"");
        }
    }
}
