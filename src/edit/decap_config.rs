//! `/admin/config.yml`: Decap's configuration, made from hearth's content model each time
//! it is asked for. One folder collection per section with its kind's fields
//! (`fields.rs`), and a "Site settings" form for the parts of site.toml a practice edits.

use serde_json::{Value, json};

use crate::content::Kind;
use crate::content::us::state_codes;

use super::fields::{Field, Widget, fields_of};
use super::sections::{Languages, SectionInfo, SiteInfo};

/// Where uploads go when a page has no folder of its own to put them beside it.
const MEDIA_FOLDER: &str = "static/images";
const PUBLIC_FOLDER: &str = "/images";

/// The configuration for the editor served at `origin` (`http://127.0.0.1:PORT`).
pub(crate) fn decap_config(info: &SiteInfo, origin: &str) -> String {
    let api = format!("{origin}/api/v1");
    let mut collections: Vec<Value> = info
        .sections
        .iter()
        .map(|section| collection(section, info, None))
        .collect();
    // A page that exists only in another language has a list of its own: in the
    // translated lists Decap would take it for the default language's and save it so.
    for (code, name) in &info.languages.others {
        collections.extend(
            info.sections
                .iter()
                .map(|section| collection(section, info, Some((code, name)))),
        );
    }
    collections.push(settings_collection(&info.languages));
    let mut config = json!({
        // The proxy backend is Decap's client of the local-backend protocol; naming it
        // here (not only in local_backend) means the editor never falls back to a hosted
        // backend on another host.
        "backend": { "name": "proxy", "proxy_url": api, "branch": "main" },
        "local_backend": { "url": api },
        "site_url": format!("{origin}/"),
        "display_url": format!("{origin}/"),
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        // The preview that matters is hearth's own, at `/`: Decap's would render the
        // Markdown its own way.
        "editor": { "preview": false },
        "collections": collections,
    });
    if info.languages.several() {
        // Each language's file beside the others (`about.md`, `about.es.md`), as hearth
        // keeps them; `entries.rs` adds the default language's code Decap expects.
        config["i18n"] = json!({
            "structure": "multiple_files",
            "locales": info.languages.codes().collect::<Vec<_>>(),
            "default_locale": info.languages.default,
        });
    }
    serde_yaml::to_string(&config).unwrap_or_default()
}

/// The collection name of a section: its folder, or `pages` for the home section.
pub(crate) fn collection_name(section: &SectionInfo) -> String {
    if section.dir.is_empty() {
        "pages".to_string()
    } else {
        section.dir.replace('/', "-")
    }
}

/// A section's pages: in every language it has (`only_in: None`), or those that exist only
/// in one other language (its code and name).
fn collection(section: &SectionInfo, info: &SiteInfo, only_in: Option<(&str, &str)>) -> Value {
    let folder = if section.dir.is_empty() {
        "content".to_string()
    } else {
        format!("content/{}", section.dir)
    };
    let mut url = if section.dir.is_empty() {
        String::new()
    } else {
        format!("{}/", section.dir)
    };
    let translated = only_in.is_none() && info.languages.several();
    let mut fields: Vec<Value> = fields_of(section.kind)
        .map(|f| widget(f, info, translated))
        .collect();
    let mut body =
        json!({ "name": "body", "label": "Text", "widget": "markdown", "required": false });
    if translated {
        body["i18n"] = json!(true);
    }
    fields.push(body);
    // The home section's title is the site's; its pages are "Pages" to the person editing.
    let mut label = if section.dir.is_empty() {
        "Pages".to_string()
    } else {
        section.title.clone()
    };
    let mut name = collection_name(section);
    let mut extension = "md".to_string();
    if let Some((code, language)) = only_in {
        label = format!("{label} only in {language}");
        name = format!("{name}-only-{code}");
        extension = format!("{code}.md");
        url = format!("{code}/{url}");
    }
    let mut collection = json!({
        "name": name,
        "label": label,
        "label_singular": section.kind.singular(),
        "folder": folder,
        "create": true,
        "extension": extension,
        "format": "frontmatter",
        "slug": "{{slug}}",
        "preview_path": format!("{url}{{{{slug}}}}/"),
        // Uploads of a page sit beside its Markdown file, as covers and images do.
        "media_folder": "",
        "public_folder": "",
        "summary": "{{title}}",
        "sortable_fields": ["title", "date"],
        "fields": fields,
    });
    if translated {
        collection["i18n"] = json!(true);
    }
    collection
}

