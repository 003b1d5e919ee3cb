//! The words the theme writes, in each of the site's languages: `i18n/<language>.toml`
//! tables of the built-in theme, of the site's theme and of the site itself (each over the
//! one before), which templates read with `t(key=…)`, with plural forms chosen by CLDR's
//! rules for the language.
//!
//! Plain TOML tables rather than Fluent: a practice already edits `site.toml`, a string file
//! is the same format, and the theme needs only text, `{name}` placeholders and plurals.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use crate::diagnostics::Diagnostic;
use crate::inside::SiteRoot;
use crate::templates::{DEFAULT_THEME, DefaultTheme};

/// The folder of string files, in the site and in a theme.
pub const STRINGS_DIR: &str = "i18n";
/// The built-in theme has every key in this language: the last fallback.
const REFERENCE_LANGUAGE: &str = "en";

/// One entry of a string file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Text {
    /// Text with `{name}` placeholders.
    Plain(String),
    /// Plural forms by CLDR category (`zero`, `one`, `two`, `few`, `many`, `other`).
    Plural(BTreeMap<String, String>),
    /// A list, such as the names of the months.
    List(Vec<String>),
}

/// One language's strings and its plural rules.
struct Language {
    texts: BTreeMap<String, Text>,
    plurals: Option<PluralRules>,
}

/// Every language's strings, with the site's default language first in line after a
/// language's own.
pub struct Strings {
    default: String,
    languages: BTreeMap<String, Language>,
    reference: Language,
    /// A hash of every string file read, so that `serve` re-renders what a change touches.
    hash: u64,
}

/// Where a layer of string files is read from.
enum Layer<'a> {
    BuiltIn,
    Folder(&'a Path),
}

impl Strings {
    /// Reads the string files of `languages` (the default first). Returns the strings and
    /// a warning for every language that lacks keys, or the files' errors.
    pub fn load(
        root: &Path,
        theme: &str,
        languages: &[String],
    ) -> Result<(Strings, Vec<Diagnostic>), Vec<Diagnostic>> {
        let theme_dir = root.join("themes").join(theme).join(STRINGS_DIR);
        let site_dir = root.join(STRINGS_DIR);
        let site = SiteRoot::new(root);
        let mut layers = vec![Layer::BuiltIn];
        // A site that keeps a copy of the built-in theme on disk reads that copy too.
        if theme != DEFAULT_THEME || theme_dir.is_dir() {
            layers.push(Layer::Folder(&theme_dir));
        }
        layers.push(Layer::Folder(&site_dir));

        let mut reader = Reader {
            root,
            site: &site,
            errors: Vec::new(),
            hasher: rustc_hash::FxHasher::default(),
        };
        let reference = Language {
            texts: reader
                .read(&Layer::BuiltIn, REFERENCE_LANGUAGE)
                .unwrap_or_default(),
            plurals: plural_rules(REFERENCE_LANGUAGE),
        };
        let mut found = BTreeMap::new();
        for language in languages {
            let mut texts = BTreeMap::new();
            let mut any = false;
            for layer in &layers {
                for name in file_names(language) {
                    if let Some(file) = reader.read(layer, &name) {
                        any = true;
                        texts.extend(file);
                    }
                }
            }
            let language_strings = Language {
                texts,
                plurals: plural_rules(language),
            };
            found.insert(language.clone(), (language_strings, any));
        }
        if !reader.errors.is_empty() {
            return Err(reader.errors);
        }
        let default = languages
            .first()
            .cloned()
            .unwrap_or_else(|| REFERENCE_LANGUAGE.to_string());
        let warnings = missing_keys(&reference, &found, &default);
        Ok((
            Strings {
                default,
                languages: found.into_iter().map(|(l, (s, _))| (l, s)).collect(),
                reference,
                hash: reader.hasher.finish(),
            },
            warnings,
        ))
    }

    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// The entry for `key` in `language`, else in the default language, else in the
    /// built-in English, with the language it was found in.
    fn entry(&self, language: Option<&str>, key: &str) -> Option<(&Text, &Language)> {
        let own = language.and_then(|l| self.languages.get(l));
        [
            own,
            self.languages.get(&self.default),
            Some(&self.reference),
        ]
        .into_iter()
        .flatten()
        .find_map(|l| l.texts.get(key).map(|text| (text, l)))
    }

