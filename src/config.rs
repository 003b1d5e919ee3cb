//! `site.toml` → `Config`: passive, validated data with every path resolved.
//!
//! Unknown keys are errors (`deny_unknown_fields`) so a typo never silently does nothing;
//! the diagnostic points at the key with a "did you mean" hint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::content::us;
use crate::diagnostics::{Diagnostic, unknown_field_hint};

pub mod phone;
pub use phone::Phone;

pub const CONFIG_FILE: &str = "site.toml";

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL the site is served from, e.g. `https://example.org`; no trailing slash.
    pub base_url: String,
    /// The default language, served at `/`.
    #[serde(default = "default_language")]
    pub language: String,
    /// `[languages.<code>]`: the other languages, each served under `/<code>/`.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default)]
    pub theme: ThemeConfig,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    #[serde(default)]
    pub crisis: CrisisConfig,
    #[serde(default)]
    pub books: BooksConfig,
    #[serde(default)]
    pub practice: PracticeConfig,
    #[serde(default)]
    pub worksheets: WorksheetsConfig,
    #[serde(default)]
    pub privacy: PrivacyConfig,
    #[serde(default)]
    pub search: SearchConfig,
    /// `[publish]`: where `hearth publish` sends the site (checked in `publish::config`).
    #[serde(default)]
    pub publish: Option<crate::publish::config::PublishConfig>,
}

/// `[languages.<code>]`: a language besides the default one. What it leaves out is the
/// default language's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The language's name in itself, shown in the language switcher ("Español"); default:
    /// the theme's `language_name` in that language.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The header navigation in this language; default: the default language's, each
    /// link taken to its translation where there is one.
    #[serde(default)]
    pub menu: Option<Vec<MenuItem>>,
    /// The crisis notice in this language; default: the theme's.
    #[serde(default)]
    pub crisis_text: Option<String>,
}

/// `[search]`: the site search index and the `/search/` page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the index (about 2 s per 1000 pages); default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[privacy]`: other hosts pages may load resources from (none by default).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Host names such as "video.example.org"; each one is also added to the
    /// Content-Security-Policy.
    #[serde(default)]
    pub allow: Vec<String>,
}

impl PrivacyConfig {
    /// The Content-Security-Policy the default theme puts in every page: this site only,
    /// plus the allowed hosts. WebAssembly is allowed for the search page's index reader.
    pub fn content_security_policy(&self) -> String {
        let hosts: String = self.allow.iter().map(|h| format!(" https://{h}")).collect();
        format!(
            "default-src 'self'{hosts}; script-src 'self' 'wasm-unsafe-eval'{hosts}; style-src 'self'{hosts}; \
             img-src 'self' data:{hosts}; font-src 'self'{hosts}; connect-src 'self'{hosts}; media-src 'self'{hosts}; \
             frame-src 'none'{hosts}; object-src 'none'; base-uri 'self'; form-action 'self'"
        )
    }
}

/// `[worksheets]`: defaults for printable worksheets.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorksheetsConfig {
    /// Paper of worksheets that do not say (`letter`, `a4` or `both`); default `letter`.
    #[serde(default)]
    pub paper: Option<crate::content::kinds::Paper>,
}

/// `[theme]`: which theme, and options that change its look without copying templates.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    #[serde(default = "default_theme")]
    pub name: String,
    /// Accent colour as `#rrggbb`; the theme derives its link and button colours from it.
    #[serde(default)]
    pub accent: Option<String>,
    /// Path of a logo image under `static/`, e.g. `logo.svg`.
    #[serde(default)]
    pub logo: Option<String>,
    #[serde(default)]
    pub logo_alt: Option<String>,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            name: default_theme(),
            accent: None,
            logo: None,
            logo_alt: None,
        }
    }
}

/// One `[[menu]]` entry of the header navigation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    /// A site path (`/articles/`) or an absolute URL.
    pub url: String,
}

/// `[crisis]`: the notice shown in the same place on every page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The notice; without it, the theme's `crisis_text` in the site's language.
    #[serde(default)]
    pub text: Option<String>,
    /// Where "More crisis resources" points; empty for no link.
    #[serde(default = "default_crisis_url")]
    pub url: String,
}

impl Default for CrisisConfig {
    fn default() -> Self {
        CrisisConfig {
            enabled: true,
            text: None,
            url: default_crisis_url(),
        }
    }
}

/// `[books]`: how book pages link out, built from the ISBN.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BooksConfig {
    /// A bookshop URL with `{isbn}` where the ISBN goes.
    #[serde(default)]
    pub store_url: Option<String>,
    #[serde(default)]
    pub store_name: Option<String>,
    /// A library catalogue URL with `{isbn}` where the ISBN goes.
    #[serde(default)]
    pub library_url: Option<String>,
    #[serde(default)]
    pub library_name: Option<String>,
    /// Whether the store links earn the practice a commission (shows a disclosure).
    #[serde(default)]
    pub affiliate: bool,
}

