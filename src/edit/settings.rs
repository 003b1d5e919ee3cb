//! Saves the "Site settings" form into site.toml with `toml_edit`: only the keys the form
//! edits are touched, and only when their value changed, so the file keeps its comments
//! (every TODO and explanation), its order and its layout.

use toml_edit::{DocumentMut, Item, Table};

use super::decap_config::{LANGUAGE_KEYS, SETTINGS_KEYS};
use super::sections::Languages;

/// site.toml (`current`) with the form's values (`sent`, the TOML Decap wrote) merged in:
/// the keys of [`SETTINGS_KEYS`], and each other language's `[languages.<code>]` keys.
pub(crate) fn merge(current: &str, sent: &str, languages: &Languages) -> Result<String, String> {
    let mut doc: DocumentMut = current
        .parse()
        .map_err(|e| format!("site.toml cannot be read: {e}"))?;
    let sent: DocumentMut = sent
        .parse()
        .map_err(|e| format!("the editor sent settings that are not TOML: {e}"))?;
    let mut tables: Vec<(Vec<&str>, &[&str])> = SETTINGS_KEYS
        .iter()
        .map(|(table, keys)| (table.split('.').filter(|t| !t.is_empty()).collect(), *keys))
        .collect();
    for (code, _) in &languages.others {
        tables.push((vec!["languages", code.as_str()], &LANGUAGE_KEYS));
    }
    for (path, keys) in tables {
        let from = path
            .iter()
            .try_fold(sent.as_table(), |t, name| t.get(name)?.as_table());
        let sends_any =
            from.is_some_and(|t| keys.iter().any(|k| t.get(k).is_some_and(|i| !is_blank(i))));
        let exists = path
            .iter()
            .try_fold(doc.as_table(), |t, name| t.get(name)?.as_table())
            .is_some();
        if !exists && !sends_any {
            continue;
        }
        let Some(into) = table_at(doc.as_table_mut(), &path) else {
            continue;
        };
        for key in keys {
            update(into, key, from.and_then(|t| t.get(key)));
        }
    }
    Ok(doc.to_string())
}

/// The table at `path` under `table`, made when missing (a parent made here stays implicit,
/// so `[languages.es]` is written without an empty `[languages]` above it). `None` when a
/// key on the way is not a table.
fn table_at<'t>(table: &'t mut Table, path: &[&str]) -> Option<&'t mut Table> {
    let Some((first, rest)) = path.split_first() else {
        return Some(table);
    };
    let made = table.get(first).is_none();
    let item = table.entry(first).or_insert(toml_edit::table());
    let next = item.as_table_mut()?;
    if made && !rest.is_empty() {
        next.set_implicit(true);
    }
    table_at(next, rest)
}

/// Sets `key` to `sent` when it differs (keeping the old value's comments), removes it when
/// the form left it empty.
fn update(into: &mut Table, key: &str, sent: Option<&Item>) {
    let sent = sent.filter(|item| !is_blank(item));
    match (into.get_mut(key), sent) {
        (Some(old), Some(new)) if same(old, new) => {}
        (Some(Item::Value(old)), Some(Item::Value(new))) => {
            let decor = old.decor().clone();
            *old = new.clone();
            *old.decor_mut() = decor;
        }
        (_, Some(new)) => {
            into.insert(key, new.clone());
        }
        (Some(_), None) => {
            into.remove(key);
        }
        (None, None) => {}
    }
}

fn is_blank(item: &Item) -> bool {
    match item {
        Item::None => true,
        Item::Value(v) => v.as_str().is_some_and(|s| s.trim().is_empty()),
        _ => false,
    }
}

/// Whether two values are equal, whatever their layout.
fn same(a: &Item, b: &Item) -> bool {
    fn plain(item: &Item) -> String {
        let mut doc = DocumentMut::new();
        doc.insert("v", item.clone());
        let text = doc.to_string();
        text.parse::<toml::Table>()
            .map(|t| t.to_string())
            .unwrap_or(text)
    }
    plain(a) == plain(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURRENT: &str = "# Your settings.\ntitle = \"Old\"  # TODO: your name\nbase_url = \"https://x.example\"\n\n[practice]\nphone = \"+1 541 555 0100\"   # TODO: your phone\nfees = \"$150\"\n";

    #[test]
    fn changes_only_what_the_form_changed_and_keeps_comments() {
        let sent = "title = \"Willow\"\nbase_url = \"https://evil.example\"\n[practice]\nphone = \"+1 541 555 0100\"\nfees = \"\"\nemail = \"a@b.example\"\n";
        let merged = merge(CURRENT, sent, &Languages::default()).expect("merge");
        assert!(merged.starts_with("# Your settings.\ntitle = \"Willow\"  # TODO: your name\nbase_url = \"https://x.example\"\n"), "{merged}");
        assert!(
            merged.contains("phone = \"+1 541 555 0100\"   # TODO: your phone"),
            "{merged}"
        );
        assert!(!merged.contains("fees"), "{merged}");
        assert!(merged.contains("email = \"a@b.example\""), "{merged}");
    }

    #[test]
    fn a_language_s_table_is_made_or_changed_in_place() {
        let spanish = Languages {
            default: "en".into(),
            others: vec![("es".into(), "Español".into())],
        };
        let sent = "title = \"Old\"\n[languages.es]\ncrisis_text = \"Llame al 988.\"\n";
        let merged = merge(CURRENT, sent, &spanish).expect("merge");
        assert!(
            merged.ends_with("[languages.es]\ncrisis_text = \"Llame al 988.\"\n"),
            "{merged}"
        );
        assert!(!merged.contains("[languages]\n"), "{merged}");
        let again = merge(
            &merged,
            "[languages.es]\ncrisis_text = \"Llame o escriba al 988.\"\nname = \"Español\"\n",
            &spanish,
        )
        .expect("merge");
        assert!(
            again.ends_with(
                "[languages.es]\ncrisis_text = \"Llame o escriba al 988.\"\nname = \"Español\"\n"
            ),
            "{again}"
        );
        assert_eq!(again.matches("[languages.es]").count(), 1, "{again}");
    }
}
