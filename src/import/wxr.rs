//! Reads a WordPress export (WXR: RSS with WordPress's own elements) as a stream of XML
//! events and hands over one `<item>` at a time, so an export of any size is read in
//! bounded memory. Elements are matched by namespace, not prefix: both the `http://` and
//! the `https://wordpress.org/export/1.2/` namespaces are WordPress's.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::ImportError;

/// What an element's namespace is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordPress's own elements (`wp:`), under either export namespace.
    Wp,
    /// `excerpt:encoded`.
    Excerpt,
    /// `content:encoded`.
    Content,
    /// `dc:creator`.
    Dc,
    /// RSS's own elements (no namespace).
    Rss,
    Other,
}

fn classify(ns: &ResolveResult<'_>) -> Ns {
    let uri = match ns {
        ResolveResult::Bound(ns) => ns.0,
        ResolveResult::Unbound => return Ns::Rss,
        ResolveResult::Unknown(_) => return Ns::Other,
    };
    let wordpress = uri
        .strip_prefix("http://wordpress.org/export/")
        .or_else(|| uri.strip_prefix("https://wordpress.org/export/"));
    match wordpress {
        Some(rest) if rest.trim_end_matches('/').ends_with("excerpt") => Ns::Excerpt,
        Some(_) => Ns::Wp,
        None if uri.starts_with("http://purl.org/rss/1.0/modules/content") => Ns::Content,
        None if uri.starts_with("http://purl.org/dc/elements/1.1") => Ns::Dc,
        None => Ns::Other,
    }
}

/// A term (category, tag or menu) named on an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Term {
    /// `category`, `post_tag` or `nav_menu`.
    pub domain: String,
    pub nicename: String,
    pub name: String,
}

/// One `<item>`: a post, page, attachment, menu entry or anything else WordPress stores.
#[derive(Debug, Clone, Default)]
pub(crate) struct Item {
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub id: u64,
    /// `2019-03-14 09:30:00`, local time; `0000-00-00 00:00:00` for some drafts.
    pub date: String,
    pub name: String,
    pub status: String,
    pub post_type: String,
    pub password: String,
    pub parent: u64,
    pub menu_order: i64,
    pub attachment_url: String,
    pub terms: Vec<Term>,
    pub meta: Vec<(String, String)>,
    pub comments: usize,
}

impl Item {
    /// The value of a `wp:postmeta` key, if the item has it.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A category as the channel declares it (for its parent).
#[derive(Debug, Clone, Default)]
pub(crate) struct Category {
    pub name: String,
    pub parent: String,
    pub term_id: u64,
}

/// What the channel says before and around its items.
#[derive(Debug, Clone, Default)]
pub(crate) struct Channel {
    /// The old site's address (`<channel><link>`), against which relative URLs resolve.
    pub link: String,
    /// Author login → display name.
    pub authors: HashMap<String, String>,
    /// Category nicename → name and parent nicename.
    pub categories: HashMap<String, Category>,
}

/// Where the reader is inside an item's nested elements.
#[derive(Default)]
struct Pending {
    item: Option<Item>,
    meta_key: String,
    meta_value: String,
    author_login: String,
    author_name: String,
    cat_nicename: String,
    cat: Category,
    term: Term,
}

/// Reads the export at `path`, calling `on_item` for each item in order. Returns the
/// channel's data. Malformed XML is an error with its line and column.
pub(crate) fn read(
    path: &Path,
    mut on_item: impl FnMut(&Channel, Item) -> Result<(), ImportError>,
) -> Result<Channel, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::Read(path.to_path_buf(), e))?;
    let mut reader = NsReader::from_reader(BufReader::new(file));
    let result = read_events(&mut reader, &mut on_item);
    match result {
        Err(ImportError::Xml {
            message, offset, ..
        }) => {
            let (line, col, source_line) = line_col(path, offset);
            Err(ImportError::Xml {
                message,
                offset,
                line,
                col,
                source_line,
            })
        }
        other => other,
    }
}

fn xml_error(offset: u64, message: String) -> ImportError {
    ImportError::Xml {
        message,
        offset,
        line: 0,
        col: 0,
        source_line: String::new(),
    }
}

