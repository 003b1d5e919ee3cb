//! The editor's fields for each kind of page, in the order `hearth new` writes front
//! matter: one table next to the content model. A key added to a kind's front matter
//! without a row here fails `every_front_matter_key_has_a_field`.

use crate::content::Kind;

/// How a value is edited (each becomes one Decap widget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Widget {
    /// One line of text.
    Line,
    /// A few lines of plain text.
    Text,
    /// A date picker writing `2026-03-14`.
    Date,
    Bool,
    Integer,
    Number,
    /// A list of short texts (comma-separated in the form).
    Texts,
    /// Topics: a list of texts, with the site's existing topics suggested.
    Topics,
    /// One of the given values.
    Choice(&'static [&'static str]),
    /// Two-letter codes of US states, chosen from a list.
    States,
    /// Slugs of pages of another kind, chosen from them.
    Pages(Kind),
    /// An image file beside the page (or in `static/`).
    Image,
    /// A group of fields.
    Group(&'static [Field]),
}

/// One front-matter key in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub widget: Widget,
    pub required: bool,
    /// Shown under the field; empty for none.
    pub hint: &'static str,
    /// The same in every language: a translation takes it from the original (the date,
    /// the photo, a book's ISBN) rather than having its own.
    pub shared: bool,
}

const fn field(key: &'static str, label: &'static str, widget: Widget) -> Field {
    Field {
        key,
        label,
        widget,
        required: false,
        hint: "",
        shared: false,
    }
}

const fn hinted(
    key: &'static str,
    label: &'static str,
    widget: Widget,
    hint: &'static str,
) -> Field {
    Field {
        key,
        label,
        widget,
        required: false,
        hint,
        shared: false,
    }
}

const fn required(mut f: Field) -> Field {
    f.required = true;
    f
}

const fn shared(mut f: Field) -> Field {
    f.shared = true;
    f
}

/// Keys every page has, first (as `hearth new` writes them).
const HEAD: [Field; 6] = [
    required(field("title", "Title", Widget::Line)),
    hinted(
        "description",
        "Description",
        Widget::Text,
        "One or two sentences for search engines and link previews.",
    ),
    shared(field("date", "Date", Widget::Date)),
    field("updated", "Updated", Widget::Date),
    hinted(
        "reviewed",
        "Last clinical review",
        Widget::Date,
        "Shown on the page as \"Last reviewed\".",
    ),
    hinted(
        "draft",
        "Draft",
        Widget::Bool,
        "A draft is in the preview but not in the published site.",
    ),
];

/// Keys every page has that few pages need, last.
const TAIL: [Field; 4] = [
    hinted(
        "slug",
        "Address (slug)",
        Widget::Line,
        "Leave empty to use the file name.",
    ),
    hinted(
        "aliases",
        "Old addresses",
        Widget::Texts,
        "Addresses that should lead here, like /old-name/.",
    ),
    shared(hinted(
        "weight",
        "Order",
        Widget::Integer,
        "Lower numbers come first in sections ordered by weight.",
    )),
    shared(hinted(
        "template",
        "Template",
        Widget::Line,
        "Leave empty for the usual one.",
    )),
];

/// Keys deliberately left to the text file, with the reason (read by the test that keeps
/// this table complete).
#[cfg(test)]
const NOT_IN_EDITOR: [(&str, &str); 1] = [(
    "extra",
    "free-form data for custom templates has no fixed shape to make a form of",
)];

const ARTICLE: &[Field] = &[
    shared(field("author", "Author", Widget::Line)),
    field("topics", "Topics", Widget::Topics),
    shared(hinted(
        "books",
        "Recommended books",
        Widget::Pages(Kind::Books),
        "Books from your Books section.",
    )),
    shared(hinted(
        "worksheets",
        "Worksheets",
        Widget::Pages(Kind::Worksheets),
        "Worksheets from your Worksheets section.",
    )),
    shared(hinted(
        "image",
        "Image",
        Widget::Image,
        "A photo or drawing shown with the article.",
    )),
    IMAGE_ALT,
    hinted(
        "image_credit",
        "Image credit",
        Widget::Line,
        "Shown under the photo, e.g. Photo by Sam Lee on Unsplash; links are allowed.",
    ),
];

const BOOK: &[Field] = &[
    shared(required(field("author", "Author", Widget::Line))),
    shared(field("year", "Year", Widget::Integer)),
    shared(hinted(
        "isbn",
        "ISBN",
        Widget::Line,
        "From the copyright page; it is checked.",
    )),
    shared(field("publisher", "Publisher", Widget::Line)),
    field("topics", "Topics", Widget::Topics),
    shared(field("cover", "Cover", Widget::Image)),
    hinted(
        "cover_alt",
        "Cover description (alt text)",
        Widget::Text,
        "Required with a cover: what the cover shows.",
    ),
    hinted(
        "audience",
        "Who it is for",
        Widget::Line,
        "For example: couples, parents, anyone grieving.",
    ),
];

const WORKSHEET: &[Field] = &[
    hinted(
        "duration",
        "How long it takes",
        Widget::Line,
        "For example: 15 minutes.",
    ),
    shared(field(
        "for",
        "For",
        Widget::Choice(&["individuals", "couples"]),
    )),
    field("topics", "Topics", Widget::Topics),
    shared(field(
        "paper",
        "Paper",
        Widget::Choice(&["letter", "a4", "both"]),
    )),
    shared(hinted(
        "fillable",
        "Fillable PDF",
        Widget::Bool,
        "Lets clients type into the PDF.",
    )),
];

