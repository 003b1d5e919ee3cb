//! The export's navigation menus as suggested `[[menu]]` entries for the report: each
//! entry's address on the new site (a page's new URL, a category's topic page, a path for
//! a link to the old site). Nothing is written into site.toml.

use std::collections::HashMap;

use super::plan::{self, Decision};
use super::report::MenuEntry;
use super::wxr::{Channel, Item};
use super::{convert, is_content};
use crate::content::slugify;

/// The export's menus as suggested `[[menu]]` entries, in each menu's order.
pub(crate) fn suggest(
    items: &[Item],
    decisions: &[Decision],
    channel: &Channel,
    moved: &convert::Moved,
) -> Vec<MenuEntry> {
    let mut url_of: HashMap<u64, (String, String)> = HashMap::new();
    let content = items.iter().filter(|i| is_content(i));
    for (item, decision) in content.zip(decisions) {
        let (title, url) = match decision {
            Decision::Import(p) => (p.title.clone(), p.url.clone()),
            Decision::Exists { title, url, .. } => (title.clone(), url.clone()),
            Decision::Skip { .. } => continue,
        };
        url_of.insert(item.id, (title, url));
    }
    let mut entries: Vec<((String, i64), u64, MenuEntry)> = Vec::new();
    let mut names: HashMap<u64, String> = HashMap::new();
    for item in items.iter().filter(|i| i.post_type == "nav_menu_item") {
        let menu = item
            .terms
            .iter()
            .find(|t| t.domain == "nav_menu")
            .map_or_else(|| "Menu".to_string(), |t| plan::clean_title(&t.name));
        let object_id: u64 = item
            .meta("_menu_item_object_id")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let (default_name, url) = match item.meta("_menu_item_type").unwrap_or_default() {
            "post_type" => match url_of.get(&object_id) {
                Some((title, url)) => (title.clone(), url.clone()),
                None => continue,
            },
            "taxonomy" => match channel.categories.values().find(|c| c.term_id == object_id) {
                Some(cat) => {
                    let name = plan::clean_title(&cat.name);
                    let url = format!("/topics/{}/", slugify(&name));
                    (name, url)
                }
                None => continue,
            },
            _ => {
                let url = item
                    .meta("_menu_item_url")
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                // A link to the old site itself becomes a path on this one.
                let home = channel.link.trim_end_matches('/');
                let url = match plan::old_path(&url, &channel.link) {
                    Some(path) => moved.get(&path).cloned().unwrap_or(path),
                    None if !home.is_empty() && url.trim_end_matches('/') == home => "/".into(),
                    None => url,
                };
                (String::new(), url)
            }
        };
        let title = plan::clean_title(&item.title);
        let name = if title.is_empty() {
            default_name
        } else {
            title
        };
        if name.is_empty() || url.is_empty() {
            continue;
        }
        let parent: u64 = item
            .meta("_menu_item_menu_item_parent")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0);
        names.insert(item.id, name.clone());
        entries.push((
            (menu.clone(), item.menu_order),
            parent,
            MenuEntry {
                menu,
                name,
                url,
                under: None,
            },
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|(_, parent, mut entry)| {
            entry.under = names.get(&parent).cloned();
            entry
        })
        .collect()
}
