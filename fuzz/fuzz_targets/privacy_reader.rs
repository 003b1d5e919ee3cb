//! The privacy gate's own HTML reader, `privacy::loads`, against a WHATWG tokenizer
//! (html5gum): every URL that the reference reading of a page loads must be among those
//! `loads` reports, as many times (it may report more, never fewer). The reference walks
//! html5gum's start tags and applies hearth's own tables of what loads (`LOADING_ATTRIBUTES`,
//! `LOADING_RELS`, `LINK_ATTRIBUTES`, `style` attributes and `<style>` text through
//! `css_urls`), so only where the two split the HTML is tested.
//!
//! Most inputs are built from the fuzz bytes by a small grammar of the pieces where readers
//! disagree (tags, attributes, quotes, comments, raw-text elements, stray `<`, `>`, `-`,
//! `!`); one in eight (those that start with `<`, among others) is the bytes themselves.
//!
//! Where the reference is not what a browser does:
//! - html5gum is only a tokenizer. After a start tag, [`next_state`] switches it to raw text
//!   (or RCDATA, script data, plaintext) by the tag's name alone, as a browser's tree builder
//!   does in HTML content and as `loads` does everywhere. A browser does not switch inside
//!   SVG or MathML (`<svg><style>` holds markup, and an `<img>` in it breaks out and loads),
//!   nor for a start tag its tree builder ignores (such as `<style>` in the classic `<select>`
//!   parsing); and in SVG `<![CDATA[` runs to `]]>`, where both readers end it at the first
//!   `>`. There the reference sees the same tags as `loads`, so nothing needs to be left out,
//!   but a load that only such a context makes is out of this target's sight.
//! - Other work of the tree builder is not done either: `<image>` in HTML becomes `<img>`
//!   (and loads its `src`), a `<td>` outside a table is dropped. Again `loads` and the
//!   reference share the blind spot or both report more.
//! - `<noscript>` is raw text with scripting on and markup with it off: both readings are
//!   checked, each on its own (`loads` has to cover either browser).
//! - Script double escaping (`<script><!--<script></script>…`) is the spec's in html5gum
//!   and in `loads`. (Ending a script at the first `</script` instead is no safe
//!   over-reading: a quote opened after it can hide the tags after the real end.)
//! - A tag cut off by the end of the page is dropped by a browser; `loads` still reports
//!   its attributes, which is more.
//! - Character references: html5gum decodes them as the spec says, hearth with
//!   `html_escape`, and the two differ on legacy names without `;` and odd numbers. That is
//!   not about where HTML splits (a reference never ends a token), so [`page`] keeps only a
//!   few references both decode alike and turns any other `&` into `+`.

#![no_main]

use std::collections::HashMap;

use hearth::internals::privacy::{self, LINK_ATTRIBUTES, LOADING_ATTRIBUTES, LOADING_RELS, css_urls};
use html5gum::{StartTag, State, Token, Tokenizer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = page(data);
    let found = privacy::loads(html.as_bytes());
    for scripting in [true, false] {
        let expected = reference(&html, scripting);
        let mut left: HashMap<String, usize> = HashMap::new();
        for url in &found {
            *left.entry(normal(url)).or_default() += 1;
        }
        for url in &expected {
            match left.get_mut(&normal(url)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => panic!(
                    "privacy::loads misses {url:?}, which a browser with scripting {} loads\n\
                     page: {html:?}\nreference: {expected:?}\nloads: {found:?}",
                    if scripting { "on" } else { "off" }
                ),
            }
        }
    }
});

/// What the page loads as html5gum reads it, with scripting on or off.
fn reference(html: &str, scripting: bool) -> Vec<String> {
    let mut urls = Vec::new();
    let mut tokenizer = Tokenizer::new(html);
    // The text of the `<style>` being read, if any.
    let mut style: Option<Vec<u8>> = None;
    let end_style = |style: &mut Option<Vec<u8>>, urls: &mut Vec<String>| {
        if let Some(css) = style.take() {
            urls.extend(css_urls(&String::from_utf8_lossy(&css)));
        }
    };
    while let Some(token) = tokenizer.next() {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                end_style(&mut style, &mut urls);
                tag_loads(&tag, &mut urls);
                if let Some(state) = next_state(&tag.name, scripting) {
                    tokenizer.set_state(state);
                }
                if tag.name == b"style" {
                    style = Some(Vec::new());
                }
            }
            Token::String(text) => {
                if let Some(css) = &mut style {
                    css.extend_from_slice(&text.value);
                }
            }
            // Errors come in the middle of text (a NUL in `<style>`, say).
            Token::Error(_) => {}
            _ => end_style(&mut style, &mut urls),
        }
    }
    end_style(&mut style, &mut urls);
    urls
}