    /// The text of `key` in `language`, with `{name}` placeholders filled from `args`; a
    /// plural entry picks its form by `count`.
    pub fn text(
        &self,
        language: Option<&str>,
        key: &str,
        count: Option<i64>,
        args: &[(&str, String)],
    ) -> Result<String, String> {
        let (text, found_in) = self.entry(language, key).ok_or_else(|| {
            format!("the theme has no string `{key}`: add it to {STRINGS_DIR}/<language>.toml")
        })?;
        let pattern = match text {
            Text::Plain(s) => s.as_str(),
            Text::Plural(forms) => {
                let category = count
                    .zip(found_in.plurals.as_ref())
                    .and_then(|(n, rules)| rules.select(n).ok())
                    .unwrap_or(PluralCategory::OTHER);
                forms
                    .get(category_name(category))
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
                    .ok_or_else(|| format!("string `{key}` has no `other` form"))?
            }
            Text::List(_) => return Err(format!("string `{key}` is a list, not a text")),
        };
        let mut out = pattern.to_string();
        if let Some(n) = count {
            out = out.replace("{count}", &n.to_string());
        }
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        Ok(out)
    }

    /// The list `key` in `language` (such as `months`), with the same fallbacks as text.
    pub fn list(&self, language: Option<&str>, key: &str) -> Option<&[String]> {
        match self.entry(language, key)? {
            (Text::List(items), _) => Some(items),
            _ => None,
        }
    }

    /// A date as the language writes it: `date_format` with `{day}`, `{month}` (a name
    /// from `months`) and `{year}`.
    pub fn date(&self, language: Option<&str>, date: jiff::civil::Date) -> Result<String, String> {
        let month = self
            .list(language, "months")
            .and_then(|months| months.get(usize::try_from(date.month() - 1).ok()?))
            .ok_or("the theme's `months` must list twelve names")?;
        self.text(
            language,
            "date_format",
            None,
            &[
                ("day", date.day().to_string()),
                ("month", month.clone()),
                ("year", date.year().to_string()),
            ],
        )
    }
}

/// Reads string files and gathers their problems.
struct Reader<'a> {
    root: &'a Path,
    site: &'a SiteRoot,
    errors: Vec<Diagnostic>,
    hasher: rustc_hash::FxHasher,
}

