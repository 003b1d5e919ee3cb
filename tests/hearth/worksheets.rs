//! Worksheets: one Markdown source → a print page and a real, fillable PDF.
#![cfg(feature = "pdf")]

use std::process::Command;

use crate::support::{Fixture, SITE_TOML};

/// A site with a worksheets section and one worksheet with every element.
fn worksheet_site(front: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[practice]\nname = \"Cedar Practice\"\n"),
    );
    f.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nkind: worksheets\n---\n",
    );
    f.write(
        "content/worksheets/ritual.md",
        &format!(
            "---\ntitle: The \"Not Tonight\" Ritual\ndescription: Say no kindly -- then reconnect.\nduration: 20 minutes\nfor: couples\n{front}---\n\
             Fill this in \"together\" on a calm day.\n\n\
             ## Step one\n\n1. Pick a phrase.\n2. Pick a gesture.\n\n\
             What would you like to hear?\n\n___\n___\n\n\
             - [ ] Hug for twenty seconds\n- [ ] Five minutes face to face\n\n\
             Literal: # $x$ \\*not bold\\* @ref \\<tag> back\\\\slash #set page(width: 1cm)\n\n\
             > A promise is a small \"yes\".\n"
        ),
    );
    f
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for the PDF tests (Debian package poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdfinfo(f: &Fixture, rel: &str) -> String {
    tool("pdfinfo", &[f.path(rel).to_str().expect("utf-8 path")])
}

fn pdftext(f: &Fixture, rel: &str) -> String {
    tool(
        "pdftotext",
        &["-layout", f.path(rel).to_str().expect("utf-8 path"), "-"],
    )
}

#[test]
fn the_pdf_has_the_text_title_paper_tags_and_page_numbers() {
    let f = worksheet_site("");
    f.build_ok();
    let info = pdfinfo(&f, "public/worksheets/ritual.pdf");
    assert!(
        info.contains("Title:           The \u{201c}Not Tonight\u{201d} Ritual"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    let text = pdftext(&f, "public/worksheets/ritual.pdf");
    for expected in [
        "The \u{201c}Not Tonight\u{201d} Ritual",
        "20 minutes · for couples",
        "Say no kindly \u{2013} then reconnect.",
        "Fill this in \u{201c}together\u{201d} on a calm day.",
        "Step one",
        "Pick a phrase.",
        "What would you like to hear?",
        "Hug for twenty seconds",
        "A promise is a small \u{201c}yes\u{201d}.",
        "Cedar Practice · https://test.example/worksheets/ritual/",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn markup_characters_print_literally() {
    let f = worksheet_site("");
    f.build_ok();
    let text = pdftext(&f, "public/worksheets/ritual.pdf");
    assert!(
        text.contains("Literal: # $x$ *not bold* @ref <tag> back\\slash #set page(width: 1cm)"),
        "{text}"
    );
    // The injected `#set page(width: 1cm)` did not change the page.
    assert!(pdfinfo(&f, "public/worksheets/ritual.pdf").contains("612 x 792 pts"));
}

#[test]
fn language_and_form_fields_in_reading_order() {
    let f = worksheet_site("");
    f.build_ok();
    let doc = lopdf::Document::load(f.path("public/worksheets/ritual.pdf")).expect("parse PDF");
    let catalog = doc.catalog().expect("catalog");
    assert_eq!(
        catalog.get(b"Lang").and_then(|l| l.as_str()).expect("Lang"),
        b"en"
    );
    let form = catalog
        .get(b"AcroForm")
        .and_then(|o| doc.dereference(o))
        .expect("AcroForm")
        .1
        .as_dict()
        .expect("dict")
        .clone();
    let fields = form
        .get(b"Fields")
        .and_then(|o| o.as_array())
        .expect("Fields");
    let described: Vec<(String, String, String)> = fields
        .iter()
        .map(|r| {
            let field = doc
                .get_dictionary(r.as_reference().expect("ref"))
                .expect("field");
            let text = |k: &[u8]| {
                String::from_utf8_lossy(field.get(k).and_then(|o| o.as_str()).unwrap_or_default())
                    .into_owned()
            };
            let kind = String::from_utf8_lossy(
                field
                    .get(b"FT")
                    .and_then(|o| o.as_name())
                    .unwrap_or_default(),
            )
            .into_owned();
            (kind, text(b"T"), text(b"TU"))
        })
        .collect();
    assert_eq!(
        described,
        vec![
            (
                "Tx".into(),
                "line1".into(),
                "What would you like to hear? (line 1 of 2)".into()
            ),
            (
                "Tx".into(),
                "line2".into(),
                "What would you like to hear? (line 2 of 2)".into()
            ),
            (
                "Btn".into(),
                "check3".into(),
                "Hug for twenty seconds".into()
            ),
            (
                "Btn".into(),
                "check4".into(),
                "Five minutes face to face".into()
            ),
        ]
    );
}

#[test]
fn not_fillable_means_no_form() {
    let f = worksheet_site("fillable: false\n");
    f.build_ok();
    assert!(pdfinfo(&f, "public/worksheets/ritual.pdf").contains("Form:            none"));
}

#[test]
fn both_papers_make_two_pdfs_linked_with_their_sizes() {
    let f = worksheet_site("paper: both\n");
    f.build_ok();
    assert!(pdfinfo(&f, "public/worksheets/ritual.pdf").contains("(letter)"));
    assert!(pdfinfo(&f, "public/worksheets/ritual-a4.pdf").contains("(A4)"));
    let page = f.html("public/worksheets/ritual/index.html");
    let links = page.texts(".worksheet-actions a");
    assert_eq!(links.len(), 2);
    assert!(
        links[0].starts_with("Download PDF (US Letter, ") && links[0].ends_with("KB, 1 page)"),
        "{links:?}"
    );
    assert!(links[1].starts_with("Download PDF (A4, "), "{links:?}");
    assert_eq!(
        page.attrs(".worksheet-actions a", "href"),
        vec!["/worksheets/ritual.pdf", "/worksheets/ritual-a4.pdf"]
    );
    let index = f.html("public/worksheets/index.html");
    assert!(
        index.text(".card-meta").contains("PDF, US Letter"),
        "{}",
        index.text(".card-meta")
    );
}

#[test]
fn the_site_default_paper_applies() {
    let f = worksheet_site("");
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[worksheets]\npaper = \"a4\"\n"),
    );
    f.build_ok();
    assert!(pdfinfo(&f, "public/worksheets/ritual.pdf").contains("(A4)"));
}

#[test]
fn the_web_page_has_prompts_with_lines_and_labelled_checkboxes() {
    let f = worksheet_site("");
    f.build_ok();
    let page = f.html("public/worksheets/ritual/index.html");
    assert_eq!(page.text(".byline"), "20 minutes · for couples");
    assert_eq!(page.text(".prompt p"), "What would you like to hear?");
    assert_eq!(page.select(".prompt .write-lines .write-line").len(), 2);
    assert_eq!(
        page.texts(".checklist label"),
        vec!["Hug for twenty seconds", "Five minutes face to face"]
    );
    for (input, label) in page
        .attrs(".checklist input[type=checkbox]", "id")
        .iter()
        .zip(page.attrs(".checklist label", "for"))
    {
        assert_eq!(input, &label);
    }
    assert_eq!(
        page.texts(".worksheet-body ol.steps li"),
        vec!["Pick a phrase.", "Pick a gesture."]
    );
    assert_eq!(
        page.text(".print-footer"),
        "Cedar Practice · https://test.example/worksheets/ritual/"
    );
    assert_eq!(page.select("button.print-button").len(), 1);
    assert_eq!(page.attr("script[src]", "src"), "/print.js");
}

#[test]
fn unsupported_constructs_are_errors_with_positions() {
    let f = worksheet_site("");
    f.write("content/worksheets/bad.md", "---\ntitle: Bad\n---\nIntro.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>raw</div>\n\n- ![A tree](x.png)\n");
    f.build().fails_with(&[
        "content/worksheets/bad.md:6:1",
        "tables do not fit a printed worksheet",
        "content/worksheets/bad.md:10:1",
        "raw HTML cannot be printed",
        "content/worksheets/bad.md:12:3",
        "a photo on a worksheet goes on a line of its own",
    ]);
}

#[test]
fn an_unchanged_worksheet_is_not_typeset_again() {
    use std::sync::atomic::Ordering;
    let f = worksheet_site("paper: both\n");
    let cache = std::sync::Arc::new(hearth::internals::render::worksheets::PdfCache::default());
    let options = hearth::BuildOptions {
        root: f.root().to_path_buf(),
        pdf_cache: Some(cache.clone()),
        ..Default::default()
    };
    let first = hearth::render_in_memory(&options).expect("build");
    assert_eq!(cache.typeset.load(Ordering::Relaxed), 2, "letter and A4");
    f.write(
        "content/worksheets/other.md",
        "---\ntitle: Other\n---\n- [ ] One\n",
    );
    let second = hearth::render_in_memory(&options).expect("build");
    assert_eq!(
        cache.typeset.load(Ordering::Relaxed),
        3,
        "only the new worksheet was typeset"
    );
    let pdf = |site: &hearth::RenderedSite| {
        site.outputs
            .iter()
            .find(|o| o.path.ends_with("worksheets/ritual.pdf"))
            .map(|o| format!("{:?}", o.body))
            .expect("pdf")
    };
    assert_eq!(pdf(&first), pdf(&second), "the cached PDF is the same file");
    f.write(
        "content/worksheets/ritual.md",
        &f.read("content/worksheets/ritual.md")
            .replace("Pick a phrase.", "Pick a new phrase."),
    );
    hearth::render_in_memory(&options).expect("build");
    assert_eq!(
        cache.typeset.load(Ordering::Relaxed),
        5,
        "an edited worksheet is typeset again, both papers"
    );
}

#[test]
fn a_bad_link_in_a_worksheet_is_one_error() {
    let f = worksheet_site("");
    // A near miss: a second link table would report it again with a different hint.
    f.write(
        "content/worksheets/plan.md",
        "---\ntitle: Plan\n---\nIntro.\n\nRead [the guide](@/worksheets/ritul.md) first.\n",
    );
    let run = f.build();
    run.fails_with(&[
        "content/worksheets/plan.md:6:6",
        "link to `@/worksheets/ritul.md`: no such page",
        "did you mean `@/worksheets/ritual.md`?",
        "1 error found",
    ]);
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "one diagnostic:\n{}",
        run.stderr
    );
}

#[test]
fn links_in_a_worksheet_reach_its_page_and_its_pdf() {
    let f = worksheet_site("");
    f.write(
        "content/worksheets/plan.md",
        "---\ntitle: Plan\n---\nFirst read [the ritual](@/worksheets/ritual.md#step-one).\n",
    );
    f.build_ok();
    let page = f.html("public/worksheets/plan/index.html");
    assert_eq!(
        page.attrs(".worksheet-body a", "href"),
        vec!["/worksheets/ritual/#step-one"]
    );
    let pdf = std::fs::read(f.path("public/worksheets/plan.pdf")).expect("pdf");
    let pdf = String::from_utf8_lossy(&pdf);
    assert!(
        pdf.contains("/worksheets/ritual/#step-one"),
        "the PDF's link has the resolved URL"
    );
}

#[test]
fn a_spanish_worksheet_is_a_spanish_pdf() {
    let f = worksheet_site("");
    f.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[languages.es]\nname = \"Español\"\n\n[practice]\nname = \"Cedar Practice\"\n"
        ),
    );
    f.write(
        "content/worksheets/ritual.es.md",
        "---\ntitle: El ritual del «hoy no»\nduration: 20 minutos\nfor: couples\n---\n\
         Complétenlo juntos en un día tranquilo.\n\n¿Qué le gustaría oír?\n\n___\n",
    );
    f.build_ok();
    let pdf = "public/es/worksheets/ritual.pdf";
    let doc = lopdf::Document::load(f.path(pdf)).expect("parse PDF");
    let catalog = doc.catalog().expect("catalog");
    assert_eq!(
        catalog.get(b"Lang").and_then(|l| l.as_str()).expect("Lang"),
        b"es"
    );
    let text = pdftext(&f, pdf);
    for expected in [
        "20 minutos · para parejas",
        "¿Qué le gustaría oír?",
        "Cedar Practice · https://test.example/es/worksheets/ritual/",
        "Página 1 de 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The English one stays English.
    assert!(pdftext(&f, "public/worksheets/ritual.pdf").contains("Page 1 of 1"));
}