fn read_events<R: BufRead>(
    reader: &mut NsReader<R>,
    on_item: &mut impl FnMut(&Channel, Item) -> Result<(), ImportError>,
) -> Result<Channel, ImportError> {
    let mut state = State::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let (ns, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((ns, event)) => (classify(&ns), event),
            Err(e) => {
                let offset = reader.error_position();
                return Err(xml_error(offset, e.to_string()));
            }
        };
        let at = reader.buffer_position();
        match event {
            Event::Start(e) => state.start(ns, &e, at)?,
            Event::Empty(e) => {
                state.start(ns, &e, at)?;
                state.end(on_item)?;
            }
            Event::End(_) => state.end(on_item)?,
            Event::Text(e) => state.text.push_str(&e.xml10_content()),
            Event::CData(e) => state.text.push_str(&e.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string)
                    }
                    Err(_) => None,
                };
                match resolved {
                    Some(s) => state.text.push_str(&s),
                    None => {
                        return Err(xml_error(at, format!("unknown entity `&{};`", &*r)));
                    }
                }
            }
            Event::Eof => {
                if let Some((_, open)) = state.stack.last() {
                    return Err(xml_error(
                        at,
                        format!(
                            "the file ends before `<{open}>` is closed (is the export cut short?)"
                        ),
                    ));
                }
                if !state.seen_wordpress {
                    return Err(ImportError::NotWxr(
                        "it has no WordPress elements (`wp:` ...)".into(),
                    ));
                }
                return Ok(state.channel);
            }
            _ => {}
        }
    }
}

/// The reader's place in the document and what it has gathered so far.
#[derive(Default)]
struct State {
    channel: Channel,
    stack: Vec<(Ns, String)>,
    text: String,
    pending: Pending,
    seen_wordpress: bool,
}

impl State {
    fn start(&mut self, ns: Ns, e: &BytesStart<'_>, at: u64) -> Result<(), ImportError> {
        let local = e.local_name().as_ref().to_string();
        if self.stack.is_empty() && (ns, local.as_str()) != (Ns::Rss, "rss") {
            return Err(ImportError::NotWxr(format!(
                "its first element is `<{local}>`, not `<rss>`"
            )));
        }
        self.seen_wordpress |= ns == Ns::Wp;
        if self.is_at(&[(Ns::Rss, "rss"), (Ns::Rss, "channel")])
            && (ns, local.as_str()) == (Ns::Rss, "item")
        {
            self.pending.item = Some(Item::default());
        }
        if self.pending.item.is_some() && (ns, local.as_str()) == (Ns::Rss, "category") {
            let mut term = Term::default();
            for attr in e.attributes() {
                let attr = attr.map_err(|err| xml_error(at, err.to_string()))?;
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| xml_error(at, err.to_string()))?;
                match attr.key.local_name().as_ref() {
                    "domain" => term.domain = value.into_owned(),
                    "nicename" => term.nicename = value.into_owned(),
                    _ => {}
                }
            }
            self.pending.term = term;
        }
        self.stack.push((ns, local));
        self.text.clear();
        Ok(())
    }

    /// Whether the open elements are exactly `path`.
    fn is_at(&self, path: &[(Ns, &str)]) -> bool {
        self.stack.len() == path.len()
            && self
                .stack
                .iter()
                .zip(path)
                .all(|((ns, name), (pns, pname))| ns == pns && name == pname)
    }

    fn end(
        &mut self,
        on_item: &mut impl FnMut(&Channel, Item) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let Some((ns, local)) = self.stack.pop() else {
            return Ok(());
        };
        let text = std::mem::take(&mut self.text);
        let parent = self.stack.last().map(|(ns, name)| (*ns, name.as_str()));
        let p = &mut self.pending;
        match (parent, ns, local.as_str()) {
            (Some((Ns::Rss, "channel")), Ns::Rss, "item") => {
                if let Some(item) = p.item.take() {
                    on_item(&self.channel, item)?;
                }
            }
            (Some((Ns::Rss, "item")), _, _) => {
                if let Some(mut item) = p.item.take() {
                    item_field(&mut item, p, ns, &local, text);
                    p.item = Some(item);
                }
            }
            (Some((Ns::Wp, "postmeta")), Ns::Wp, "meta_key") => p.meta_key = text,
            (Some((Ns::Wp, "postmeta")), Ns::Wp, "meta_value") => p.meta_value = text,
            (Some((Ns::Rss, "channel")), Ns::Rss, "link") => self.channel.link = text,
            (Some((Ns::Rss, "channel")), Ns::Wp, "author") => {
                let login = std::mem::take(&mut p.author_login);
                let name = std::mem::take(&mut p.author_name);
                self.channel.authors.insert(login, name);
            }
            (Some((Ns::Rss, "channel")), Ns::Wp, "category") => {
                let nicename = std::mem::take(&mut p.cat_nicename);
                self.channel
                    .categories
                    .insert(nicename, std::mem::take(&mut p.cat));
            }
            (Some((Ns::Wp, "author")), Ns::Wp, "author_login") => p.author_login = text,
            (Some((Ns::Wp, "author")), Ns::Wp, "author_display_name") => p.author_name = text,
            (Some((Ns::Wp, "category")), Ns::Wp, "category_nicename") => p.cat_nicename = text,
            (Some((Ns::Wp, "category")), Ns::Wp, "category_parent") => p.cat.parent = text,
            (Some((Ns::Wp, "category")), Ns::Wp, "cat_name") => p.cat.name = text,
            (Some((Ns::Wp, "category")), Ns::Wp, "term_id") => {
                p.cat.term_id = text.trim().parse().unwrap_or(0);
            }
            _ => {}
        }
        Ok(())
    }
}

