//! Worksheet → PDF with Typst as a library: the only module that knows Typst.
//!
//! The worksheet model is turned into a Typst document in which every piece of user text
//! is a string literal (`"…"`), never markup, so `#`, `$`, `*`, `@`, `<` or Typst code in
//! a worksheet print as themselves. Fonts are the committed Atkinson Hyperlegible files.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Label, Selector};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::content::worksheet::{Block, Inline, Worksheet, plain};

/// Paper a PDF is laid out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    Letter,
    A4,
}

impl Paper {
    fn typst_name(self) -> &'static str {
        match self {
            Paper::Letter => "us-letter",
            Paper::A4 => "a4",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Paper::Letter => "US Letter",
            Paper::A4 => "A4",
        }
    }
}

/// Everything printed on a worksheet PDF besides the worksheet body.
pub struct PdfInput<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// "20 minutes · for couples".
    pub subtitle: Option<&'a str>,
    pub language: &'a str,
    /// The footer's page count in the worksheet's language, with `{current}` and
    /// `{total}` where the numbers go.
    pub page_of: &'a str,
    pub practice: &'a str,
    pub url: &'a str,
    pub paper: Paper,
    pub sheet: &'a Worksheet,
    /// The print copy of each of the worksheet's photos (`Block::Image(n)` is `images[n]`);
    /// `None` for one that could not be made (its own job reports why).
    pub images: &'a [Option<PrintImage>],
}

/// A photo as a worksheet PDF prints it: a resized copy without metadata, never the
/// original file.
#[derive(Debug, Clone)]
pub struct PrintImage {
    pub bytes: Vec<u8>,
    /// `jpg` or `png`: how Typst knows the format.
    pub extension: &'static str,
    /// The hash of the copy's source and recipe, for the PDF cache's key.
    pub key: String,
    pub alt: String,
    pub caption: String,
}

impl PrintImage {
    /// Its name in the Typst world.
    fn path(n: usize, extension: &str) -> String {
        format!("/photo-{n}.{extension}")
    }
}

/// The tallest a photo is printed, so one leaves room for the writing around it.
const PHOTO_MAX_HEIGHT_MM: f64 = 80.0;

/// Where a form field goes: page (from 0) and rectangle in PDF points from the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpot {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub kind: FieldKind,
    /// Tooltip (the prompt or the task text).
    pub tooltip: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Line,
    Checkbox,
}

/// A rendered PDF, with the page size and where fillable fields belong.
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Page height in points (PDF coordinates start at the bottom).
    pub page_height: f64,
    pub fields: Vec<FieldSpot>,
}

const MARGIN_MM: f64 = 18.0;
const LINE_HEIGHT_MM: f64 = 9.0;
const CHECKBOX_MM: f64 = 3.6;
const POINTS_PER_MM: f64 = 72.0 / 25.4;
const FIELD_LABEL: &str = "hearth-field";

/// A hash of everything that decides a worksheet's PDF bytes: the generated Typst source
/// (which holds all of its text and settings) and whether it gets form fields.
pub fn cache_key(input: &PdfInput<'_>, fillable: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    typst_source(input).0.hash(&mut hasher);
    for image in input.images.iter().flatten() {
        image.key.hash(&mut hasher);
    }
    fillable.hash(&mut hasher);
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    hasher.finish()
}

/// Lays out and exports one worksheet.
pub fn render(input: &PdfInput<'_>) -> Result<RenderedPdf, String> {
    let (source, tooltips) = typst_source(input);
    let world = SheetWorld::new(source, input.images);
    let document: PagedDocument = typst::compile(&world).output.map_err(|e| messages(&e))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?;
    let options = PdfOptions {
        standards,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|e| messages(&e))?;
    let page_height = document
        .pages()
        .first()
        .map_or(792.0, |p| p.frame.height().to_pt());
    let fields = field_spots(&document, &tooltips, page_height);
    Ok(RenderedPdf {
        bytes,
        pages: document.pages().len(),
        page_height,
        fields,
    })
}

/// Typst's diagnostics as one line.
fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Finds the `hearth-field` markers Typst placed and turns them into rectangles.
fn field_spots(
    document: &PagedDocument,
    tooltips: &[(FieldKind, String)],
    _page_height: f64,
) -> Vec<FieldSpot> {
    let introspector = document.introspector();
    let label =
        Label::new(typst::utils::PicoStr::intern(FIELD_LABEL)).expect("label name is not empty");
    let page_width = document
        .pages()
        .first()
        .map_or(612.0, |p| p.frame.width().to_pt());
    let margin = MARGIN_MM * POINTS_PER_MM;
    introspector
        .elements()
        .query(&Selector::Label(label))
        .iter()
        .zip(tooltips)
        .filter_map(|(element, (kind, tooltip))| {
            let position = introspector.position(element.location()?)?;
            let (x, y) = (position.point.x.to_pt(), position.point.y.to_pt());
            let (width, height) = match kind {
                FieldKind::Line => (page_width - margin - x, LINE_HEIGHT_MM * POINTS_PER_MM),
                FieldKind::Checkbox => (CHECKBOX_MM * POINTS_PER_MM, CHECKBOX_MM * POINTS_PER_MM),
            };
            Some(FieldSpot {
                page: position.page.get() - 1,
                x,
                y,
                width,
                height,
                kind: *kind,
                tooltip: tooltip.clone(),
            })
        })
        .collect()
}