/// `[practice]`: who runs the site, shown in the footer, the "Start counseling" block and
/// the structured data search engines read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeConfig {
    #[serde(default)]
    pub name: Option<String>,
    /// The phone number as written, checked into `phone` by [`Config::parse`]. Not a
    /// `Phone` straight from serde: that would stop at a bad number, and site.toml's
    /// problems are all reported at once.
    #[serde(default, rename(deserialize = "phone"), skip_serializing)]
    phone_written: Option<String>,
    /// The checked phone number; templates see it as written.
    #[serde(skip_deserializing, rename(serialize = "phone"))]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub email: Option<String>,
    /// The practice's external client portal.
    #[serde(default)]
    pub booking_url: Option<String>,
    #[serde(default)]
    pub accepting_new_clients: Option<bool>,
    /// A sentence or two about fees, e.g. "50-minute session $180; sliding scale available".
    #[serde(default)]
    pub fees: Option<String>,
    /// A sentence or two about insurance, e.g. "Out of network; we provide superbills".
    #[serde(default)]
    pub insurance: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub clinicians: Vec<Clinician>,
}

/// `[[practice.clinicians]]`: one clinician and their licence.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clinician {
    pub name: String,
    /// e.g. "PhD, LMFT".
    #[serde(default)]
    pub credentials: Option<String>,
    /// e.g. "Licensed Marriage and Family Therapist".
    #[serde(default)]
    pub license_type: Option<String>,
    #[serde(default)]
    pub license_number: Option<String>,
    /// Two-letter codes of the states the clinician is licensed in.
    #[serde(default)]
    pub licensed_in: Vec<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}
fn default_theme() -> String {
    "hearth".into()
}
fn yes() -> bool {
    true
}
fn default_crisis_url() -> String {
    "/crisis/".into()
}

