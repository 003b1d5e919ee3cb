//! Writes a page the editor sends in hearth's own style: the front-matter keys in the
//! order of the kind's table (`fields.rs`, the order `hearth new` writes), strings in
//! double quotes, dates and numbers bare, short lists on one line, empty values left out.

use serde_yaml::{Mapping, Value};

use crate::content::Kind;
use crate::content::front_matter;

use super::fields::{Widget, fields_of};

/// `raw` (front matter and body, as Decap writes it) rewritten for a page of `kind`. Text
/// that has no front matter to reorder is returned as it came, for the loader to judge.
///
/// A translation is given its original's text as `shared_from`: the keys that are the same
/// in every language (`Field::shared`) and that it lacks are taken from there, since Decap
/// copies them into a translation only when they change in the original.
pub(crate) fn normalise(raw: &str, kind: Kind, shared_from: Option<&str>) -> String {
    let Ok(split) = front_matter::split(raw, std::path::Path::new("")) else {
        return raw.to_string();
    };
    let Ok(Value::Mapping(mut map)) = serde_yaml::from_str::<Value>(split.yaml) else {
        return raw.to_string();
    };
    if let Some(Value::Mapping(original)) = shared_from.and_then(front_matter_of) {
        for field in fields_of(kind).filter(|f| f.shared) {
            let missing = map.get(field.key).is_none_or(is_empty);
            if let (true, Some(value)) = (missing, original.get(field.key)) {
                map.insert(Value::from(field.key), value.clone());
            }
        }
    }
    let mut out = String::from("---\n");
    for field in fields_of(kind) {
        if let Some(value) = map.remove(field.key) {
            write_key(&mut out, field.key, &value, field.widget == Widget::Date);
        }
    }
    // Keys the table does not know (`extra`, or a typo the loader will name) keep their
    // place after the known ones.
    for (key, value) in map {
        if let Some(key) = key.as_str() {
            write_key(&mut out, key, &value, false);
        }
    }
    out.push_str("---\n");
    let body = split.body.trim_start_matches(['\r', '\n']);
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
        if !body.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Whether a translation Decap sends has anything of its own: a body, or a key that is not
/// copied from the original. Decap sends every language's file once a shared key (the
/// date) is copied into it, even when nobody started that translation.
pub(crate) fn has_own_words(raw: &str, kind: Kind) -> bool {
    let Ok(split) = front_matter::split(raw, std::path::Path::new("")) else {
        return !raw.trim().is_empty();
    };
    if !split.body.trim().is_empty() {
        return true;
    }
    let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(split.yaml) else {
        return !split.yaml.trim().is_empty();
    };
    let shared: Vec<&str> = fields_of(kind)
        .filter(|f| f.shared)
        .map(|f| f.key)
        .collect();
    // A switch left off (`draft: false`) is Decap's default, not something written.
    map.iter().any(|(key, value)| {
        !key.as_str().is_some_and(|k| shared.contains(&k))
            && !is_empty(value)
            && *value != Value::Bool(false)
    })
}

fn front_matter_of(raw: &str) -> Option<Value> {
    let split = front_matter::split(raw, std::path::Path::new("")).ok()?;
    serde_yaml::from_str(split.yaml).ok()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Sequence(items) => items.is_empty(),
        Value::Mapping(map) => map.values().all(is_empty),
        _ => false,
    }
}

fn write_key(out: &mut String, key: &str, value: &Value, is_date: bool) {
    if is_empty(value) {
        return;
    }
    match value {
        Value::String(s) if is_date => out.push_str(&format!("{key}: {}\n", s.trim())),
        Value::Sequence(items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
            let items: Vec<String> = items.iter().filter_map(Value::as_str).map(scalar).collect();
            out.push_str(&format!("{key}: [{}]\n", items.join(", ")));
        }
        Value::String(s) => out.push_str(&format!("{key}: {}\n", quoted(s))),
        Value::Bool(_) | Value::Number(_) => {
            out.push_str(&format!(
                "{key}: {}",
                serde_yaml::to_string(value).unwrap_or_default()
            ));
        }
        _ => {
            let mut one = Mapping::new();
            one.insert(Value::from(key), without_empty(value));
            out.push_str(&serde_yaml::to_string(&one).unwrap_or_default());
        }
    }
}

/// A nested value without its empty members (an address form left blank).
fn without_empty(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(_, v)| !is_empty(v))
                .map(|(k, v)| (k.clone(), without_empty(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A string in double quotes, escaped as JSON (which YAML reads the same way).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A list item bare when it is a plain word or phrase (`[OR, anxiety]`), else quoted.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_alphanumeric() || " -_".contains(c))
        && s.chars().next().is_some_and(char::is_alphabetic)
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_string() } else { quoted(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_keys_in_hearth_new_order_and_style() {
        let decap = "---\ntopics:\n  - anxiety\n  - sleep well\nbooks:\n  - feeling-good\ndraft: false\ndate: '2026-03-14'\ntitle: Small steps\ndescription: ''\nauthor: Jordan\n---\nSome text.\n";
        assert_eq!(
            normalise(decap, Kind::Articles, None),
            "---\ntitle: \"Small steps\"\ndate: 2026-03-14\ndraft: false\nauthor: \"Jordan\"\ntopics: [anxiety, sleep well]\nbooks: [feeling-good]\n---\n\nSome text.\n"
        );
    }

    #[test]
    fn keeps_unknown_keys_and_nested_values() {
        let decap = "---\ntitle: Office\nmode: in_person\naddress:\n  street: 1 Main St\n  city: Portland\n  region: OR\n  postal_code: '97201'\n  country: ''\nextra:\n  color: blue\n---\n";
        let out = normalise(decap, Kind::Counseling, None);
        assert!(
            out.starts_with(
                "---\ntitle: \"Office\"\nmode: \"in_person\"\naddress:\n  street: 1 Main St\n"
            ),
            "{out}"
        );
        assert!(!out.contains("country"), "{out}");
        assert!(out.ends_with("extra:\n  color: blue\n---\n"), "{out}");
    }

    #[test]
    fn a_translation_takes_the_shared_keys_it_lacks_from_its_original() {
        let original = "---\ntitle: Repairing\ndate: 2026-03-14\nbooks: [hold-me-tight]\ntopics: [conflict]\n---\nText.\n";
        let translation = "---\ntitle: Reparar\ntopics: [conflictos]\n---\nTexto.\n";
        assert_eq!(
            normalise(translation, Kind::Articles, Some(original)),
            "---\ntitle: \"Reparar\"\ndate: 2026-03-14\ntopics: [conflictos]\nbooks: [hold-me-tight]\n---\n\nTexto.\n"
        );
    }

    #[test]
    fn a_translation_of_only_copied_keys_has_no_words_of_its_own() {
        assert!(!has_own_words(
            "---\ndate: 2026-01-20\ndraft: false\ntitle: ''\n---\n",
            Kind::Articles
        ));
        assert!(!has_own_words(
            "---\ndate: 2026-01-20\n---\n\n",
            Kind::Articles
        ));
        assert!(has_own_words(
            "---\ndate: 2026-01-20\n---\nTexto.\n",
            Kind::Articles
        ));
        assert!(has_own_words("---\ntitle: Reparar\n---\n", Kind::Articles));
    }

    #[test]
    fn text_without_front_matter_is_left_for_the_loader() {
        assert_eq!(normalise("no fences", Kind::Pages, None), "no fences");
    }
}