/// A Typst string literal holding `text` exactly.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Inline content as a Typst expression built only from literals and functions.
fn inline_expr(inlines: &[Inline]) -> String {
    let parts: Vec<String> = inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => literal(t),
            Inline::Code(t) => format!("raw({})", literal(t)),
            Inline::Strong(c) => format!("strong({})", inline_expr(c)),
            Inline::Emph(c) => format!("emph({})", inline_expr(c)),
            Inline::Link { url, children } => {
                format!("link({}, {})", literal(url), inline_expr(children))
            }
        })
        .collect();
    match parts.len() {
        0 => "[]".into(),
        1 => format!("[#{}]", parts[0]),
        _ => format!("({},).join()", parts.join(", ")),
    }
}

/// The Typst document, and the kind and tooltip of each field marker in order.
fn typst_source(input: &PdfInput<'_>) -> (String, Vec<(FieldKind, String)>) {
    let mut doc = TypstDoc {
        source: preamble(input),
        fields: Vec::new(),
    };
    for block in &input.sheet.blocks {
        match block {
            Block::Image(n) => doc.image(*n, input.images),
            block => doc.block(block),
        }
    }
    (doc.source, doc.fields)
}

/// The page setup, the helpers that draw fields, and the title with what follows it.
fn preamble(input: &PdfInput<'_>) -> String {
    let lang = input
        .language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_lowercase();
    let footer = format!("{} · {}", input.practice, input.url);
    let page_of = literal(input.page_of)
        .replace("{current}", "\" + str(counter(page).get().first()) + \"")
        .replace("{total}", "\" + str(counter(page).final().first()) + \"");
    let mut s = format!(
        "#set document(title: {title}, author: {author})\n\
         #set text(font: \"Atkinson Hyperlegible\", size: 11pt, lang: {lang})\n\
         #set page(paper: \"{paper}\", margin: (x: {m}mm, top: {m}mm, bottom: 24mm), footer: context {{\n\
           set text(size: 8pt, fill: luma(70))\n\
           grid(columns: (1fr, auto), {footer}, {page_of})\n\
         }})\n\
         #set par(leading: 0.7em, spacing: 1.1em)\n\
         #show heading: set block(sticky: true, above: 1.4em, below: 0.7em)\n\
         #show heading.where(level: 1): set text(size: 20pt)\n\
         #show heading.where(level: 2): set text(size: 14pt)\n\
         #show link: underline\n\
         #let writeline(tip) = block(width: 100%, height: {lh}mm, above: 0pt, below: 0pt, breakable: false)[#metadata(tip)<{label}>#place(bottom, line(length: 100%, stroke: 0.6pt + luma(110)))]\n\
         #let checkbox(tip, done) = box(width: {cb}mm, height: {cb}mm, baseline: 0.7mm, stroke: 0.8pt + luma(40), radius: 0.4mm, inset: 0.8mm)[#metadata(tip)<{label}>#if done {{ box(width: 100%, height: 100%, fill: luma(40)) }}]\n",
        title = literal(input.title),
        author = literal(input.practice),
        lang = literal(&lang),
        paper = input.paper.typst_name(),
        m = MARGIN_MM,
        footer = literal(&footer),
        lh = LINE_HEIGHT_MM,
        cb = CHECKBOX_MM,
        label = FIELD_LABEL,
    );
    s.push_str(&format!("#heading(level: 1, {})\n", literal(input.title)));
    if let Some(sub) = input.subtitle {
        s.push_str(&format!("#text(fill: luma(70), {})\n\n", literal(sub)));
    }
    if let Some(description) = input.description {
        s.push_str(&format!("#par({})\n\n", literal(description)));
    }
    s
}

/// A Typst document being written, with the field markers placed so far.
struct TypstDoc {
    source: String,
    fields: Vec<(FieldKind, String)>,
}

impl TypstDoc {
    fn block(&mut self, block: &Block) {
        let s = &mut self.source;
        match block {
            Block::Heading { level, text, .. } => {
                s.push_str(&format!(
                    "#heading(level: {}, {})\n",
                    level.clamp(&2, &4),
                    inline_expr(text)
                ));
            }
            Block::Paragraph(text) => s.push_str(&format!("#par({})\n\n", inline_expr(text))),
            Block::Prompt { prompt, lines } => self.prompt(prompt, *lines),
            Block::Steps(items) => {
                s.push_str(&format!("#enum(spacing: 0.9em, {})\n\n", items_expr(items)))
            }
            Block::Bullets(items) => {
                s.push_str(&format!("#list(spacing: 0.9em, {})\n\n", items_expr(items)))
            }
            Block::Checkboxes(items) => self.checkboxes(items),
            // Placed by `image`, which knows the print copies.
            Block::Image(_) => {}
            Block::Quote(paragraphs) => {
                let body: Vec<String> = paragraphs
                    .iter()
                    .map(|p| format!("par({})", inline_expr(p)))
                    .collect();
                s.push_str(&format!(
                    "#quote(block: true, ({},).join())\n\n",
                    body.join(", ")
                ));
            }
        }
    }

