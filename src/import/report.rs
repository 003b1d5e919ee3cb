//! What an import did and what needs a person's look: the summary printed at the end and
//! `import-report.md`, written beside site.toml.

use std::fmt::Write as _;
use std::path::PathBuf;

/// The report's first line; a file that starts with it is one hearth wrote, and may be
/// replaced by the next import's.
pub(crate) const HEADING: &str = "# WordPress import report";

/// A suggested `[[menu]]` entry, from a WordPress menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub menu: String,
    pub name: String,
    pub url: String,
    /// The entry it sat under in WordPress (hearth's menu has one level).
    pub under: Option<String>,
}

/// Everything an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written (Markdown and images), relative to the site root.
    pub written: Vec<PathBuf>,
    pub articles: usize,
    pub pages: usize,
    pub drafts: usize,
    pub scheduled: usize,
    pub aliases: usize,
    pub images: usize,
    /// Private or password-protected: (title, file, which).
    pub hidden: Vec<(String, PathBuf, &'static str)>,
    /// Already in the site: (title, URL, the file that has it).
    pub existing: Vec<(String, String, PathBuf)>,
    /// Not imported: (title, why).
    pub skipped: Vec<(String, String)>,
    /// Images not fetched: (file, URL, why).
    pub failed_images: Vec<(PathBuf, String, String)>,
    /// Images without alt text: (file, image).
    pub missing_alt: Vec<(PathBuf, String)>,
    /// Unknown shortcodes left as text: (file, name).
    pub shortcodes: Vec<(PathBuf, String)>,
    /// Players turned into links: (file, URL).
    pub embeds: Vec<(PathBuf, String)>,
    /// Items with no title in the export (given one): file.
    pub untitled: Vec<PathBuf>,
    /// Comments left behind, and on how many posts.
    pub comments: usize,
    pub commented_posts: usize,
    pub menu: Vec<MenuEntry>,
    /// Where this report was written.
    pub report_file: Option<PathBuf>,
}

fn path(p: &std::path::Path) -> String {
    p.display().to_string().replace('\\', "/")
}

impl Report {
    /// The lines printed at the end of the command.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Imported {} {} and {} {} ({} drafts, {} scheduled), {} images, {} old addresses kept as redirects.",
            self.articles,
            plural(self.articles, "article", "articles"),
            self.pages,
            plural(self.pages, "page", "pages"),
            self.drafts,
            self.scheduled,
            self.images,
            self.aliases,
        );
        let attention = [
            (self.existing.len(), "already in the site, left as they are"),
            (
                self.hidden.len(),
                "private or password-protected, imported as drafts",
            ),
            (
                self.failed_images.len(),
                "images could not be fetched (linked instead)",
            ),
            (self.missing_alt.len(), "images have no alt text"),
            (self.shortcodes.len(), "unknown shortcodes left as text"),
            (self.embeds.len(), "embedded players turned into links"),
            (self.skipped.len(), "items not imported"),
        ];
        for (n, what) in attention.iter().filter(|(n, _)| *n > 0) {
            let _ = writeln!(s, "  {n} {what}");
        }
        if self.comments > 0 {
            let _ = writeln!(
                s,
                "  {} {} not imported (they are often clients' own words)",
                self.comments,
                plural(self.comments, "comment was", "comments were")
            );
        }
        if !self.menu.is_empty() {
            let _ = writeln!(
                s,
                "  {} menu entries suggested for site.toml",
                self.menu.len()
            );
        }
        if let Some(file) = &self.report_file {
            let _ = writeln!(s, "Everything that needs a look is in {}.", path(file));
        }
        s
    }

    /// The text of `import-report.md`.
    pub fn markdown(&self, export: &str) -> String {
        let mut s = format!(
            "{HEADING}\n\nFrom `{export}`.\n\n{}\n\n",
            self.summary_line()
        );
        section(
            &mut s,
            "Private and password-protected posts (imported as drafts)",
            "They were never public. Read each one before you publish it (remove `draft: true`).",
            self.hidden
                .iter()
                .map(|(t, f, why)| format!("{t} ({why}): `{}`", path(f))),
        );
        section(
            &mut s,
            "Already in the site (not imported)",
            "A page with the same address exists. Merge the two by hand if you want the WordPress text.",
            self.existing
                .iter()
                .map(|(t, u, f)| format!("{t}: {u} is `{}`", path(f))),
        );
        section(
            &mut s,
            "Images that could not be fetched",
            "Each is a link to its old address now. Save the image beside the page's index.md and put `![description](file.jpg)` in place of the link.",
            self.failed_images
                .iter()
                .map(|(f, u, why)| format!("`{}`: {u} ({why})", path(f))),
        );
        section(
            &mut s,
            "Images without alt text",
            "Describe each image for readers who cannot see it (`image_alt:` for a hero image, the words in `![…]` otherwise), or leave it empty if it is only decoration.",
            self.missing_alt
                .iter()
                .map(|(f, img)| format!("`{}`: {img}", path(f))),
        );
        section(
            &mut s,
            "Unknown shortcodes (left as text)",
            "They were WordPress plugins' markup. Replace or remove each one.",
            self.shortcodes
                .iter()
                .map(|(f, name)| format!("`{}`: `[{name}]`", path(f))),
        );
        section(
            &mut s,
            "Embedded players turned into links",
            "An embedded player tells its host about every visitor; a link asks nothing of anyone until they click.",
            self.embeds
                .iter()
                .map(|(f, u)| format!("`{}`: {u}", path(f))),
        );
        section(
            &mut s,
            "Untitled items (given a title)",
            "Give each a title of its own.",
            self.untitled.iter().map(|f| format!("`{}`", path(f))),
        );
        section(
            &mut s,
            "Not imported",
            "",
            self.skipped.iter().map(|(t, why)| format!("{t}: {why}")),
        );
        if self.comments > 0 {
            let _ = write!(
                s,
                "## Comments\n\n{} {} on {} {} not imported: comments are often clients' own words, and hearth's site has none.\n\n",
                self.comments,
                plural(self.comments, "comment", "comments"),
                self.commented_posts,
                plural(self.commented_posts, "post was", "posts were")
            );
        }
        if !self.menu.is_empty() {
            s.push_str("## Suggested menu\n\nYour WordPress menus, as hearth's `[[menu]]` entries. Nothing was changed in site.toml: copy the entries you want there.\n\n```toml\n");
            let mut current = "";
            for entry in &self.menu {
                if entry.menu != current {
                    let _ = writeln!(s, "# {}", entry.menu);
                    current = &entry.menu;
                }
                if let Some(parent) = &entry.under {
                    let _ = writeln!(s, "# (under \"{parent}\" in WordPress)");
                }
                let _ = writeln!(
                    s,
                    "[[menu]]\nname = {}\nurl = {}\n",
                    toml_string(&entry.name),
                    toml_string(&entry.url)
                );
            }
            s.push_str("```\n\n");
        }
        if !self.written.is_empty() {
            s.push_str("## Files written\n\n");
            for f in &self.written {
                let _ = writeln!(s, "- `{}`", path(f));
            }
        }
        s
    }

    fn summary_line(&self) -> String {
        self.summary()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn section(s: &mut String, title: &str, advice: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    let _ = write!(s, "## {title}\n\n");
    if !advice.is_empty() {
        let _ = write!(s, "{advice}\n\n");
    }
    for line in lines {
        let _ = writeln!(s, "- {line}");
    }
    s.push('\n');
}
