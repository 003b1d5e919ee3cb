//! Tera templates, looked up by name: the site's `templates/` over
//! `themes/<theme>/templates/` over the default theme embedded in the binary, so a theme
//! (or a site) only needs the templates it changes.
//!
//! Every theme-level template is also registered as `theme/<name>`, so a site template can
//! `{% extends "theme/article.html" %}` and override one block without copying the rest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_embed::RustEmbed;
use tera::{ErrorKind, Kwargs, State, Tera, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, relative};
use crate::inside::SiteRoot;
use crate::strings::Strings;

/// The default theme, compiled into the binary (read from disk in debug builds).
#[derive(RustEmbed)]
#[folder = "themes/hearth/"]
pub struct DefaultTheme;

pub const DEFAULT_THEME: &str = "hearth";
const THEME_PREFIX: &str = "theme/";

/// The compiled templates and where each came from, for error messages.
pub struct Templates {
    pub tera: Tera,
    origins: BTreeMap<String, PathBuf>,
    /// Each template's text hash and the templates it extends, includes or imports, for
    /// the fingerprints of the jobs that render it.
    uses: BTreeMap<String, Uses>,
    /// The words the theme writes, which every template may read through `t(key=…)`.
    pub strings: Arc<Strings>,
    /// Strings missing in one of the site's languages.
    pub warnings: Vec<Diagnostic>,
}

/// What one template is made of, for change tracking.
#[derive(Debug, Clone, PartialEq)]
struct Uses {
    hash: u64,
    /// `None`: it names a template through an expression, so it may use any of them.
    names: Option<Vec<String>>,
}

/// One template's name, text and the file it came from.
struct Source {
    text: String,
    origin: PathBuf,
}

impl Templates {
    /// Loads and compiles every template once, with the theme's strings in the site's
    /// language.
    pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        let theme = config.theme.name.as_str();
        let (strings, warnings) = Strings::load(root, theme, &config.language_codes())?;
        let strings = Arc::new(strings);
        let mut diags = Vec::new();
        let mut theme_layer: BTreeMap<String, Source> = BTreeMap::new();
        {
            for name in DefaultTheme::iter()
                .filter_map(|f| f.strip_prefix("templates/").map(str::to_string))
            {
                if let Some(file) = DefaultTheme::get(&format!("templates/{name}")) {
                    let text = String::from_utf8_lossy(&file.data).into_owned();
                    let origin = PathBuf::from(format!("<built-in theme>/templates/{name}"));
                    theme_layer.insert(name, Source { text, origin });
                }
            }
        }
        let theme_dir = root.join("themes").join(theme).join("templates");
        if theme != DEFAULT_THEME && !theme_dir.is_dir() {
            return Err(vec![
                Diagnostic::error("site.toml", format!("theme `{theme}` not found: there is no {}", relative(root, &theme_dir).display()))
                    .with_help(format!("put the theme under themes/{theme}/, or remove `name` from [theme] to use the built-in theme")),
            ]);
        }
        let site = SiteRoot::new(root);
        read_dir(root, &site, &theme_dir, &mut theme_layer, &mut diags);
        let mut site_layer = BTreeMap::new();
        read_dir(
            root,
            &site,
            &root.join("templates"),
            &mut site_layer,
            &mut diags,
        );
        if !diags.is_empty() {
            return Err(diags);
        }

