//! Saves the "Site settings" form into site.toml with `toml_edit`: only the keys the form
//! edits are touched, and only when their value changed, so the file keeps its comments
//! (every TODO and explanation), its order and its layout.

use toml_edit::{DocumentMut, Item, Table};

use super::decap_config::SETTINGS_KEYS;

/// site.toml (`current`) with the form's values (`sent`, the TOML Decap wrote) merged in.
pub(crate) fn merge(current: &str, sent: &str) -> Result<String, String> {
    let mut doc: DocumentMut = current
        .parse()
        .map_err(|e| format!("site.toml cannot be read: {e}"))?;
    let sent: DocumentMut = sent
        .parse()
        .map_err(|e| format!("the editor sent settings that are not TOML: {e}"))?;
    for (table, keys) in SETTINGS_KEYS {
        let from = if table.is_empty() {
            Some(sent.as_table())
        } else {
            sent.get(table).and_then(Item::as_table)
        };
        let sends_any =
            from.is_some_and(|t| keys.iter().any(|k| t.get(k).is_some_and(|i| !is_blank(i))));
        if !table.is_empty() && doc.get(table).is_none() && !sends_any {
            continue;
        }
        let into = if table.is_empty() {
            doc.as_table_mut()
        } else {
            match doc
                .entry(table)
                .or_insert(toml_edit::table())
                .as_table_mut()
            {
                Some(t) => t,
                None => continue,
            }
        };
        for key in keys {
            update(into, key, from.and_then(|t| t.get(key)));
        }
    }
    Ok(doc.to_string())
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
        let merged = merge(CURRENT, sent).expect("merge");
        assert!(merged.starts_with("# Your settings.\ntitle = \"Willow\"  # TODO: your name\nbase_url = \"https://x.example\"\n"), "{merged}");
        assert!(
            merged.contains("phone = \"+1 541 555 0100\"   # TODO: your phone"),
            "{merged}"
        );
        assert!(!merged.contains("fees"), "{merged}");
        assert!(merged.contains("email = \"a@b.example\""), "{merged}");
    }
}