const ADDRESS: &[Field] = &[
    required(field("street", "Street", Widget::Line)),
    required(field("city", "City", Widget::Line)),
    required(hinted(
        "region",
        "State",
        Widget::Line,
        "Two-letter code, like OR.",
    )),
    required(field("postal_code", "ZIP code", Widget::Line)),
    field("country", "Country", Widget::Line),
];

const GEO: &[Field] = &[
    required(field("lat", "Latitude", Widget::Number)),
    required(field("lon", "Longitude", Widget::Number)),
];

const ACCESS: &[Field] = &[
    field("parking", "Parking", Widget::Text),
    field("transit", "Public transport", Widget::Text),
    field("entrance", "Entrance", Widget::Text),
];

const COUNSELING: &[Field] = &[
    shared(required(field(
        "mode",
        "Where",
        Widget::Choice(&["in_person", "online"]),
    ))),
    shared(hinted(
        "licensed_in",
        "Licensed in",
        Widget::States,
        "Online: the states your clinicians are licensed in.",
    )),
    shared(hinted(
        "platform",
        "Video platform",
        Widget::Line,
        "Online: the service sessions use.",
    )),
    hinted(
        "requirements",
        "What clients need",
        Widget::Texts,
        "Online: for example a quiet room and a laptop.",
    ),
    shared(hinted(
        "address",
        "Address",
        Widget::Group(ADDRESS),
        "In person: where the office is.",
    )),
    shared(field("geo", "Map position", Widget::Group(GEO))),
    shared(hinted(
        "hours",
        "Opening hours",
        Widget::Texts,
        "One rule each, like Mo-Th 09:00-18:00.",
    )),
    field("areas_served", "Areas served", Widget::Texts),
    field("access", "Getting there", Widget::Group(ACCESS)),
    field("topics", "Topics", Widget::Topics),
];

/// The hero photo's alt text, the same for every kind that has a hero.
const IMAGE_ALT: Field = hinted(
    "image_alt",
    "Image description (alt text)",
    Widget::Text,
    "Required with an image: what the image shows, for readers who cannot see it.",
);

const PAGE: &[Field] = &[
    field("topics", "Topics", Widget::Topics),
    shared(hinted(
        "image",
        "Image",
        Widget::Image,
        "A photo shown under the title.",
    )),
    IMAGE_ALT,
    hinted(
        "image_credit",
        "Image credit",
        Widget::Line,
        "Shown under the photo; links are allowed.",
    ),
];

/// The kind's own keys, between [`HEAD`] and [`TAIL`].
fn own(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Articles => ARTICLE,
        Kind::Books => BOOK,
        Kind::Worksheets => WORKSHEET,
        Kind::Counseling => COUNSELING,
        Kind::Pages => PAGE,
    }
}

/// Every field of a page of `kind`, in the order front matter is written.
pub(crate) fn fields_of(kind: Kind) -> impl Iterator<Item = &'static Field> {
    HEAD.iter().chain(own(kind)).chain(TAIL.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::kinds::{
        ArticleFront, BookFront, CounselingFront, PageFront, WorksheetFront,
    };

    /// The keys a derived `Deserialize` struct accepts, as serde hands them to a
    /// deserializer; nothing is parsed.
    fn keys_of<T: serde::de::DeserializeOwned>() -> Vec<&'static str> {
        struct Names(Vec<&'static str>);
        #[derive(Debug)]
        struct Stop;
        impl std::fmt::Display for Stop {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("stop")
            }
        }
        impl std::error::Error for Stop {}
        impl serde::de::Error for Stop {
            fn custom<M: std::fmt::Display>(_: M) -> Self {
                Stop
            }
        }
        impl<'de> serde::Deserializer<'de> for &mut Names {
            type Error = Stop;
            fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
                Err(Stop)
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Stop> {
                self.0.extend_from_slice(fields);
                Err(Stop)
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                enum identifier ignored_any
            }
        }
        let mut names = Names(Vec::new());
        let _ = T::deserialize(&mut names);
        names.0
    }

    fn check<T: serde::de::DeserializeOwned>(kind: Kind) {
        let keys = keys_of::<T>();
        assert!(keys.contains(&"title"), "{kind:?}: no keys read");
        let edited: Vec<&str> = fields_of(kind).map(|f| f.key).collect();
        let skipped: Vec<&str> = NOT_IN_EDITOR.iter().map(|(k, _)| *k).collect();
        for key in &keys {
            assert!(
                edited.contains(key) || skipped.contains(key),
                "`{key}` of {kind:?} has no field in src/edit/fields.rs: add a row (or to NOT_IN_EDITOR, with why)"
            );
        }
        for key in edited {
            assert!(
                keys.contains(&key),
                "the editor field `{key}` is not a key of {kind:?}"
            );
        }
    }

    #[test]
    fn every_front_matter_key_has_a_field() {
        check::<ArticleFront>(Kind::Articles);
        check::<BookFront>(Kind::Books);
        check::<WorksheetFront>(Kind::Worksheets);
        check::<CounselingFront>(Kind::Counseling);
        check::<PageFront>(Kind::Pages);
    }

    #[test]
    fn no_key_is_listed_twice() {
        for kind in Kind::ALL {
            let mut keys: Vec<&str> = fields_of(kind).map(|f| f.key).collect();
            let all = keys.len();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), all, "{kind:?}");
        }
    }
}