        let mut all: BTreeMap<String, Source> = BTreeMap::new();
        for (name, source) in &theme_layer {
            all.insert(
                format!("{THEME_PREFIX}{name}"),
                Source {
                    text: source.text.clone(),
                    origin: source.origin.clone(),
                },
            );
        }
        all.extend(theme_layer);
        all.extend(site_layer);

        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        register_filters(&mut tera, &strings);
        let origins: BTreeMap<String, PathBuf> = all
            .iter()
            .map(|(n, s)| (n.clone(), s.origin.clone()))
            .collect();
        tera.add_raw_templates(all.iter().map(|(name, s)| (name.as_str(), s.text.as_str())))
            .map_err(|e| vec![template_error(&origins, &e, None)])?;
        let uses = all
            .iter()
            .map(|(name, s)| {
                let mut hasher = std::hash::DefaultHasher::new();
                std::hash::Hash::hash(&s.text, &mut hasher);
                let uses = Uses {
                    hash: std::hash::Hasher::finish(&hasher),
                    names: referenced_templates(&s.text),
                };
                (name.clone(), uses)
            })
            .collect();
        Ok(Templates {
            tera,
            origins,
            uses,
            strings,
            warnings,
        })
    }

    /// A hash of everything rendering `name` reads: its text and that of every template it
    /// extends, includes or imports, at any depth. A template that names another through
    /// an expression may read any of them, so then every template counts.
    pub fn fingerprint(&self, name: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.to_string()];
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.uses.get(&name).map(|u| &u.names) {
                Some(Some(names)) => stack.extend(names.iter().cloned()),
                Some(None) => {
                    seen.extend(self.uses.keys().cloned());
                    break;
                }
                None => {}
            }
        }
        let mut h = std::hash::DefaultHasher::new();
        // Any template may read any string.
        self.strings.hash().hash(&mut h);
        for name in &seen {
            (name, self.uses.get(name).map(|u| u.hash)).hash(&mut h);
        }
        h.finish()
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `name`; errors point at the template line and name the page being made.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        page: &Path,
    ) -> Result<Vec<u8>, Diagnostic> {
        // Bytes, as they are written: no copy into a `String` checked for UTF-8 again (Tera
        // writes only strings). Room for a typical page saves growing the buffer step by step.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut bytes)
            .map_err(|e| template_error(&self.origins, &e, Some(page)))?;
        Ok(bytes)
    }
}

/// The templates that `text` extends, includes or imports by name. `None` when a tag names
/// one through an expression (no quoted name), as then it could be any.
fn referenced_templates(text: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("%}") else {
            break;
        };
        let tag = after[..end].trim_start_matches('-').trim();
        rest = &after[end + 2..];
        let keyword = tag.split_whitespace().next().unwrap_or("");
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        let quoted: Vec<String> = tag
            .split(['"', '\''])
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        if quoted.is_empty() {
            return None;
        }
        names.extend(quoted);
    }
    Some(names)
}

/// Reads every template under `dir` into `layer`. Links are followed while they stay
/// inside the site: a template's text ends up in pages, so one linked from elsewhere is
/// refused like any other file from outside the site.
fn read_dir(
    root: &Path,
    site: &SiteRoot,
    dir: &Path,
    layer: &mut BTreeMap<String, Source>,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    let mut refused = Vec::new();
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| site.admits(e, &mut refused));
    for entry in entries {
        let entry = match entry {
            Ok(e) if e.file_type().is_file() => e,
            Ok(_) => continue,
            Err(e) => {
                diags.push(Diagnostic::error(
                    relative(root, e.path().unwrap_or(dir)),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let name = relative(dir, entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if name.starts_with('.') {
            continue;
        }
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                layer.insert(
                    name,
                    Source {
                        text,
                        origin: relative(root, entry.path()),
                    },
                );
            }
            Err(e) => diags.push(Diagnostic::error(
                relative(root, entry.path()),
                format!("cannot read template: {e}"),
            )),
        }
    }
    diags.extend(refused);
}

/// Turns a Tera error into a diagnostic at the template's file, line and column.
fn template_error(
    origins: &BTreeMap<String, PathBuf>,
    e: &tera::Error,
    page: Option<&Path>,
) -> Diagnostic {
    let while_making = page
        .map(|p| format!(" (while making {})", p.display()))
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let origin = origins
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(report.filename()));
            let span = report.span();
            let source = std::fs::read_to_string(&origin).unwrap_or_default();
            let mut d = Diagnostic::error(
                &origin,
                format!("template error: {}{while_making}", report.message()),
            );
            d = if source.is_empty() {
                Diagnostic {
                    line: u32::try_from(span.start_line).ok(),
                    col: u32::try_from(span.start_col + 1).ok(),
                    ..d
                }
            } else {
                d.at(&source, span.start_line, span.start_col + 1)
            };
            d.with_help("fix the template; see https://keats.github.io/tera/ for the syntax")
        }
        ErrorKind::MissingParent { current, parent } => {
            let origin = origins
                .get(current)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(current));
            Diagnostic::error(origin, format!("template extends `{parent}`, which does not exist{while_making}"))
                .with_help(format!("check the name; to extend the theme's version of a template, write \"{THEME_PREFIX}{parent}\""))
        }
        other => Diagnostic::error(
            page.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf),
            format!("template error: {other}"),
        ),
    }
}

