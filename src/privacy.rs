//! The privacy gate: every resource a built page or stylesheet would make a reader's
//! browser fetch from another host, found on every build before anything is published.
//!
//! It reads HTML with its own small reader rather than a general HTML parser: the gate runs
//! over every page of every build, and all it needs are the start tags and attributes that
//! load something, plus the text of `<style>`. The reader splits HTML where a browser's
//! tokenizer does (comments, quoted attributes, the raw text of `<script>` with its escapes,
//! `<style>`, `<textarea>`, `<title>` and their kin). A page with `<noscript>` is read as
//! browsers with scripting on and off read it, and what either loads is reported. Where
//! the split depends on the document tree it does not build, it keeps to HTML's rules: a
//! `<style>` in SVG is still raw text to it, and a tag cut off by the end of the page still
//! loads. The `privacy_reader` fuzz target checks it against a WHATWG tokenizer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use memchr::{memchr, memmem};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::{Body, Output};

/// Which attributes of which elements make the browser fetch their URL (besides `style`
/// on any element, and `<link>`'s [`LINK_ATTRIBUTES`], which depend on `rel`).
pub const LOADING_ATTRIBUTES: [(&str, &[&str]); 23] = [
    ("img", &["src", "srcset"]),
    // SVG scripts load from `href`.
    ("script", &["src", "href", "xlink:href"]),
    ("iframe", &["src"]),
    ("frame", &["src"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("source", &["src", "srcset"]),
    ("track", &["src"]),
    ("embed", &["src"]),
    ("input", &["src"]),
    ("object", &["data"]),
    // SVG's images, references to other files' symbols and filter images.
    // In HTML, a browser reads `<image>` as `<img>`.
    ("image", &["href", "xlink:href", "src"]),
    ("use", &["href", "xlink:href"]),
    ("feimage", &["href", "xlink:href"]),
    // The old `background` attribute still loads an image.
    ("body", &["background"]),
    ("table", &["background"]),
    ("td", &["background"]),
    ("th", &["background"]),
    ("tr", &["background"]),
    ("thead", &["background"]),
    ("tbody", &["background"]),
    ("tfoot", &["background"]),
    // A `<base>` on another host sends every relative URL of the page there.
    ("base", &["href"]),
];

/// `<link rel>` values that make the browser contact the URL's host.
pub const LOADING_RELS: [&str; 10] = [
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
    "mask-icon",
    "preconnect",
    "dns-prefetch",
];

/// The attributes of a `<link>` with one of the [`LOADING_RELS`] that hold what it loads.
pub const LINK_ATTRIBUTES: [&str; 2] = ["href", "imagesrcset"];

/// Elements whose content a browser reads as text up to their end tag, not as markup
/// (besides `<script>`, see [`script_end`], and `<noscript>` with scripting on).
const RAW_TEXT: [&str; 7] = [
    "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The hosts pages may load from: the site's own (`base_url`'s) and those `[privacy]
/// allow` lists.
#[derive(Debug, Clone)]
pub struct Hosts {
    own: Option<String>,
    allow: Vec<String>,
}

impl Hosts {
    pub fn of(config: &Config) -> Hosts {
        Hosts {
            own: foreign_host(&config.base_url).map(str::to_string),
            allow: config.privacy.allow.clone(),
        }
    }

    fn allows(&self, host: &str) -> bool {
        self.own
            .iter()
            .chain(&self.allow)
            .any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// The privacy gate on one output: an error for every resource the page or stylesheet
/// loads from a host that `hosts` does not allow. `source_of` names the file to blame
/// (asked only when there is a problem).
pub fn check(
    output: &Output,
    hosts: &Hosts,
    source_of: &dyn Fn(&Path) -> Option<PathBuf>,
) -> Vec<Diagnostic> {
    let ext = output
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    // An SVG is XML that may load images and stylesheets like a page: it is checked too.
    if !matches!(ext, "html" | "htm" | "css" | "svg") {
        return Vec::new();
    }
    // Static files are copied, not held in memory: read the few HTML, CSS and SVG ones.
    let bytes = match &output.body {
        Body::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
        Body::Copy(source) | Body::Cached(source) => {
            Cow::Owned(std::fs::read(source).unwrap_or_default())
        }
    };
    let urls = if ext == "css" {
        css_urls(&String::from_utf8_lossy(&bytes))
    } else {
        loads(&bytes)
    };
    let blame = || match &output.body {
        Body::Copy(source) | Body::Cached(source) => source.clone(),
        Body::Bytes(_) => {
            source_of(&output.path).unwrap_or_else(|| Path::new("public").join(&output.path))
        }
    };
    // `srcset` holds several URLs, each followed by a size.
    urls.iter()
        .flat_map(|l| l.split(',').filter_map(|part| part.split_whitespace().next()))
        .filter_map(|url| {
            let host = foreign_host(url).filter(|host| !hosts.allows(host))?;
            Some(
                Diagnostic::error(blame(), format!("{} loads {url} from another host ({host})", output.path.display()))
                    .with_help(format!(
                        "readers' browsers would contact {host}; host the file yourself under static/, or if you accept that, add \"{host}\" to [privacy] allow in site.toml"
                    )),
            )
        })
        .collect()
}

/// Every URL that showing `html` makes the browser fetch, as written (character references
/// decoded), in the order of the page; what only a browser with scripting off loads (the
/// markup in `<noscript>`) comes last.
pub fn loads(html: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if read(html, true, &mut found) {
        // A browser with scripting on reads `<noscript>` as text up to `</noscript`, one
        // with it off as markup, so a quote or comment in it may end elsewhere: read the page
        // that way too, and add what it loads more often.
        let mut off = Vec::new();
        read(html, false, &mut off);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for url in &found {
            *seen.entry(url).or_default() += 1;
        }
        let mut more = Vec::new();
        for url in off {
            match seen.get_mut(url.as_str()) {
                Some(n) if *n > 0 => *n -= 1,
                _ => more.push(url),
            }
        }
        found.extend(more);
    }
    found
}

/// Reads the page as a browser with `scripting` on or off does, and tells whether it met a
/// `<noscript>` start tag (after which the two differ).
fn read(html: &[u8], scripting: bool, found: &mut Vec<String>) -> bool {
    let mut noscript = false;
    let mut at = 0;
    // Tags often follow each other (`</a></li>`): look at the next byte before searching.
    while let Some(offset) = match html.get(at) {
        Some(b'<') => Some(0),
        _ => memchr(b'<', html.get(at..).unwrap_or_default()),
    } {
        let lt = at + offset;
        let next = |n: usize| html.get(lt + n).copied();
        at = match next(1) {
            Some(b'!') if html[lt + 2..].starts_with(b"--") => comment_end(html, lt + 4),
            // Doctypes, `<![CDATA[` outside SVG and `<?…>` end at the next `>`.
            Some(b'!' | b'?') => past(html, b'>', lt + 2),
            Some(b'/') => match next(2) {
                // End tags' attributes mean nothing, but their quotes decide where they end.
                Some(c) if c.is_ascii_alphabetic() => {
                    attributes(html, name_end(html, lt + 2), |_, _| {})
                }
                Some(b'>') => lt + 3,
                Some(_) => past(html, b'>', lt + 2),
                None => html.len(),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let name = &html[lt + 1..name_end(html, lt + 1)];
                let mut buffer = [0; LONGEST_NAME];
                // Most tags (`a`, `p`, `li`, `div`…) are none the reader looks for: they
                // are told apart by length and first letter before any name is compared.
                let element = if may_be_special(name) {
                    lowercase(name, &mut buffer)
                } else {
                    b""
                };
                let end = start_tag(html, element, lt + 1 + name.len(), found);
                if element == b"plaintext" {
                    return noscript; // everything after it is text
                }
                let is_noscript = element == b"noscript";
                noscript |= is_noscript;
                if element == b"script" {
                    script_end(html, end)
                } else if RAW_TEXT.iter().any(|raw| raw.as_bytes() == element)
                    || (scripting && is_noscript)
                {
                    let close = raw_text_end(html, end, element);
                    if element == b"style" {
                        found.extend(css_urls(&String::from_utf8_lossy(&html[end..close])));
                    }
                    close
                } else {
                    end
                }
            }
            _ => lt + 1,
        };
    }
    noscript
}

/// Longer than the name of any element the reader looks for.
const LONGEST_NAME: usize = 12;

/// Every element the reader treats apart from the others: those that load something,
/// those whose content is text, and `<link>`, `<noscript>` and `<plaintext>`.
const SPECIAL: [&str; LOADING_ATTRIBUTES.len() + RAW_TEXT.len() + 4] = {
    let mut names = [""; LOADING_ATTRIBUTES.len() + RAW_TEXT.len() + 4];
    let mut i = 0;
    while i < LOADING_ATTRIBUTES.len() {
        names[i] = LOADING_ATTRIBUTES[i].0;
        i += 1;
    }
    let mut j = 0;
    while j < RAW_TEXT.len() {
        names[i + j] = RAW_TEXT[j];
        j += 1;
    }
    let others = ["script", "link", "noscript", "plaintext"];
    let mut k = 0;
    while k < others.len() {
        names[i + j + k] = others[k];
        k += 1;
    }
    names
};

/// For each name length, a bit for each letter that a [`SPECIAL`] name of that length
/// starts with.
const SPECIAL_STARTS: [u32; LONGEST_NAME] = {
    let mut starts = [0; LONGEST_NAME];
    let mut i = 0;
    while i < SPECIAL.len() {
        let name = SPECIAL[i].as_bytes();
        starts[name.len()] |= 1 << (name[0] - b'a');
        i += 1;
    }
    starts
};

/// Whether a tag name (which starts with an ASCII letter) may be one of [`SPECIAL`].
fn may_be_special(name: &[u8]) -> bool {
    let first = name[0].to_ascii_lowercase().wrapping_sub(b'a');
    SPECIAL_STARTS
        .get(name.len())
        .is_some_and(|starts| first < 26 && starts & (1 << first) != 0)
}

/// A tag name in lower case (kept in `buffer`), or nothing if it is too long to be one the
/// reader looks for. Pages have hundreds of tags: comparing each name once in lower case
/// instead of against every table entry ignoring case saves a sixth of the gate's work.
fn lowercase<'a>(name: &[u8], buffer: &'a mut [u8; LONGEST_NAME]) -> &'a [u8] {
    let Some(lower) = buffer.get_mut(..name.len()) else {
        return &[];
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    lower
}

/// Reads the attributes of a start tag of `element` (its name in lower case) from `from`
/// (just after its name), records what it loads, and returns where the tag ends.
fn start_tag(html: &[u8], element: &[u8], from: usize, found: &mut Vec<String>) -> usize {
    let loading = LOADING_ATTRIBUTES
        .iter()
        .find(|(name, _)| name.as_bytes() == element)
        .map_or(&[][..], |(_, attributes)| *attributes);
    let is_link = element == b"link";
    // The first `rel`, and the first of each of the link's URL attributes: `href`, and
    // `imagesrcset`, which a preload fetches from instead (a browser keeps the first of
    // duplicate attributes).
    let mut rel = None;
    let mut link = [None; LINK_ATTRIBUTES.len()];
    let end = attributes(html, from, |attribute, value| {
        if attribute.eq_ignore_ascii_case(b"style") {
            found.extend(css_urls(&decode(value)));
        } else if loading
            .iter()
            .any(|a| attribute.eq_ignore_ascii_case(a.as_bytes()))
        {
            found.push(decode(value).into_owned());
        } else if is_link && attribute.eq_ignore_ascii_case(b"rel") {
            rel = rel.or(Some(value));
        } else if let Some(i) = LINK_ATTRIBUTES
            .iter()
            .position(|a| is_link && attribute.eq_ignore_ascii_case(a.as_bytes()))
        {
            link[i] = link[i].or(Some(value));
        }
    });
    if let Some(rel) = rel {
        let rel = decode(rel).to_ascii_lowercase();
        if rel
            .split_ascii_whitespace()
            .any(|r| LOADING_RELS.contains(&r))
        {
            found.extend(link.iter().flatten().map(|url| decode(url).into_owned()));
        }
    }
    end
}

/// Reads attributes from `at` to the end of the tag, handing each name and value (as
/// written) to `each`; returns the position just past the tag's `>`.
fn attributes<'a>(
    html: &'a [u8],
    mut at: usize,
    mut each: impl FnMut(&'a [u8], &'a [u8]),
) -> usize {
    let skip = |at: &mut usize, what: fn(u8) -> bool| {
        while html.get(*at).copied().is_some_and(what) {
            *at += 1;
        }
    };
    loop {
        skip(&mut at, |b| is_space(b) || b == b'/');
        match html.get(at) {
            None => return html.len(),
            Some(b'>') => return at + 1,
            Some(_) => {}
        }
        let start = at;
        at += 1; // a name may begin with `=`
        skip(&mut at, |b| {
            !(is_space(b) || matches!(b, b'/' | b'>' | b'='))
        });
        let attribute = &html[start..at];
        skip(&mut at, is_space);
        if html.get(at) != Some(&b'=') {
            each(attribute, b"");
            continue;
        }
        at += 1;
        skip(&mut at, is_space);
        let value = match html.get(at).copied() {
            Some(quote @ (b'"' | b'\'')) => {
                let start = at + 1;
                let end = memchr(quote, &html[start..]).map_or(html.len(), |e| start + e);
                at = (end + 1).min(html.len());
                &html[start..end]
            }
            Some(b'>') | None => b"",
            Some(_) => {
                let start = at;
                skip(&mut at, |b| !(is_space(b) || b == b'>'));
                &html[start..at]
            }
        };
        each(attribute, value);
    }
}

/// Where a tag name that starts at `from` ends.
fn name_end(html: &[u8], from: usize) -> usize {
    html[from..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .map_or(html.len(), |i| from + i)
}

/// Where a comment whose text starts at `from` (after `<!--`) ends, as browsers end it:
/// at `-->` or `--!>`, or at once for `<!-->` and `<!--->`.
fn comment_end(html: &[u8], from: usize) -> usize {
    let rest = &html[from.min(html.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut at = from;
    while let Some(offset) = memmem::find(&html[at..], b"--") {
        let dashes = at + offset;
        match html.get(dashes + 2) {
            Some(b'>') => return dashes + 3,
            Some(b'!') if html.get(dashes + 3) == Some(&b'>') => return dashes + 4,
            _ => at = dashes + 1,
        }
    }
    html.len()
}

/// Where the text of a `<script>` that starts at `from` ends, as the spec's script data
/// states end it: at the first `</script` followed by a space, `/` or `>`, unless a `<!--`
/// and then a `<script` before it (with no `-->` between) made that one part of the text
/// (it is "double escaped"), in which case the next one after it ends the script.
fn script_end(html: &[u8], from: usize) -> usize {
    let mut at = from.min(html.len());
    // Script data, then after `<!--` "escaped", after `<script` in that "double escaped";
    // `-->` goes back to script data from either.
    let (mut escaped, mut double) = (false, false);
    let mut dashes = 0; // `-`s just before `at`, for `-->`
    let tag = |at: usize, end: bool| {
        let name = at + if end { 2 } else { 1 };
        html[at..].starts_with(if end { b"</" } else { b"<" })
            && html
                .get(name..name + 6)
                .is_some_and(|n| n.eq_ignore_ascii_case(b"script"))
            && html
                .get(name + 6)
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
    };
    loop {
        if !escaped {
            let Some(offset) = memchr(b'<', &html[at..]) else {
                return html.len();
            };
            at += offset;
            if html[at..].starts_with(b"<!--") {
                (escaped, dashes) = (true, 2);
                at += 4;
            } else if tag(at, true) {
                return at;
            } else {
                at += 1;
            }
            continue;
        }
        let Some(offset) = memchr::memchr3(b'-', b'<', b'>', &html[at..]) else {
            return html.len();
        };
        if offset > 0 {
            dashes = 0;
        }
        at += offset;
        match html[at] {
            b'-' => dashes += 1,
            b'>' if dashes >= 2 => (escaped, double, dashes) = (false, false, 0),
            b'<' if tag(at, true) && !double => return at,
            b'<' if tag(at, true) => (double, dashes) = (false, 0),
            b'<' if tag(at, false) && !double => (double, dashes) = (true, 0),
            _ => dashes = 0,
        }
        at += 1;
    }
}

/// Where the raw text of element `name`, starting at `from`, ends: at the first `</name`
/// followed by a space, `/` or `>` (or the end of the page).
fn raw_text_end(html: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from.min(html.len());
    while let Some(offset) = memmem::find(&html[at..], b"</") {
        let lt = at + offset;
        let after = lt + 2 + name.len();
        if html
            .get(lt + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && html
                .get(after)
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return lt;
        }
        at = lt + 2;
    }
    html.len()
}

/// The position just past the next `byte` from `from`, or the end.
fn past(html: &[u8], byte: u8, from: usize) -> usize {
    let from = from.min(html.len());
    memchr(byte, &html[from..]).map_or(html.len(), |i| from + i + 1)
}

/// HTML's whitespace between attributes (a browser turns `\r` into `\n` first).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0C' | b'\r')
}

/// An attribute value as the browser reads it: character references decoded.
fn decode(value: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(value);
    if !text.contains('&') {
        return text;
    }
    Cow::Owned(html_escape::decode_html_entities(&text).into_owned())
}

/// URLs in CSS: `url(...)` and `@import "..."`.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        urls.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
        rest = &rest[end..];
    }
    let mut rest = css;
    while let Some(i) = rest.find("@import") {
        rest = rest[i + 7..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &rest[1..];
            let end = inner.find(q).unwrap_or(inner.len());
            urls.push(inner[..end].to_string());
        }
    }
    urls
}

/// The host of an absolute or protocol-relative URL; `None` for URLs on this site.
pub fn foreign_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let after = if let Some(rest) = url.strip_prefix("//") {
        rest
    } else {
        let (scheme, rest) = url.split_once("://")?;
        if !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        {
            return None;
        }
        rest
    };
    let host = after.split(['/', '?', '#']).next().unwrap_or(after);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    Some(host.split(':').next().unwrap_or(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loads_of(html: &str) -> Vec<String> {
        loads(html.as_bytes())
    }

    #[test]
    fn finds_html_image_svg_script_and_table_backgrounds() {
        assert_eq!(
            loads_of(
                "<image src=a.png><svg><script href=b.js></script></svg>\
                 <table><thead background=c.png><tr background=d.png><th background=e.png>"
            ),
            vec!["a.png", "b.js", "c.png", "d.png", "e.png"]
        );
    }

    #[test]
    fn finds_what_tags_load() {
        let html = "<!doctype html><html><head><link rel=\"canonical\" href=\"https://me.example/\">\
            <link rel=\"Stylesheet preload\" href=\"//fonts.example/css\"><link href=/icon.png rel=icon>\
            <script src=\"https://js.example/a.js\"></script><base href='https://base.example/'></head>\
            <body background=\"bg.png\"><h1 id=t>T</h1><a href=\"https://elsewhere.example/\">link</a>\
            <img alt=\"x\" src=\"i.png\" srcset=\"a.png 1x, https://cdn.example/b.png 2x\">\
            <IMG SRC=\"HTTPS://UPPER.EXAMPLE/x.png\"><video poster=\"p.png\" src=\"v.mp4\"></video>\
            <object data=\"o.svg\"></object><svg><image href=\"//svg.example/i.png\"/><use xlink:href=\"#icon\"/></svg>\
            <p style=\"color: red; background: url('https://img.example/bg.png')\">x</p>\
            <hearth-custom-element STYLE=\"background: url(//long.example/c.png)\"></hearth-custom-element>\
            <TEXTAREA><img src=\"https://no.example/t.png\"></TEXTAREA></body></html>";
        assert_eq!(
            loads_of(html),
            vec![
                "//fonts.example/css",
                "/icon.png",
                "https://js.example/a.js",
                "https://base.example/",
                "bg.png",
                "i.png",
                "a.png 1x, https://cdn.example/b.png 2x",
                "HTTPS://UPPER.EXAMPLE/x.png",
                "p.png",
                "v.mp4",
                "o.svg",
                "//svg.example/i.png",
                "#icon",
                "https://img.example/bg.png",
                "//long.example/c.png",
            ]
        );
    }

    #[test]
    fn reads_style_text_but_not_script_or_comment_text() {
        let html = "<style>@import 'https://y.example/b.css'; p { background: url(/a.png) }</style>\
            <script>let s = '<img src=\"https://no.example/1.png\">';</script>\
            <!-- <img src=\"https://no.example/2.png\"> -->\
            <textarea><img src=\"https://no.example/3.png\"></textarea>\
            <title>a <img src=//no.example/4.png></title>";
        assert_eq!(loads_of(html), vec!["/a.png", "https://y.example/b.css"]);
    }

    #[test]
    fn ends_comments_and_tags_where_browsers_do() {
        // `<!-->` is a whole comment; `--!>` ends one; a `>` in quotes does not end a tag.
        assert_eq!(loads_of("<!--><img src=a.png>"), vec!["a.png"]);
        assert_eq!(loads_of("<!---><img src=b.png>"), vec!["b.png"]);
        assert_eq!(loads_of("<!-- x --!><img src=c.png>"), vec!["c.png"]);
        assert_eq!(loads_of("<!-- x -- y --><img src=d.png>"), vec!["d.png"]);
        assert_eq!(
            loads_of("<a title=\"<img src=no.png>\"><img alt='>' src=e.png>"),
            vec!["e.png"]
        );
        // A `</script` that is not followed by a space, `/` or `>` does not end the script.
        assert_eq!(
            loads_of("<script>x = '</scripts>'; '<img src=no.png>'</script ><img src=f.png>"),
            vec!["f.png"]
        );
        // An end tag's quoted attribute may hold `>`.
        assert_eq!(loads_of("</p class=\"a>b\"><img src=g.png>"), vec!["g.png"]);
        // Unquoted values end at a space or `>`; references are decoded.
        assert_eq!(
            loads_of("<img src=h.png?a=1&amp;b=2><img src='https:&#x2F;&#x2F;i.example/x'>"),
            vec!["h.png?a=1&b=2", "https://i.example/x"]
        );
        // Text that only looks like a tag is text.
        assert!(loads_of("a < b, 3<4, <3 and <!doctype> and <? x ?>").is_empty());
        // Truncated pages end the scan without a panic.
        for html in [
            "<",
            "<!",
            "<!-",
            "<!--",
            "</",
            "</a",
            "<img src",
            "<img src=",
            "<img src='x",
            "<style>",
        ] {
            let _ = loads_of(html);
        }
    }

    #[test]
    fn noscript_is_read_as_text_and_as_markup() {
        assert_eq!(
            loads_of("<noscript><img src=\"https://pixel.example/p.gif\"></noscript>"),
            vec!["https://pixel.example/p.gif"]
        );
        // With scripts on, the comment ends at `</noscript>` and the image loads.
        assert_eq!(
            loads_of("<noscript><!--</noscript><img src=a.png>-->"),
            vec!["a.png"]
        );
        // With scripts off, a quote, `<style>` or `<textarea>` in it runs past `</noscript>`
        // (found by the privacy_reader fuzz target).
        assert_eq!(
            loads_of("<noscript><img alt=\"</noscript>\" src=b.png>"),
            vec!["b.png"]
        );
        assert_eq!(
            loads_of("<noscript><style></noscript>p { background: url(c.png) }</style>"),
            vec!["c.png"]
        );
        assert_eq!(
            loads_of(
                "<img src=a.png><noscript><textarea></noscript><!--</textarea><img src=d.png>-->"
            ),
            vec!["a.png", "d.png"]
        );
        // What both readings load counts once.
        assert_eq!(
            loads_of("<img src=a.png><noscript></noscript><img src=a.png>"),
            vec!["a.png", "a.png"]
        );
    }

    #[test]
    fn script_ends_where_its_escapes_end_it() {
        // `<!--` then `<script>` in a script makes the next `</script>` text ("double
        // escaped"); the one after ends it (found by the privacy_reader fuzz target).
        assert_eq!(
            loads_of(
                "<Script><!---<script src=u1></script><xmp\nsrcset = \"</script>url(u3)<img src=u4>"
            ),
            vec!["u4"]
        );
        // `-->` ends the escape, and a `</script>` in a single escape ends the script.
        assert_eq!(
            loads_of("<script><!--<script>--></script><img src=a.png>"),
            vec!["a.png"]
        );
        assert_eq!(
            loads_of("<script><!--</script><img src=b.png>"),
            vec!["b.png"]
        );
        assert_eq!(
            loads_of("<script><!--<scripts></script><img src=c.png>"),
            vec!["c.png"]
        );
        assert!(loads_of("<script><!--<script></script><img src=no.png>").is_empty());
    }

    #[test]
    fn links_load_both_href_and_imagesrcset() {
        // A preload fetches from `imagesrcset`, an icon from `href` (found by the
        // privacy_reader fuzz target: only the first of the two was reported).
        assert_eq!(
            loads_of("<link rel=preload imagesrcset=\"u1\" href=\"u2\">"),
            vec!["u2", "u1"]
        );
        assert_eq!(
            loads_of("<link rel=icon href=a.png href=b.png imagesrcset=c.png>"),
            vec!["a.png", "c.png"]
        );
    }

    #[test]
    fn plaintext_makes_the_rest_text() {
        assert_eq!(
            loads_of("<img src=a.png><plaintext><img src=no.png>"),
            vec!["a.png"]
        );
    }

    #[test]
    fn css_urls_are_found() {
        assert_eq!(
            css_urls("@import \"https://css.example/a.css\"; a { background: url( 'b.png' ) }"),
            vec!["b.png", "https://css.example/a.css"]
        );
    }

    #[test]
    fn foreign_hosts() {
        assert_eq!(
            foreign_host("https://cdn.example:443/x"),
            Some("cdn.example")
        );
        assert_eq!(foreign_host("//fonts.example/css"), Some("fonts.example"));
        assert_eq!(
            foreign_host("https://user@host.example/"),
            Some("host.example")
        );
        assert_eq!(foreign_host("/style.css"), None);
        assert_eq!(foreign_host("data:image/png;base64,xx"), None);
    }

    #[test]
    fn the_quick_name_check_lets_every_special_element_through() {
        for name in SPECIAL {
            for form in [
                name.to_string(),
                name.to_ascii_uppercase(),
                name[..1].to_ascii_uppercase() + &name[1..],
            ] {
                assert!(may_be_special(form.as_bytes()), "{form}");
            }
        }
        // What most pages are made of is told apart without comparing names.
        for common in [
            "a", "p", "li", "ul", "div", "span", "h2", "em", "nav", "main",
        ] {
            assert!(!may_be_special(common.as_bytes()), "{common}");
        }
        assert!(!may_be_special(b"averyveryverylongelementname"));
    }
}
