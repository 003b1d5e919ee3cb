//! Fillable worksheets: a `lopdf` pass after Typst adds AcroForm text fields on the ruled
//! lines and checkboxes on the task items, at the positions Typst's layout reported.
//!
//! Neither Typst nor krilla writes form widgets. Typed text uses Atkinson Hyperlegible,
//! embedded whole (not subset) so every Latin-1 character a client types can be shown.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::pdf::{FieldKind, FieldSpot, RenderedPdf};

const FIELD_FONT: &str = "HearthSans";
const TEXT_SIZE: f64 = 11.0;

/// Adds a form field for every spot in `pdf.fields`; returns the new PDF bytes.
pub fn add_fields(pdf: &RenderedPdf) -> Result<Vec<u8>, String> {
    if pdf.fields.is_empty() {
        return Ok(pdf.bytes.clone());
    }
    let mut doc =
        Document::load_mem(&pdf.bytes).map_err(|e| format!("cannot reopen the PDF: {e}"))?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let font = embed_font(&mut doc);
    let mut fields = Vec::new();
    let mut per_page: Vec<Vec<Object>> = vec![Vec::new(); pages.len()];
    for (n, spot) in pdf.fields.iter().enumerate() {
        let Some(&page) = pages.get(spot.page) else {
            continue;
        };
        let field = field_widget(&mut doc, n, spot, page, pdf.page_height);
        let id = doc.add_object(field);
        fields.push(Object::Reference(id));
        per_page[spot.page].push(Object::Reference(id));
    }
    for (page, annots) in pages.iter().zip(per_page) {
        add_annotations(&mut doc, *page, annots)?;
    }
    let form = dictionary! {
        "Fields" => fields,
        "NeedAppearances" => true,
        "DA" => Object::string_literal(format!("/{FIELD_FONT} {TEXT_SIZE} Tf 0 g")),
        "DR" => dictionary! { "Font" => dictionary! { FIELD_FONT => font } },
    };
    doc.catalog_mut()
        .map_err(|e| e.to_string())?
        .set("AcroForm", form);
    let mut out = Vec::with_capacity(pdf.bytes.len() + 80_000);
    doc.save_to(&mut out)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}

/// The widget of field number `n` (from 0): a text field on a ruled line, or a checkbox.
fn field_widget(
    doc: &mut Document,
    n: usize,
    spot: &FieldSpot,
    page: ObjectId,
    page_height: f64,
) -> Dictionary {
    // PDF user space starts at the bottom left; Typst reports from the top left.
    let (x1, y2) = (spot.x, page_height - spot.y);
    let rect = vec![
        x1.into(),
        (y2 - spot.height).into(),
        (x1 + spot.width).into(),
        y2.into(),
    ];
    let mut field = dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "Rect" => rect,
        "F" => 4,
        "P" => page,
        "TU" => Object::string_literal(spot.tooltip.as_str()),
    };
    match spot.kind {
        FieldKind::Line => {
            field.set("FT", "Tx");
            field.set("T", Object::string_literal(format!("line{}", n + 1)));
            field.set(
                "DA",
                Object::string_literal(format!("/{FIELD_FONT} {TEXT_SIZE} Tf 0 g")),
            );
        }
        FieldKind::Checkbox => {
            field.set("FT", "Btn");
            field.set("T", Object::string_literal(format!("check{}", n + 1)));
            field.set("V", "Off");
            field.set("AS", "Off");
            field.set("MK", dictionary! { "CA" => Object::string_literal("4") });
            field.set("AP", checkbox_appearance(doc, spot.width, spot.height));
        }
    }
    field
}

/// Adds `annots` to the page's own annotations, if it has any.
fn add_annotations(doc: &mut Document, page: ObjectId, annots: Vec<Object>) -> Result<(), String> {
    if annots.is_empty() {
        return Ok(());
    }
    let dict = doc.get_dictionary_mut(page).map_err(|e| e.to_string())?;
    let mut all = match dict.get(b"Annots") {
        Ok(Object::Array(existing)) => existing.clone(),
        _ => Vec::new(),
    };
    all.extend(annots);
    dict.set("Annots", all);
    Ok(())
}

/// "On" draws a filled square inside the box; "Off" draws nothing (the box itself is part
/// of the printed page).
fn checkbox_appearance(doc: &mut Document, width: f64, height: f64) -> Dictionary {
    let inset = width * 0.22;
    let on = format!(
        "0.16 g {inset} {inset} {} {} re f",
        width - 2.0 * inset,
        height - 2.0 * inset
    );
    let bbox = vec![0.into(), 0.into(), width.into(), height.into()];
    let mut stream = |content: String| {
        let dict = dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox.clone() };
        doc.add_object(Stream::new(dict, content.into_bytes()))
    };
    let yes = stream(on);
    let off = stream(String::new());
    dictionary! { "N" => dictionary! { "Yes" => yes, "Off" => off } }
}

/// Embeds Atkinson Hyperlegible Regular as a TrueType font with WinAnsi encoding.
fn embed_font(doc: &mut Document) -> ObjectId {
    let data: &'static [u8] = include_bytes!("../../fonts/AtkinsonHyperlegible-Regular.ttf");
    let face = ttf_parser::Face::parse(data, 0).ok();
    let scale = face
        .as_ref()
        .map_or(1.0, |f| 1000.0 / f64::from(f.units_per_em()));
    let widths: Vec<Object> = (32u8..=255)
        .map(|code| {
            let c = char::from(code);
            let advance = face
                .as_ref()
                .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)));
            Object::Integer((f64::from(advance.unwrap_or(500)) * scale).round() as i64)
        })
        .collect();
    let (ascent, descent, cap, bbox) =
        face.as_ref()
            .map_or((900, -250, 700, [0, -250, 1000, 900]), |face| {
                let b = face.global_bounding_box();
                let s = |v: i16| (f64::from(v) * scale).round() as i64;
                (
                    s(face.ascender()),
                    s(face.descender()),
                    s(face.capital_height().unwrap_or(700)),
                    [s(b.x_min), s(b.y_min), s(b.x_max), s(b.y_max)],
                )
            });
    let file = doc.add_object(Stream::new(
        dictionary! { "Length1" => data.len() as i64 },
        data.to_vec(),
    ));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "AtkinsonHyperlegible-Regular",
        "Flags" => 32,
        "FontBBox" => bbox.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>(),
        "ItalicAngle" => 0,
        "Ascent" => ascent,
        "Descent" => descent,
        "CapHeight" => cap,
        "StemV" => 80,
        "FontFile2" => file,
    });
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => "AtkinsonHyperlegible-Regular",
        "FirstChar" => 32,
        "LastChar" => 255,
        "Widths" => widths,
        "Encoding" => "WinAnsiEncoding",
        "FontDescriptor" => descriptor,
    })
}