fn register_filters(tera: &mut Tera, strings: &Arc<Strings>) {
    let for_dates = Arc::clone(strings);
    tera.register_filter("date", move |value: &str, kwargs: Kwargs, state: &State| {
        date_filter(&for_dates, value, kwargs, state)
    });
    let for_text = Arc::clone(strings);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| {
        text_function(&for_text, kwargs, state)
    });
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| slug::slugify(s));
    tera.register_filter("json", json_filter);
    tera.register_filter(
        "plural",
        |n: i64, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let one = kwargs.must_get::<&str>("one")?;
            let many = kwargs.must_get::<&str>("many")?;
            Ok(format!("{n} {}", if n == 1 { one } else { many }))
        },
    );
}

/// `{{ page.date | date }}`: an ISO date as the page's language writes it (the theme's
/// `date_format` and `months`); `date(format="%Y-%m-%d")` formats it with jiff instead.
fn date_filter(
    strings: &Strings,
    value: &str,
    kwargs: Kwargs,
    state: &State,
) -> tera::TeraResult<String> {
    let date: jiff::civil::Date = value
        .get(..10)
        .unwrap_or(value)
        .parse()
        .map_err(|e| tera::Error::message(format!("`{value}` is not a date: {e}")))?;
    match kwargs.get::<&str>("format")? {
        Some(format) => jiff::fmt::strtime::format(format, date)
            .map_err(|e| tera::Error::message(format!("bad date format `{format}`: {e}"))),
        None => {
            let language = state.get::<String>("lang")?;
            strings
                .date(language.as_deref(), date)
                .map_err(tera::Error::message)
        }
    }
}

/// `{{ t(key="latest_articles") }}`, `{{ t(key="items", count=n) }}`,
/// `{{ t(key="page_of", current=1, total=3) }}`: a theme string in the page's language
/// (`lang` in the template's data), with its placeholders filled.
fn text_function(strings: &Strings, kwargs: Kwargs, state: &State) -> tera::TeraResult<String> {
    let key = kwargs.must_get::<&str>("key")?;
    let count = kwargs.get::<i64>("count")?;
    let args: Vec<(&str, String)> = kwargs
        .iter()
        .filter_map(|(name, value)| Some((name.as_str()?, value.to_string())))
        .filter(|(name, _)| !matches!(*name, "key" | "count"))
        .collect();
    let language = state.get::<String>("lang")?;
    strings
        .text(language.as_deref(), key, count, &args)
        .map_err(tera::Error::message)
}

/// `{{ data | json }}`: JSON for `<script type="application/ld+json">`, with `<` escaped
/// so text can never close the script element.
fn json_filter(value: Value, _: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let json = serde_json::to_string(&value).map_err(|e| tera::Error::message(e.to_string()))?;
    Ok(Value::safe_string(&json.replace('<', "\\u003c")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_templates_a_template_names() {
        let text = r#"{% extends "theme/base.html" %}
{%- import 'macros.html' as m -%}
{% block main %}{% include "partials/card.html" ignore missing %}{{ "include" }}{% endblock main %}"#;
        assert_eq!(
            referenced_templates(text),
            Some(vec![
                "theme/base.html".to_string(),
                "macros.html".to_string(),
                "partials/card.html".to_string(),
            ])
        );
        assert_eq!(referenced_templates("{% if x %}{% endif %}"), Some(vec![]));
    }

    #[test]
    fn a_template_named_by_an_expression_could_be_any() {
        assert_eq!(referenced_templates("{% include page.partial %}"), None);
    }
}