impl Reader<'_> {
    /// The table of `<name>.toml` in a layer, if there is such a file.
    fn read(&mut self, layer: &Layer, name: &str) -> Option<BTreeMap<String, Text>> {
        let file = format!("{name}.toml");
        let (text, display) = match layer {
            Layer::BuiltIn => {
                let data = DefaultTheme::get(&format!("{STRINGS_DIR}/{file}"))?.data;
                let display = PathBuf::from(format!("the built-in theme's {STRINGS_DIR}/{file}"));
                (String::from_utf8_lossy(&data).into_owned(), display)
            }
            Layer::Folder(dir) => {
                let path = dir.join(&file);
                if !path.is_file() {
                    return None;
                }
                let display = crate::diagnostics::relative(self.root, &path).to_path_buf();
                if let Err(outside) = self.site.check(&path) {
                    self.errors.push(outside.into());
                    return None;
                }
                match std::fs::read_to_string(&path) {
                    Ok(text) => (text, display),
                    Err(e) => {
                        self.errors
                            .push(Diagnostic::error(&display, format!("cannot read it: {e}")));
                        return None;
                    }
                }
            }
        };
        text.hash(&mut self.hasher);
        match toml::from_str::<BTreeMap<String, Text>>(&text) {
            Ok(table) => {
                self.check_plurals(&table, &text, &display);
                Some(table)
            }
            Err(e) => {
                let mut d = Diagnostic::error(&display, e.message().trim().to_string()).with_help(
                    "each line is `key = \"text\"`, a plural as \
                         `key = { one = \"…\", other = \"…\" }`, or a list as `key = [\"…\", …]`",
                );
                if let Some(span) = e.span() {
                    d = d.at_offset(&text, span.start);
                }
                self.errors.push(d);
                None
            }
        }
    }

    /// A plural entry needs an `other` form and only CLDR's category names.
    fn check_plurals(&mut self, table: &BTreeMap<String, Text>, text: &str, display: &Path) {
        for (key, entry) in table {
            let Text::Plural(forms) = entry else { continue };
            let bad = forms
                .keys()
                .find(|form| !CATEGORIES.contains(&form.as_str()))
                .map(|form| format!("`{form}` is not a plural form"));
            let problem = bad.or_else(|| {
                (!forms.contains_key("other")).then(|| "it has no `other` form".to_string())
            });
            if let Some(problem) = problem {
                let offset = text.find(&format!("{key} ")).unwrap_or(0);
                self.errors.push(
                    Diagnostic::error(display, format!("plural string `{key}`: {problem}"))
                        .at_offset(text, offset)
                        .with_help(format!(
                            "use the forms {} (the language's own: see CLDR's plural rules), \
                             always with `other`",
                            CATEGORIES.join(", ")
                        )),
                );
            }
        }
    }
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// The files a language's strings come from, general first: `es` then `es-MX`.
fn file_names(language: &str) -> Vec<String> {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    if primary == language {
        vec![language.to_string()]
    } else {
        vec![primary.to_string(), language.to_string()]
    }
}

fn plural_rules(language: &str) -> Option<PluralRules> {
    let id: LanguageIdentifier = language.parse().ok()?;
    PluralRules::create(id.clone(), PluralRuleType::CARDINAL)
        .or_else(|_| {
            let primary: LanguageIdentifier = id.language.as_str().parse().map_err(|_| "")?;
            PluralRules::create(primary, PluralRuleType::CARDINAL)
        })
        .ok()
}