    /// A photo, as wide as the text at most and never taller than
    /// [`PHOTO_MAX_HEIGHT_MM`], its title as the caption; its alt text is the PDF's
    /// alternative description (PDF/UA), and a decorative one is marked as an artifact.
    fn image(&mut self, n: usize, images: &[Option<PrintImage>]) {
        let Some(Some(image)) = images.get(n) else {
            return;
        };
        let path = literal(&PrintImage::path(n, image.extension));
        let picture = if image.alt.trim().is_empty() {
            format!(
                "pdf.artifact(image({path}, width: 100%, height: {PHOTO_MAX_HEIGHT_MM}mm, fit: \"contain\"))"
            )
        } else {
            format!(
                "image({path}, alt: {}, width: 100%, height: {PHOTO_MAX_HEIGHT_MM}mm, fit: \"contain\")",
                literal(&image.alt)
            )
        };
        let caption = if image.caption.trim().is_empty() {
            String::new()
        } else {
            format!(", caption: {}", literal(&image.caption))
        };
        self.source
            .push_str(&format!("#figure({picture}, numbering: none{caption})\n\n"));
    }

    /// A prompt kept together with its ruled lines, each line a field named after it.
    fn prompt(&mut self, prompt: &[Inline], lines: usize) {
        let tip = plain(prompt);
        self.source
            .push_str("#block(breakable: false, width: 100%)[\n");
        if !prompt.is_empty() {
            self.source
                .push_str(&format!("#par({})\n", inline_expr(prompt)));
        }
        for n in 1..=lines {
            let tooltip = if lines > 1 {
                format!("{tip} (line {n} of {lines})")
            } else {
                tip.clone()
            };
            self.source
                .push_str(&format!("#writeline({})\n", literal(&tooltip)));
            self.fields.push((FieldKind::Line, tooltip));
        }
        self.source.push_str("]\n\n");
    }

    fn checkboxes(&mut self, items: &[(bool, Vec<Inline>)]) {
        for (done, text) in items {
            let tip = plain(text);
            self.source.push_str(&format!(
                "#block(breakable: false, above: 0.8em, below: 0.8em, grid(columns: (auto, 1fr), column-gutter: 2.5mm, checkbox({}, {}), {}))\n",
                literal(&tip),
                done,
                inline_expr(text)
            ));
            self.fields.push((FieldKind::Checkbox, tip));
        }
        self.source.push('\n');
    }
}

/// List items as the arguments of Typst's `enum` or `list`.
fn items_expr(items: &[Vec<Inline>]) -> String {
    let items: Vec<String> = items.iter().map(|i| inline_expr(i)).collect();
    items.join(", ")
}

/// The fonts every worksheet uses, committed under `fonts/` with their licence.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let files: [&'static [u8]; 4] = [
        include_bytes!("../../fonts/AtkinsonHyperlegible-Regular.ttf"),
        include_bytes!("../../fonts/AtkinsonHyperlegible-Bold.ttf"),
        include_bytes!("../../fonts/AtkinsonHyperlegible-Italic.ttf"),
        include_bytes!("../../fonts/AtkinsonHyperlegible-BoldItalic.ttf"),
    ];
    let fonts: Vec<Font> = files
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// An in-memory Typst world holding one generated source file, the print copies of the
/// worksheet's photos and the fonts.
struct SheetWorld {
    main: Source,
    photos: Vec<(FileId, Bytes)>,
}

fn file_id(path: &str) -> Option<FileId> {
    let path = VirtualPath::new(path).ok()?;
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, path)))
}

impl SheetWorld {
    fn new(text: String, images: &[Option<PrintImage>]) -> SheetWorld {
        let id = file_id("/worksheet.typ").expect("a valid virtual path");
        let photos = images
            .iter()
            .enumerate()
            .filter_map(|(n, image)| {
                let image = image.as_ref()?;
                let id = file_id(&PrintImage::path(n, image.extension))?;
                Some((id, Bytes::new(image.bytes.clone())))
            })
            .collect();
        SheetWorld {
            main: Source::new(id, text),
            photos,
        }
    }
}

impl World for SheetWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        // The photos' print copies are the only files a worksheet loads.
        self.photos
            .iter()
            .find(|(photo, _)| *photo == id)
            .map(|(_, bytes)| bytes.clone())
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_backslashes_and_newlines() {
        assert_eq!(literal("a \"b\" \\ #c\n"), "\"a \\\"b\\\" \\\\ #c\\n\"");
    }

    #[test]
    fn inline_content_is_built_from_literals() {
        let expr = inline_expr(&[
            Inline::Text("#set page(".into()),
            Inline::Strong(vec![Inline::Text("$x$".into())]),
        ]);
        assert_eq!(expr, "(\"#set page(\", strong([#\"$x$\"]),).join()");
    }
}