/// The state a browser's tree builder puts the tokenizer in after a start tag in HTML
/// content: the spec's raw text and RCDATA elements, script and plaintext. (html5gum's own
/// `naive_next_state` is not used: it lists `noframe`, not `noframes`.)
fn next_state(name: &[u8], scripting: bool) -> Option<State> {
    match name {
        b"title" | b"textarea" => Some(State::RcData),
        b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" => Some(State::RawText),
        b"noscript" if scripting => Some(State::RawText),
        b"script" => Some(State::ScriptData),
        b"plaintext" => Some(State::PlainText),
        _ => None,
    }
}

/// What one start tag loads by hearth's tables. html5gum has lowercased the names and kept
/// the first of duplicate attributes, as browsers do.
fn tag_loads(tag: &StartTag<()>, urls: &mut Vec<String>) {
    let text = |value: &[u8]| String::from_utf8_lossy(value).into_owned();
    let loading = LOADING_ATTRIBUTES
        .iter()
        .find(|(element, _)| tag.name == element.as_bytes())
        .map_or(&[][..], |(_, attributes)| *attributes);
    for (name, value) in &tag.attributes {
        let name = name.as_slice();
        if name == b"style" {
            urls.extend(css_urls(&text(&value.value)));
        } else if loading.iter().any(|a| name == a.as_bytes()) {
            urls.push(text(&value.value));
        }
    }
    if tag.name == b"link" {
        let loads = tag.attributes.get(b"rel".as_slice()).is_some_and(|rel| {
            text(&rel.value)
                .to_ascii_lowercase()
                .split_ascii_whitespace()
                .any(|r| LOADING_RELS.contains(&r))
        });
        if loads {
            for attribute in LINK_ATTRIBUTES {
                if let Some(value) = tag.attributes.get(attribute.as_bytes()) {
                    urls.push(text(&value.value));
                }
            }
        }
    }
}

/// A URL as the tokenizer hands it on: CR and CRLF are LF, NUL is U+FFFD (html5gum does
/// that to the input stream; `loads` keeps the bytes as written).
fn normal(url: &str) -> String {
    url.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{FFFD}")
}

/// The page an input stands for: the bytes themselves when the first is one of the eighth
/// that `<` is in (so a saved page replays as it is), else the grammar's.
fn page(data: &[u8]) -> String {
    let Some((&mode, rest)) = data.split_first() else {
        return String::new();
    };
    let html = if mode % 8 == b'<' % 8 {
        String::from_utf8_lossy(data).into_owned()
    } else {
        Grammar {
            data: rest,
            urls: 0,
        }
        .page()
    };
    // Character references that the spec and `html_escape` decode alike; any other `&`
    // becomes `+` (see the module doc).
    const REFERENCES: [&str; 8] = [
        "&amp;", "&quot;", "&#39;", "&lt;", "&gt;", "&#47;", "&#x2F;", "&#115;",
    ];
    let mut out = String::with_capacity(html.len());
    for (i, c) in html.char_indices() {
        if c == '&' && !REFERENCES.iter().any(|r| html[i..].starts_with(r)) {
            out.push('+');
        } else {
            out.push(c);
        }
    }
    out
}

const TAGS: [&str; 44] = [
    "img",
    "IMG",
    "script",
    "Script",
    "style",
    "STYLE",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "NoScript",
    "plaintext",
    "link",
    "LINK",
    "body",
    "table",
    "td",
    "video",
    "audio",
    "source",
    "track",
    "embed",
    "input",
    "object",
    "image",
    "use",
    "feImage",
    "base",
    "frame",
    "svg",
    "math",
    "select",
    "template",
    "p",
    "a",
    "div",
    "scripts",
    "noscriptx",
    "stylex",
    "noframe",
    "titles",
];

const ATTRIBUTES: [&str; 19] = [
    "src",
    "SRC",
    "srcset",
    "href",
    "HREF",
    "xlink:href",
    "rel",
    "Rel",
    "style",
    "STYLE",
    "data",
    "poster",
    "background",
    "imagesrcset",
    "alt",
    "title",
    "class",
    "=",
    "x",
];

const RELS: [&str; 10] = [
    "stylesheet",
    "Stylesheet",
    "icon",
    "preload",
    "apple-touch-icon",
    "canonical",
    "dns-prefetch",
    "alternate icon",
    "&#115;tylesheet",
    "",
];