/// Stores one field of an item, closed with `text` inside it.
fn item_field(item: &mut Item, p: &mut Pending, ns: Ns, local: &str, text: String) {
    let number = |t: &str| t.trim().parse::<u64>().unwrap_or(0);
    match (ns, local) {
        (Ns::Rss, "title") => item.title = text,
        (Ns::Rss, "link") => item.link = text.trim().to_string(),
        (Ns::Rss, "category") => {
            let mut term = std::mem::take(&mut p.term);
            term.name = text;
            item.terms.push(term);
        }
        (Ns::Dc, "creator") => item.creator = text.trim().to_string(),
        (Ns::Content, "encoded") => item.content = text,
        (Ns::Excerpt, "encoded") => item.excerpt = text,
        (Ns::Wp, "post_id") => item.id = number(&text),
        (Ns::Wp, "post_date") => item.date = text.trim().to_string(),
        (Ns::Wp, "post_name") => item.name = text.trim().to_string(),
        (Ns::Wp, "status") => item.status = text.trim().to_string(),
        (Ns::Wp, "post_type") => item.post_type = text.trim().to_string(),
        (Ns::Wp, "post_password") => item.password = text,
        (Ns::Wp, "post_parent") => item.parent = number(&text),
        (Ns::Wp, "menu_order") => item.menu_order = text.trim().parse().unwrap_or(0),
        (Ns::Wp, "attachment_url") => item.attachment_url = text.trim().to_string(),
        (Ns::Wp, "postmeta") => {
            let key = std::mem::take(&mut p.meta_key);
            item.meta.push((key, std::mem::take(&mut p.meta_value)));
        }
        (Ns::Wp, "comment") => item.comments += 1,
        _ => {}
    }
}

/// The 1-based line and column (in characters) of byte `offset` of the file, and the
/// text of that line. Read again from the file: only an error needs them.
fn line_col(path: &Path, offset: u64) -> (usize, usize, String) {
    let Ok(file) = File::open(path) else {
        return (0, 0, String::new());
    };
    let mut reader = BufReader::new(file);
    let mut before = Vec::new();
    if (&mut reader).take(offset).read_to_end(&mut before).is_err() {
        return (0, 0, String::new());
    }
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    let mut rest = Vec::new();
    let _ = reader.take(1000).read_until(b'\n', &mut rest);
    let mut text = before[start..].to_vec();
    text.extend_from_slice(&rest);
    let text = String::from_utf8_lossy(&text).trim_end().to_string();
    (line, col, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(xml: &str) -> Result<(Channel, Vec<Item>), ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.xml");
        std::fs::write(&path, xml).unwrap();
        let mut items = Vec::new();
        let channel = read(&path, |_, item| {
            items.push(item);
            Ok(())
        })?;
        Ok((channel, items))
    }

    #[test]
    fn elements_are_matched_by_namespace_not_prefix() {
        let xml = r#"<rss xmlns:w="https://wordpress.org/export/1.2/" xmlns:wp="urn:not-wordpress"
            xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><link>https://a.example</link>
            <item><title>Caf&#233; &amp; <![CDATA[<b>té</b>]]></title>
              <w:post_id>4</w:post_id><wp:post_id>99</wp:post_id>
              <w:post_type>post</w:post_type>
              <content:encoded>&lt;p&gt;Hola&lt;/p&gt;</content:encoded>
              <w:postmeta><w:meta_key>_thumbnail_id</w:meta_key><w:meta_value>7</w:meta_value></w:postmeta>
              <w:comment><w:comment_id>1</w:comment_id></w:comment>
            </item></channel></rss>"#;
        let (channel, items) = read_text(xml).unwrap();
        assert_eq!(channel.link, "https://a.example");
        let item = &items[0];
        assert_eq!(item.title, "Café & <b>té</b>");
        assert_eq!(item.id, 4, "the `wp:` prefix here is not WordPress's");
        assert_eq!(item.content, "<p>Hola</p>");
        assert_eq!(item.meta("_thumbnail_id"), Some("7"));
        assert_eq!(item.comments, 1);
    }

    #[test]
    fn a_file_cut_short_is_an_error_at_its_end() {
        let xml = "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>\n<item><wp:post_id>1</wp:post_id>";
        match read_text(xml) {
            Err(ImportError::Xml { line, message, .. }) => {
                assert_eq!(line, 2);
                assert!(message.contains("ends before"), "{message}");
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn other_xml_is_not_an_export() {
        assert!(matches!(
            read_text("<feed><entry/></feed>"),
            Err(ImportError::NotWxr(m)) if m.contains("`<feed>`")
        ));
        assert!(matches!(
            read_text("<rss><channel><item><title>x</title></item></channel></rss>"),
            Err(ImportError::NotWxr(m)) if m.contains("no WordPress elements")
        ));
    }
}