/// A warning for each language that lacks some of the built-in theme's keys, naming them:
/// those words fall back to the default language (or to English for the default itself).
fn missing_keys(
    reference: &Language,
    found: &BTreeMap<String, (Language, bool)>,
    default: &str,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (language, (strings, any)) in found {
        let fallback = if language == default || !found.contains_key(default) {
            REFERENCE_LANGUAGE
        } else {
            default
        };
        let file = format!("{STRINGS_DIR}/{language}.toml");
        if !any {
            if language.split(['-', '_']).next() != Some(REFERENCE_LANGUAGE) {
                warnings.push(
                    Diagnostic::warning(&file, format!("the theme has no strings in `{language}`: the words it writes stay in `{fallback}`"))
                        .with_help(format!("create {file} with a translation of each key of the built-in theme's {STRINGS_DIR}/en.toml (README: Theme strings)")),
                );
            }
            continue;
        }
        let missing: Vec<&str> = reference
            .texts
            .keys()
            .filter(|key| !strings.texts.contains_key(*key))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    &file,
                    format!(
                        "{} theme {} missing in `{language}`, shown in `{fallback}`: {}",
                        missing.len(),
                        if missing.len() == 1 {
                            "string is"
                        } else {
                            "strings are"
                        },
                        missing.join(", ")
                    ),
                )
                .with_help(format!("add each key to {file}")),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(files: &[(&str, &str)], languages: &[&str]) -> (Strings, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(STRINGS_DIR)).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(STRINGS_DIR).join(name), text).unwrap();
        }
        let languages: Vec<String> = languages.iter().map(|l| l.to_string()).collect();
        Strings::load(dir.path(), DEFAULT_THEME, &languages).unwrap()
    }

    #[test]
    fn the_built_in_theme_speaks_english_and_spanish() {
        let (s, warnings) = strings(&[], &["en-US", "es"]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            s.text(Some("es"), "latest_articles", None, &[]).unwrap(),
            "Artículos recientes"
        );
        assert_eq!(
            s.text(Some("en-US"), "latest_articles", None, &[]).unwrap(),
            "Latest articles"
        );
        let date = jiff::civil::date(2025, 3, 7);
        assert_eq!(s.date(Some("es"), date).unwrap(), "7 de marzo de 2025");
        assert_eq!(s.date(Some("en-US"), date).unwrap(), "March 7, 2025");
    }

    #[test]
    fn plurals_follow_the_language() {
        let (s, _) = strings(&[], &["en", "es"]);
        assert_eq!(s.text(Some("en"), "items", Some(1), &[]).unwrap(), "1 item");
        assert_eq!(
            s.text(Some("en"), "items", Some(0), &[]).unwrap(),
            "0 items"
        );
        assert_eq!(
            s.text(Some("es"), "items", Some(1), &[]).unwrap(),
            "1 elemento"
        );
        assert_eq!(
            s.text(Some("es"), "items", Some(2), &[]).unwrap(),
            "2 elementos"
        );
    }

    #[test]
    fn a_site_overrides_one_string_and_a_missing_one_falls_back_with_a_warning() {
        let (s, warnings) = strings(
            &[("es.toml", "latest_articles = \"Lo último\"\n")],
            &["en", "es"],
        );
        assert_eq!(
            s.text(Some("es"), "latest_articles", None, &[]).unwrap(),
            "Lo último"
        );
        // The built-in Spanish is still read under the site's file: nothing is missing.
        assert!(warnings.is_empty(), "{warnings:?}");

        let (s, warnings) = strings(
            &[("de.toml", "latest_articles = \"Neueste Artikel\"\n")],
            &["en", "de"],
        );
        assert_eq!(
            s.text(Some("de"), "latest_articles", None, &[]).unwrap(),
            "Neueste Artikel"
        );
        assert_eq!(
            s.text(Some("de"), "all_topics", None, &[]).unwrap(),
            "All topics"
        );
        let [warning] = &warnings[..] else {
            panic!("{warnings:?}")
        };
        let message = warning.to_string();
        assert!(
            message.contains("missing in `de`") && message.contains("all_topics"),
            "{message}"
        );
    }

    #[test]
    fn a_language_with_no_strings_is_named() {
        let (s, warnings) = strings(&[], &["en", "fr"]);
        assert_eq!(
            s.text(Some("fr"), "all_topics", None, &[]).unwrap(),
            "All topics"
        );
        let [warning] = &warnings[..] else {
            panic!("{warnings:?}")
        };
        assert!(
            warning.to_string().contains("no strings in `fr`"),
            "{warning}"
        );
    }

    #[test]
    fn a_bad_file_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(STRINGS_DIR)).unwrap();
        std::fs::write(
            dir.path().join("i18n/es.toml"),
            "latest_articles = \"Lo último\"\nitems = { uno = \"{count} cosa\", other = \"{count} cosas\" }\n",
        )
        .unwrap();
        let errors = Strings::load(dir.path(), DEFAULT_THEME, &["es".to_string()])
            .err()
            .unwrap();
        let message = errors[0].to_string();
        assert!(
            message.contains("i18n/es.toml") && message.contains("`uno` is not a plural form"),
            "{message}"
        );
        assert_eq!(errors[0].line, Some(2));
    }

    #[test]
    fn placeholders_are_filled() {
        let (s, _) = strings(&[], &["es"]);
        let text = s
            .text(
                Some("es"),
                "page_of",
                None,
                &[("current", "2".into()), ("total", "5".into())],
            )
            .unwrap();
        assert_eq!(text, "Página 2 de 5");
    }
}