/// Strings that end (or fail to end) something when they turn up in a value or text.
const TRICKY: [&str; 22] = [
    ">",
    "<",
    "\"",
    "'",
    "/",
    "=",
    " ",
    "</noscript>",
    "</style>",
    "</script>",
    "</title>",
    "</textarea",
    "-->",
    "<!--",
    "--!>",
    "<script>",
    "</NOSCRIPT ",
    "<noscript>",
    "<style>",
    "<plaintext>",
    "]]>",
    "&quot;",
];

const SPACES: [&str; 6] = [" ", "\n", "\t", "\r", "\x0C", "\r\n"];

const COMMENT_STARTS: [&str; 7] = ["<!--", "<!-->", "<!--->", "<!-", "<!", "<!---", "<!-- "];

const COMMENT_ENDS: [&str; 7] = ["-->", "--!>", "--", "->", "--!", "- ->", "---->"];

const PUNCTUATION: [&str; 19] = [
    "<", ">", "-", "!", "/", "=", "\"", "'", " ", "\n", "\r", "\t", "\x0C", "?", "\0", "[", "]",
    "&amp;", "`",
];

const DECLARATIONS: [&str; 7] = [
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "<?",
    "<!doctype x \"a>b\">",
    "<?x ?>",
    "</>",
];

const TEXT: [&str; 6] = ["x", "a < b", "3<4", "<3", "a>b", "é"];

/// Builds a page from bytes: each byte picks a piece, some take the next bytes as choices.
/// Every URL is a new `u<n>`, so that which one is missed shows.
struct Grammar<'a> {
    data: &'a [u8],
    urls: usize,
}

impl Grammar<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        b
    }

    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[usize::from(self.byte()) % from.len()]
    }

    fn url(&mut self) -> String {
        self.urls += 1;
        format!("u{}", self.urls)
    }

    fn css(&mut self) -> String {
        let url = self.url();
        match self.byte() % 5 {
            0 => format!("url({url})"),
            1 => format!("background:url('{url}')"),
            2 => format!("@import \"{url}\";"),
            3 => format!("p{{background:url(\"{url}\")}}"),
            _ => format!("@import '{url}'"),
        }
    }

    fn value(&mut self) -> String {
        match self.byte() % 6 {
            0 | 1 => self.url(),
            2 => self.pick(&RELS).to_string(),
            3 => self.css(),
            4 => self.pick(&TRICKY).to_string(),
            _ => {
                let (a, b) = (self.url(), self.url());
                format!("{a} {b}")
            }
        }
    }

    fn attribute(&mut self) -> String {
        let space = self.pick(&SPACES);
        let name = self.pick(&ATTRIBUTES);
        let how = self.byte();
        let mut out = format!("{space}{name}");
        if how.is_multiple_of(4) {
            return out; // no value
        }
        out.push_str(if how & 4 == 0 { "=" } else { " = " });
        let mut value = self.value();
        if how & 8 != 0 {
            value.push_str(&self.value());
        }
        match (how >> 4) % 4 {
            0 => out.push_str(&value),
            1 => out.push_str(&format!("\"{value}\"")),
            2 => out.push_str(&format!("'{value}'")),
            _ => out.push_str(&format!("\"{value}")), // left open
        }
        out
    }

    fn piece(&mut self) -> String {
        match self.byte() % 20 {
            0..=2 => format!("<{}", self.pick(&TAGS)),
            3..=6 => self.attribute(),
            7 | 8 => ">".to_string(),
            9 => self.pick(&["/>", "/", " />", "/ "]).to_string(),
            10 => {
                let name = self.pick(&TAGS);
                let end = self.pick(&[">", " ", "/", "", "\t>", " x='>'>"]);
                format!("</{name}{end}")
            }
            11 => self.pick(&COMMENT_STARTS).to_string(),
            12 => self.pick(&COMMENT_ENDS).to_string(),
            13 | 14 => self.pick(&PUNCTUATION).to_string(),
            15 => self.css(),
            16 => self.pick(&DECLARATIONS).to_string(),
            17 => {
                let (a, b) = (self.url(), self.url());
                match self.byte() % 6 {
                    0 => format!("<img src={a}>"),
                    1 => format!("<link rel=stylesheet href=\"{a}\">"),
                    2 => format!("<p style=\"background:url({a})\">"),
                    3 => format!("<script src={a}></script>"),
                    4 => format!("<style>@import \"{a}\"</style>"),
                    _ => format!("<link rel=preload imagesrcset=\"{a}\" href=\"{b}\">"),
                }
            }
            18 => self.pick(&TEXT).to_string(),
            _ => {
                let b = self.byte();
                char::from(b).to_string()
            }
        }
    }

    fn page(mut self) -> String {
        let mut html = String::new();
        while !self.data.is_empty() {
            html.push_str(&self.piece());
        }
        html
    }
}