/// The Decap field for one of hearth's; with `translated`, also whether each language has
/// its own value or takes the original's.
fn widget(field: &Field, info: &SiteInfo, translated: bool) -> Value {
    let mut value = json!({
        "name": field.key,
        "label": field.label,
        "required": field.required,
    });

    let extra = match field.widget {
        Widget::Line => json!({ "widget": "string" }),
        Widget::Text => json!({ "widget": "text" }),
        Widget::Date => json!({
            "widget": "datetime", "time_format": false,
            "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "picker_utc": true,
        }),
        Widget::Bool => json!({ "widget": "boolean", "default": false }),
        Widget::Integer => json!({ "widget": "number", "value_type": "int" }),
        Widget::Number => json!({ "widget": "number", "value_type": "float" }),
        Widget::Texts => json!({ "widget": "list" }),
        Widget::Topics => topics(info),
        Widget::Choice(options) => json!({ "widget": "select", "options": options }),
        Widget::States => json!({
            "widget": "select", "multiple": true,
            "options": state_codes().collect::<Vec<_>>(),
        }),
        Widget::Pages(kind) => pages(kind, info),
        Widget::Image => json!({ "widget": "image", "choose_url": false }),
        Widget::Group(inner) => json!({
            "widget": "object", "collapsed": true,
            // A group is translated or shared as a whole.
            "fields": inner
                .iter()
                .map(|f| widget(&Field { shared: field.shared, ..*f }, info, translated))
                .collect::<Vec<_>>(),
        }),
    };
    merge(&mut value, extra);
    if translated {
        let whole = ["list", "object"].map(Value::from);
        value["i18n"] = if whole.contains(&value["widget"]) {
            // Decap's lists and groups take only true (translated) or false (left out of
            // the translation's form; the save fills it in from the original, front.rs).
            json!(!field.shared)
        } else if field.shared && value["widget"] != "relation" {
            json!("duplicate")
        } else {
            // A copied relation marks the page changed as soon as it is opened, so the
            // translation gets its own, and one left empty is filled in from the original.
            json!("translate")
        };
    }
    // A new page is dated today, as `hearth new` dates it.
    if field.key == "date" {
        value["default"] = json!("{{now}}");
    }
    if !field.hint.is_empty() {
        value["hint"] = json!(field.hint);
    }
    if field.widget == Widget::Topics && !info.topics.is_empty() {
        let known: Vec<&str> = info.topics.iter().map(String::as_str).collect();
        value["hint"] = json!(format!(
            "Separate topics with commas. Topics already on your site: {}.",
            known.join(", ")
        ));
    }
    value
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

/// Topics: free text (a new topic is just a new word), with the existing ones named in the
/// hint so the same topic is spelled the same way.
fn topics(_info: &SiteInfo) -> Value {
    json!({ "widget": "list", "allow_add": true })
}

/// A choice of pages of `kind`, by the slug hearth looks them up with; a plain list when
/// the site has no section of that kind.
fn pages(kind: Kind, info: &SiteInfo) -> Value {
    match info.section_of_kind(kind) {
        Some(section) => json!({
            "widget": "relation",
            "collection": collection_name(section),
            "value_field": "{{slug}}",
            "search_fields": ["title"],
            "display_fields": ["title"],
            "multiple": true,
        }),
        None => json!({ "widget": "list" }),
    }
}

/// The practice profile, the crisis notice and the book links of site.toml, and what each
/// other language says differently.
fn settings_collection(languages: &Languages) -> Value {
    let text = |name: &str, label: &str| json!({ "name": name, "label": label, "widget": "string", "required": false });
    let long = |name: &str, label: &str| json!({ "name": name, "label": label, "widget": "text", "required": false });
    let yes_no = |name: &str, label: &str| json!({ "name": name, "label": label, "widget": "boolean", "required": false });
    let states = json!({
        "name": "licensed_in", "label": "Licensed in", "widget": "select", "multiple": true,
        "required": false, "options": state_codes().collect::<Vec<_>>(),
    });
    let clinician = vec![
        json!({ "name": "name", "label": "Name", "widget": "string" }),
        text("credentials", "Credentials (the letters after the name)"),
        text("license_type", "Licence, in words"),
        text("license_number", "Licence number"),
        states,
    ];
    let practice = vec![
        text("name", "Practice name"),
        text("phone", "Phone"),
        text("email", "Email"),
        text("booking_url", "Booking page address"),
        yes_no("accepting_new_clients", "Accepting new clients"),
        long("fees", "Fees"),
        long("insurance", "Insurance"),
        json!({ "name": "languages", "label": "Languages of sessions", "widget": "list", "required": false }),
        json!({ "name": "clinicians", "label": "Clinicians", "widget": "list", "required": false, "fields": clinician }),
    ];
    let crisis = vec![
        yes_no("enabled", "Show the crisis notice on every page"),
        long("text", "Crisis notice"),
        text("url", "\"More crisis resources\" link"),
    ];
    let books = vec![
        text("library_url", "Library search address, with {isbn}"),
        text("library_name", "Library link text"),
        text("store_url", "Bookshop address, with {isbn}"),
        text("store_name", "Bookshop link text"),
        yes_no("affiliate", "Bookshop links earn a commission"),
    ];
    let group = |name: &str, label: &str, fields: Vec<Value>| json!({ "name": name, "label": label, "widget": "object", "required": false, "fields": fields });
    let in_language = |code: &str, name: &str| {
        let fields = vec![
            text("name", "Name of the language, in itself"),
            text("title", "Site title"),
            long("description", "Site description"),
            long("crisis_text", "Crisis notice"),
        ];
        group(code, name, fields)
    };
    let mut form = vec![
        json!({ "name": "title", "label": "Site title", "widget": "string" }),
        long("description", "Site description"),
        group("practice", "Your practice", practice),
        group("crisis", "Crisis notice", crisis),
        group("books", "Book links", books),
    ];
    if languages.several() {
        let each = languages
            .others
            .iter()
            .map(|(code, name)| in_language(code, name))
            .collect();
        form.push(group("languages", "Other languages", each));
    }
    json!({
        "name": "settings",
        "label": "Site settings",
        "editor": { "preview": false },
        "files": [{
            "name": "site",
            "label": "Site settings",
            "file": "site.toml",
            "format": "toml",
            "fields": form,
        }],
    })
}

/// The keys of each `[languages.<code>]` table the settings form edits (the menu stays in
/// the file, as the default language's does).
pub(crate) const LANGUAGE_KEYS: [&str; 4] = ["name", "title", "description", "crisis_text"];

/// The keys of site.toml the settings form edits, by table ("" for the top level).
pub(crate) const SETTINGS_KEYS: [(&str, &[&str]); 4] = [
    ("", &["title", "description"]),
    (
        "practice",
        &[
            "name",
            "phone",
            "email",
            "booking_url",
            "accepting_new_clients",
            "fees",
            "insurance",
            "languages",
            "clinicians",
        ],
    ),
    ("crisis", &["enabled", "text", "url"]),
    (
        "books",
        &[
            "library_url",
            "library_name",
            "store_url",
            "store_name",
            "affiliate",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteInfo {
        site_in(Languages::default())
    }

    fn site_in(languages: Languages) -> SiteInfo {
        let section = |dir: &str, title: &str, kind| SectionInfo {
            dir: dir.into(),
            title: title.into(),
            kind,
        };
        SiteInfo {
            sections: vec![
                section("", "Home", Kind::Pages),
                section("articles", "Articles", Kind::Articles),
                section("books", "Books", Kind::Books),
                section("counseling", "Counseling", Kind::Counseling),
            ],
            topics: ["anxiety".to_string(), "sleep".to_string()].into(),
            languages,
        }
    }

    fn parsed() -> serde_yaml::Value {
        serde_yaml::from_str(&decap_config(&site(), "http://127.0.0.1:4000")).expect("yaml")
    }

    fn field<'a>(
        config: &'a serde_yaml::Value,
        collection: &str,
        name: &str,
    ) -> &'a serde_yaml::Value {
        let collections = config["collections"].as_sequence().expect("collections");
        let c = collections
            .iter()
            .find(|c| c["name"] == collection)
            .expect("collection");
        let fields = c["fields"].as_sequence().expect("fields");
        fields.iter().find(|f| f["name"] == name).expect(name)
    }

    #[test]
    fn one_collection_per_section_and_the_settings() {
        let config = parsed();
        let names: Vec<&str> = config["collections"]
            .as_sequence()
            .expect("collections")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert_eq!(
            names,
            ["pages", "articles", "books", "counseling", "settings"]
        );
        assert_eq!(
            config["local_backend"]["url"],
            "http://127.0.0.1:4000/api/v1"
        );
        assert_eq!(config["collections"][1]["folder"], "content/articles");
        assert_eq!(config["collections"][1]["create"], true);
    }

    #[test]
    fn widgets_follow_the_content_model() {
        let config = parsed();
        assert_eq!(field(&config, "articles", "date")["widget"], "datetime");
        assert_eq!(field(&config, "articles", "reviewed")["widget"], "datetime");
        assert_eq!(field(&config, "articles", "books")["widget"], "relation");
        assert_eq!(field(&config, "articles", "books")["collection"], "books");
        assert_eq!(
            field(&config, "articles", "books")["value_field"],
            "{{slug}}"
        );
        assert_eq!(field(&config, "articles", "worksheets")["widget"], "list");
        assert_eq!(field(&config, "articles", "draft")["widget"], "boolean");
        assert_eq!(field(&config, "articles", "body")["widget"], "markdown");
        assert_eq!(field(&config, "books", "cover")["widget"], "image");
        let topics = field(&config, "articles", "topics");
        assert!(
            topics["hint"]
                .as_str()
                .expect("hint")
                .contains("anxiety, sleep")
        );
        let states = field(&config, "counseling", "licensed_in");
        assert_eq!(states["widget"], "select");
        assert!(states["options"].as_sequence().expect("options").len() >= 50);
        assert_eq!(field(&config, "counseling", "address")["widget"], "object");
    }

    #[test]
    fn a_site_in_two_languages_gets_translated_lists_and_lists_of_its_own() {
        let config: serde_yaml::Value = serde_yaml::from_str(&decap_config(
            &site_in(Languages {
                default: "en".into(),
                others: vec![("es".into(), "Español".into())],
            }),
            "http://127.0.0.1:4000",
        ))
        .expect("yaml");
        assert_eq!(config["i18n"]["structure"], "multiple_files");
        assert_eq!(config["i18n"]["default_locale"], "en");
        assert_eq!(config["i18n"]["locales"][1], "es");
        assert_eq!(config["collections"][1]["i18n"], true);
        assert_eq!(field(&config, "articles", "title")["i18n"], "translate");
        assert_eq!(field(&config, "articles", "body")["i18n"], true);
        assert_eq!(field(&config, "articles", "date")["i18n"], "duplicate");
        assert_eq!(field(&config, "books", "isbn")["i18n"], "duplicate");
        assert_eq!(field(&config, "articles", "topics")["i18n"], true);
        assert_eq!(field(&config, "counseling", "hours")["i18n"], false);
        assert_eq!(field(&config, "articles", "books")["i18n"], "translate");
        assert_eq!(field(&config, "counseling", "address")["i18n"], false);
        let access = field(&config, "counseling", "access");
        assert_eq!(access["i18n"], true);
        assert_eq!(access["fields"][0]["i18n"], "translate");
        let spanish_only = field(&config, "articles-only-es", "title");
        assert!(spanish_only.get("i18n").is_none());
        let collections = config["collections"].as_sequence().expect("collections");
        let only = collections
            .iter()
            .find(|c| c["name"] == "articles-only-es")
            .expect("a list of Spanish-only articles");
        assert_eq!(only["label"], "Articles only in Español");
        assert_eq!(only["extension"], "es.md");
        assert_eq!(only["preview_path"], "es/articles/{{slug}}/");
        assert!(only.get("i18n").is_none());
        let settings = collections.last().expect("settings");
        let form = settings["files"][0]["fields"]
            .as_sequence()
            .expect("fields");
        let other = form
            .iter()
            .find(|f| f["name"] == "languages")
            .expect("a group per other language");
        assert_eq!(other["fields"][0]["name"], "es");
        assert_eq!(other["fields"][0]["label"], "Español");
        assert_eq!(other["fields"][0]["fields"][3]["name"], "crisis_text");
    }

    #[test]
    fn a_site_in_one_language_has_no_translation_settings() {
        let config = parsed();
        assert!(config.get("i18n").is_none());
        assert!(field(&config, "articles", "title").get("i18n").is_none());
    }
}
