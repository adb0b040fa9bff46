//! Dates and the few words of the built-in templates, in the site's `lang`.

use chrono::{DateTime, Datelike, FixedOffset};

/// A language carnet writes dates and labels in; anything else falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English (the default).
    En,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Portuguese.
    Pt,
    /// Dutch.
    Nl,
}

/// The labels the built-in templates show.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Labels {
    /// The link from an excerpt to its post.
    pub read_more: &'static str,
    /// Heading of the tag list.
    pub tags: &'static str,
    /// Heading of the category list.
    pub categories: &'static str,
    /// Posts tagged with...
    pub tagged: &'static str,
    /// Posts in the category...
    pub in_category: &'static str,
    /// Link to newer posts.
    pub newer: &'static str,
    /// Link to older posts.
    pub older: &'static str,
    /// "Page" in "Page 2 / 5".
    pub page: &'static str,
    /// Minutes of reading, abbreviated.
    pub minutes: &'static str,
    /// The feed link.
    pub feed: &'static str,
    /// The link back to the home page.
    pub home: &'static str,
    /// The accessible name of a heading's anchor link, before the heading's text.
    pub heading_link: &'static str,
}

impl Language {
    /// The language of a `lang` value such as `fr`, `fr-FR` or `pt_BR`.
    pub fn of(lang: Option<&str>) -> Language {
        let primary = lang
            .unwrap_or("en")
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Language::Fr,
            "de" => Language::De,
            "es" => Language::Es,
            "it" => Language::It,
            "pt" => Language::Pt,
            "nl" => Language::Nl,
            _ => Language::En,
        }
    }

    /// The codes carnet has dates and labels for.
    pub const CODES: [&'static str; 7] = ["en", "fr", "de", "es", "it", "pt", "nl"];

    /// A `lang` value carnet can write in: a known language code with an optional region
    /// (`fr`, `fr-CA`, `pt_BR`); the error names the codes it knows.
    pub fn parse(lang: &str) -> Result<Language, String> {
        let mut parts = lang.splitn(2, ['-', '_']);
        let primary = parts.next().unwrap_or("").to_ascii_lowercase();
        let region_ok = parts.next().is_none_or(|r| {
            (2..=8).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if Language::CODES.contains(&primary.as_str()) && region_ok {
            Ok(Language::of(Some(lang)))
        } else {
            Err(format!(
                "`{lang}` is not a language carnet writes dates and labels in; use one of {}, \
                 optionally with a region (fr-CA)",
                Language::CODES.join(", ")
            ))
        }
    }

    fn months(self) -> [&'static str; 12] {
        match self {
            Language::En => [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            Language::Fr => [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            Language::De => [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ],
            Language::Es => [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            Language::It => [
                "gennaio",
                "febbraio",
                "marzo",
                "aprile",
                "maggio",
                "giugno",
                "luglio",
                "agosto",
                "settembre",
                "ottobre",
                "novembre",
                "dicembre",
            ],
            Language::Pt => [
                "janeiro",
                "fevereiro",
                "março",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
            Language::Nl => [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
        }
    }

    /// A date as people write it in this language: "22 juin 2017", "June 22, 2017".
    pub fn date(self, date: &DateTime<FixedOffset>) -> String {
        let month = self.months()[date.month0() as usize];
        let (day, year) = (date.day(), date.year());
        match self {
            Language::En => format!("{month} {day}, {year}"),
            Language::Fr if day == 1 => format!("1er {month} {year}"),
            Language::De => format!("{day}. {month} {year}"),
            Language::Es | Language::Pt => format!("{day} de {month} de {year}"),
            Language::Fr | Language::It | Language::Nl => format!("{day} {month} {year}"),
        }
    }

    /// The templates' labels.
    pub fn labels(self) -> Labels {
        match self {
            Language::En => Labels {
                read_more: "Read more",
                tags: "Tags",
                categories: "Categories",
                tagged: "Posts tagged",
                in_category: "Posts in",
                newer: "Newer posts",
                older: "Older posts",
                page: "Page",
                minutes: "min read",
                feed: "Feed",
                home: "Home",
                heading_link: "Link to section",
            },
            Language::Fr => Labels {
                read_more: "Lire la suite",
                tags: "Étiquettes",
                categories: "Catégories",
                tagged: "Billets étiquetés",
                in_category: "Billets de la catégorie",
                newer: "Billets plus récents",
                older: "Billets plus anciens",
                page: "Page",
                minutes: "min de lecture",
                feed: "Flux",
                home: "Accueil",
                heading_link: "Lien vers la section",
            },
            Language::De => Labels {
                read_more: "Weiterlesen",
                tags: "Schlagwörter",
                categories: "Kategorien",
                tagged: "Beiträge mit dem Schlagwort",
                in_category: "Beiträge in",
                newer: "Neuere Beiträge",
                older: "Ältere Beiträge",
                page: "Seite",
                minutes: "Min. Lesezeit",
                feed: "Feed",
                home: "Startseite",
                heading_link: "Link zum Abschnitt",
            },
            Language::Es => Labels {
                read_more: "Seguir leyendo",
                tags: "Etiquetas",
                categories: "Categorías",
                tagged: "Entradas con la etiqueta",
                in_category: "Entradas en",
                newer: "Entradas más recientes",
                older: "Entradas anteriores",
                page: "Página",
                minutes: "min de lectura",
                feed: "Feed",
                home: "Inicio",
                heading_link: "Enlace a la sección",
            },
            Language::It => Labels {
                read_more: "Continua a leggere",
                tags: "Tag",
                categories: "Categorie",
                tagged: "Articoli con il tag",
                in_category: "Articoli in",
                newer: "Articoli più recenti",
                older: "Articoli meno recenti",
                page: "Pagina",
                minutes: "min di lettura",
                feed: "Feed",
                home: "Home",
                heading_link: "Link alla sezione",
            },
            Language::Pt => Labels {
                read_more: "Continuar a ler",
                tags: "Etiquetas",
                categories: "Categorias",
                tagged: "Artigos com a etiqueta",
                in_category: "Artigos em",
                newer: "Artigos mais recentes",
                older: "Artigos mais antigos",
                page: "Página",
                minutes: "min de leitura",
                feed: "Feed",
                home: "Início",
                heading_link: "Link para a secção",
            },
            Language::Nl => Labels {
                read_more: "Verder lezen",
                tags: "Tags",
                categories: "Categorieën",
                tagged: "Berichten met de tag",
                in_category: "Berichten in",
                newer: "Nieuwere berichten",
                older: "Oudere berichten",
                page: "Pagina",
                minutes: "min lezen",
                feed: "Feed",
                home: "Home",
                heading_link: "Link naar de sectie",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn lang_values_are_known_codes_with_an_optional_region() {
        assert_eq!(Language::parse("fr"), Ok(Language::Fr));
        assert_eq!(Language::parse("FR-ca"), Ok(Language::Fr));
        assert_eq!(Language::parse("pt_BR"), Ok(Language::Pt));
        assert_eq!(Language::parse("en"), Ok(Language::En));
        for bad in ["", "french", "xx", "fr-", "fr-C A", "fr-CA-x!"] {
            let error = Language::parse(bad).unwrap_err();
            assert!(error.contains("en, fr, de"), "{bad}: {error}");
        }
    }

    #[test]
    fn dates_in_each_language() {
        let d = day("2017-06-22T10:30:00+02:00");
        assert_eq!(Language::of(Some("fr")).date(&d), "22 juin 2017");
        assert_eq!(Language::of(Some("fr-FR")).date(&d), "22 juin 2017");
        assert_eq!(Language::of(None).date(&d), "June 22, 2017");
        assert_eq!(Language::of(Some("de_DE")).date(&d), "22. Juni 2017");
        assert_eq!(Language::of(Some("es")).date(&d), "22 de junio de 2017");
        assert_eq!(Language::of(Some("pt-BR")).date(&d), "22 de junho de 2017");
        assert_eq!(Language::of(Some("it")).date(&d), "22 giugno 2017");
        assert_eq!(Language::of(Some("nl")).date(&d), "22 juni 2017");
        assert_eq!(Language::of(Some("ja")).date(&d), "June 22, 2017");
        assert_eq!(
            Language::Fr.date(&day("2020-03-01T05:30:00+01:00")),
            "1er mars 2020"
        );
    }
}