impl Config {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let display = PathBuf::from(CONFIG_FILE);
        let source = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(&display, format!("cannot read {CONFIG_FILE}: {e}")).with_help(
                    "run hearth in a site folder (one with site.toml), pass --root DIR, \
                     or create a new site with `hearth init DIR`",
                ),
            ]
        })?;
        Config::parse(&source, &display)
    }

    /// Parses `site.toml` text; `display` is the path named in diagnostics.
    pub fn parse(source: &str, display: &Path) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(source).map_err(|e| {
            let message = e.message().trim().to_string();
            let mut d = Diagnostic::error(display, message.clone());
            if let Some(span) = e.span() {
                d = d.at_offset(source, span.start);
            }
            if let Some(hint) = unknown_field_hint(&message) {
                d = d.with_help(hint);
            }
            vec![d]
        })?;
        let problems = config.validate(source, display);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn validate(&mut self, source: &str, display: &Path) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let at_key = |key: &str, message: String, help: &str| {
            let offset = find_key(source, key).unwrap_or(0);
            Diagnostic::error(display, message)
                .at_offset(source, offset)
                .with_help(help.to_string())
        };
        if !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://")) {
            problems.push(at_key(
                "base_url",
                format!("base_url `{}` is not an absolute URL", self.base_url),
                "write the address the site will be served from, e.g. base_url = \"https://example.org\"",
            ));
        }
        if let Some(accent) = &self.theme.accent
            && !is_hex_colour(accent)
        {
            problems.push(at_key(
                "accent",
                format!("accent `{accent}` is not a colour"),
                "write a hex colour such as accent = \"#2f6f6a\"",
            ));
        }
        problems.extend(self.validate_practice(source, display));
        for code in self.languages.keys() {
            let is_default = code == &self.language;
            if !is_language_code(code) || is_default {
                let offset = source.find(&format!("languages.{code}")).unwrap_or(0);
                problems.push(
                    Diagnostic::error(
                        display,
                        if is_default {
                            format!("[languages.{code}] is the default language (`language = \"{code}\"`)")
                        } else {
                            format!("[languages.{code}]: `{code}` is not a language code")
                        },
                    )
                    .at_offset(source, offset)
                    .with_help(if is_default {
                        "list only the other languages under [languages]; the default one is `language`"
                    } else {
                        "use a two-letter code such as es, or one with a region such as pt-BR"
                    }),
                );
            }
        }
        for (key, pattern) in [
            ("store_url", &self.books.store_url),
            ("library_url", &self.books.library_url),
        ] {
            if let Some(pattern) = pattern
                && !pattern.contains("{isbn}")
            {
                problems.push(at_key(
                    key,
                    format!("{key} has no `{{isbn}}` placeholder"),
                    "put {isbn} where the book's ISBN goes, e.g. \"https://bookshop.example/isbn/{isbn}\"",
                ));
            }
        }
        problems
    }

    fn validate_practice(&mut self, source: &str, display: &Path) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut invalid = |key: &str, value: &str, help: String| {
            let offset = find_key(source, key).unwrap_or(0);
            problems.push(
                Diagnostic::error(display, format!("[practice] {key} `{value}` is not valid"))
                    .at_offset(source, offset)
                    .with_help(help),
            );
        };
        let practice = &mut self.practice;
        practice.phone = match practice.phone_written.as_deref().map(Phone::parse) {
            Some(Err(e)) => {
                invalid(
                    "phone",
                    practice.phone_written.as_deref().unwrap_or_default(),
                    e.to_string(),
                );
                None
            }
            Some(Ok(phone)) => Some(phone),
            None => None,
        };
        let mut check =
            |key: &str, value: &Option<String>, validate: fn(&str) -> Result<(), String>| {
                if let Some(value) = value
                    && let Err(help) = validate(value)
                {
                    invalid(key, value, help);
                }
            };
        check("email", &practice.email, us::email);
        check("booking_url", &practice.booking_url, us::url);
        for clinician in &practice.clinicians {
            for code in &clinician.licensed_in {
                if us::state_name(code).is_none() {
                    let offset = find_value(source, code).unwrap_or(0);
                    problems.push(
                        Diagnostic::error(
                            display,
                            format!(
                                "`{code}` (licensed_in of {}) is not a US state code",
                                clinician.name
                            ),
                        )
                        .at_offset(source, offset)
                        .with_help("use two-letter USPS codes such as OR or WA"),
                    );
                }
            }
        }
        problems
    }

    /// Every language of the site, the default first, then the others by code.
    pub fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.language.clone())
            .chain(self.languages.keys().cloned())
            .collect()
    }

    /// The site's title in language `code`: its `[languages.<code>] title`, else `title`.
    pub fn title_in(&self, code: &str) -> &str {
        self.languages
            .get(code)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description in language `code`, as [`Config::title_in`].
    pub fn description_in(&self, code: &str) -> &str {
        self.languages
            .get(code)
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The base URL without a trailing slash, so `base + "/path/"` is always right.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// `es`, `pt-BR`: two letters, and a region or script after a hyphen.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let language = parts.next().unwrap_or("");
    language.len() == 2
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_hex_colour(s: &str) -> bool {
    let hex = s.strip_prefix('#').unwrap_or("");
    (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Byte offset of a quoted value in the TOML source.
fn find_value(source: &str, value: &str) -> Option<usize> {
    source.find(&format!("\"{value}\"")).map(|i| i + 1)
}

/// Byte offset of `key =` in the TOML source, for pointing at a value that failed validation.
fn find_key(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(src, Path::new("site.toml"))
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"T\"\nbase_url = \"https://example.org/\"\n").unwrap();
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.theme.name, "hearth");
        assert_eq!(c.base(), "https://example.org");
        assert_eq!(c.crisis.text, None, "the theme's crisis_text is shown");
    }

    #[test]
    fn unknown_key_points_at_it_with_a_hint() {
        let err =
            parse("title = \"T\"\nbase_url = \"https://e.org\"\ndescriptin = \"x\"\n").unwrap_err();
        assert_eq!(err[0].line, Some(3));
        assert_eq!(err[0].col, Some(1));
        assert!(
            err[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `description`?")
        );
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let err = parse("title = \"T\"\nbase_url = \"example.org\"\n").unwrap_err();
        assert!(err[0].message.contains("not an absolute URL"));
        assert_eq!(err[0].line, Some(2));
    }

    #[test]
    fn practice_contacts_and_states_are_validated() {
        let err = parse(
            "title = \"T\"\nbase_url = \"https://e.org\"\n[practice]\nphone = \"555\"\nemail = \"nobody\"\nbooking_url = \"portal\"\n[[practice.clinicians]]\nname = \"A\"\nlicensed_in = [\"OR\", \"XX\"]\n",
        )
        .unwrap_err();
        let found: Vec<(Option<u32>, &str)> =
            err.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(found[0], (Some(4), "[practice] phone `555` is not valid"));
        assert!(
            err[0].help.as_deref().unwrap().contains("503"),
            "{:?}",
            err[0].help
        );
        assert_eq!(
            found[1],
            (Some(5), "[practice] email `nobody` is not valid")
        );
        assert_eq!(
            found[2],
            (Some(6), "[practice] booking_url `portal` is not valid")
        );
        assert_eq!(
            found[3],
            (Some(9), "`XX` (licensed_in of A) is not a US state code")
        );
    }

    #[test]
    fn isbn_pattern_needs_placeholder() {
        let err = parse("title = \"T\"\nbase_url = \"https://e.org\"\n[books]\nstore_url = \"https://s.org/\"\n")
            .unwrap_err();
        assert!(err[0].message.contains("{isbn}"), "{}", err[0].message);
        assert_eq!(err[0].line, Some(4));
    }
}
