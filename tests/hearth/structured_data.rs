//! Every JSON-LD block of the sample site and of a fresh starter site, checked against the
//! schema.org vocabulary pinned in tests/data (written by scripts/schema-vocab.py).
//!
//! The rules, in the vocabulary's own terms:
//! - every node is an object with a known, not superseded `@type` (nested nodes too);
//! - every property is a schema.org property, not superseded, whose domainIncludes holds
//!   one of the node's types or a parent of one;
//! - every value fits one of the property's rangeIncludes: a node whose type is a range
//!   type or a subtype of one; a JSON string for Text (and its subtypes), a string for URL
//!   only when it is an absolute http(s) URL (plain text where a URL is expected is
//!   rejected), ISO 8601 strings for Date (`2021`, `2021-05`, `2021-05-01`), DateTime
//!   (`2021-05-01T09:00`, seconds and zone optional) and Time (`09:00`, up to `24:00`), a
//!   JSON number or numeric string for Number and Float (whole for Integer), a JSON boolean
//!   for Boolean; a schema.org IRI such as `https://schema.org/Monday` wherever the range
//!   takes the enumeration it is a member of;
//! - null and arrays inside arrays are never values.
//!
//! Terms of schema.org's pending section are accepted (they are part of the release);
//! superseded ones are reported. A text value where a node is expected, which schema.org
//! tolerates, is reported: hearth always has the type at hand.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::support::{Fixture, Page};

/// The pinned vocabulary: the types with their parents, the properties with their domains
/// and ranges, the enumeration members with their enumerations, and what superseded what.
#[derive(serde::Deserialize)]
struct Vocabulary {
    types: HashMap<String, Vec<String>>,
    members: HashMap<String, Vec<String>>,
    properties: HashMap<String, Property>,
    superseded: HashMap<String, String>,
}

#[derive(serde::Deserialize)]
struct Property {
    domains: Vec<String>,
    ranges: Vec<String>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        serde_json::from_str(include_str!("../data/schemaorg-vocab.json"))
            .expect("tests/data/schemaorg-vocab.json is a vocabulary")
    })
}

impl Vocabulary {
    /// Whether `ty` is `ancestor` or one of its subtypes, through any line of parents.
    fn is_a(&self, ty: &str, ancestor: &str) -> bool {
        let mut seen = HashSet::new();
        let mut todo = vec![ty];
        while let Some(t) = todo.pop() {
            if t == ancestor {
                return true;
            }
            if seen.insert(t) {
                todo.extend(self.types.get(t).into_iter().flatten().map(String::as_str));
            }
        }
        false
    }

    fn fits_any(&self, ty: &str, wanted: &[String]) -> bool {
        wanted.iter().any(|w| self.is_a(ty, w))
    }
}

/// One thing wrong in a block: where in the JSON, and what.
#[derive(Debug)]
struct Problem {
    path: String,
    message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(top)"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// Every problem of one JSON-LD block: a node, or a `@graph` of nodes.
fn check_block(block: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(top) = block.as_object() else {
        problems.push(problem("", "a JSON-LD block must be an object"));
        return problems;
    };
    match top.get("@context").and_then(Value::as_str) {
        Some("https://schema.org" | "https://schema.org/" | "http://schema.org") => {}
        _ => problems.push(problem("", "@context must be https://schema.org")),
    }
    match top.get("@graph") {
        Some(Value::Array(nodes)) => {
            for (key, _) in top
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "@context" | "@graph"))
            {
                problems.push(problem("", &format!("`{key}` beside @graph")));
            }
            for (i, node) in nodes.iter().enumerate() {
                let path = format!("@graph[{i}]");
                match node.as_object() {
                    Some(node) => check_node(node, &path, &mut problems),
                    None => problems.push(problem(&path, "a node must be an object")),
                }
            }
        }
        Some(_) => problems.push(problem("@graph", "@graph must be an array of nodes")),
        None => check_node(top, "", &mut problems),
    }
    problems
}

fn check_node(node: &Map<String, Value>, path: &str, problems: &mut Vec<Problem>) {
    let vocab = vocabulary();
    let types = node_types(node);
    if types.is_empty() {
        problems.push(problem(path, "no @type"));
    }
    for ty in &types {
        if !vocab.types.contains_key(*ty) {
            problems.push(problem(path, &format!("unknown type `{ty}`")));
        } else if let Some(newer) = vocab.superseded.get(*ty) {
            problems.push(problem(
                path,
                &format!("type `{ty}` is superseded by `{newer}`"),
            ));
        }
    }
    let type_list = types.join(", ");
    for (key, value) in node {
        let here = join(path, key);
        match key.as_str() {
            "@type" => continue,
            "@context" if path.is_empty() => continue,
            "@id" => {
                if !value.as_str().is_some_and(is_absolute_url) {
                    problems.push(problem(&here, "@id must be an absolute URL"));
                }
                continue;
            }
            k if k.starts_with('@') => {
                problems.push(problem(&here, &format!("`{k}` is not allowed here")));
                continue;
            }
            _ => {}
        }
        let Some(property) = vocab.properties.get(key) else {
            problems.push(problem(
                &here,
                &format!("`{key}` is not a schema.org property"),
            ));
            continue;
        };
        if let Some(newer) = vocab.superseded.get(key) {
            problems.push(problem(
                &here,
                &format!("`{key}` is superseded by `{newer}`"),
            ));
        }
        // A node without a type was reported above; its properties cannot be judged.
        if !types.is_empty() && !types.iter().any(|t| vocab.fits_any(t, &property.domains)) {
            problems.push(problem(
                &here,
                &format!(
                    "`{key}` is not a property of {type_list}; schema.org puts it on {}",
                    property.domains.join(", ")
                ),
            ));
        }
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_value(item, key, property, &format!("{here}[{i}]"), problems);
                }
            }
            _ => check_value(value, key, property, &here, problems),
        }
    }
}

fn check_value(
    value: &Value,
    key: &str,
    property: &Property,
    path: &str,
    problems: &mut Vec<Problem>,
) {
    let vocab = vocabulary();
    let ranges = &property.ranges;
    let fits = match value {
        Value::Object(node) => {
            check_node(node, path, problems);
            let types = node_types(node);
            // A node without a type was reported above; its range cannot be judged.
            types.is_empty() || types.iter().any(|t| vocab.fits_any(t, ranges))
        }
        Value::String(text) => ranges.iter().any(|r| text_fits(text, r)),
        Value::Number(n) => ranges.iter().any(|r| match r.as_str() {
            "Integer" => n.is_i64() || n.is_u64(),
            r => vocab.is_a(r, "Number"),
        }),
        Value::Bool(_) => ranges.iter().any(|r| r == "Boolean"),
        Value::Null => {
            problems.push(problem(path, &format!("`{key}` is null")));
            return;
        }
        Value::Array(_) => {
            problems.push(problem(
                path,
                &format!("`{key}` has an array inside an array"),
            ));
            return;
        }
    };
    if !fits {
        let given = match value {
            Value::Object(node) => format!("a {}", node_types(node).join(", ")),
            Value::String(s) => format!("the text {s:?}"),
            other => format!("the value {other}"),
        };
        problems.push(problem(
            path,
            &format!("`{key}` expects {}, not {given}", ranges.join(" or ")),
        ));
    }
}

/// Whether a JSON string is a value of the range type `range`.
fn text_fits(text: &str, range: &str) -> bool {
    let vocab = vocabulary();
    match range {
        "URL" => return is_absolute_url(text),
        "Date" => return is_date(text),
        "DateTime" => return is_date_time(text),
        "Time" => return is_time(text),
        "Integer" => return text.parse::<i64>().is_ok(),
        "Number" | "Float" => return text.parse::<f64>().is_ok_and(f64::is_finite),
        _ => {}
    }
    if vocab.is_a(range, "Text") {
        return true;
    }
    // An IRI naming an enumeration member (`https://schema.org/Monday`) stands for it.
    let member = text
        .strip_prefix("https://schema.org/")
        .or_else(|| text.strip_prefix("http://schema.org/"));
    member
        .and_then(|m| vocab.members.get(m))
        .is_some_and(|enums| enums.iter().any(|e| vocab.is_a(e, range)))
}

fn node_types(node: &Map<String, Value>) -> Vec<&str> {
    match node.get("@type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_absolute_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !text.chars().any(char::is_whitespace)
}

fn digits(text: &str, len: usize) -> Option<u32> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `2021`, `2021-05` or `2021-05-01`: ISO 8601 dates, to the precision known.
fn is_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let year = parts.next().and_then(|y| digits(y, 4));
    let month = parts.next().map(|m| digits(m, 2));
    let day = parts.next().map(|d| digits(d, 2));
    year.is_some()
        && parts.next().is_none()
        && month.is_none_or(|m| m.is_some_and(|m| (1..=12).contains(&m)))
        && day.is_none_or(|d| month.is_some() && d.is_some_and(|d| (1..=31).contains(&d)))
}

/// `hh:mm` or `hh:mm:ss`, with an optional zone (`Z`, `+02:00`); `24:00` ends a day.
fn is_time(text: &str) -> bool {
    let clock = text
        .strip_suffix('Z')
        .or_else(|| {
            let cut = text.len().checked_sub(6)?;
            let zone = text.get(cut..)?;
            (zone.starts_with(['+', '-']) && is_time(&zone[1..])).then(|| &text[..cut])
        })
        .unwrap_or(text);
    let clock = clock.split_once('.').map_or(clock, |(whole, _)| whole);
    let parts: Vec<Option<u32>> = clock.split(':').map(|p| digits(p, 2)).collect();
    match parts.as_slice() {
        [Some(h), Some(m)] => (*h < 24 && *m < 60) || (*h == 24 && *m == 0),
        [Some(h), Some(m), Some(s)] => {
            (*h < 24 && *m < 60 && *s < 60) || (*h == 24 && *m == 0 && *s == 0)
        }
        _ => false,
    }
}

/// A full date, `T`, and a time: `2021-05-01T09:00:00Z`.
fn is_date_time(text: &str) -> bool {
    text.split_once('T')
        .is_some_and(|(date, time)| date.len() == 10 && is_date(date) && is_time(time))
}

fn problem(path: &str, message: &str) -> Problem {
    Problem {
        path: path.to_string(),
        message: message.to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Every JSON-LD block of every page under `output`, with the page's path.
fn blocks_of(output: &Path) -> Vec<(String, Value)> {
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.expect("walk the output folder");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(output)
            .expect("under the output folder")
            .display()
            .to_string();
        let html = std::fs::read_to_string(entry.path()).expect("read a page");
        let page = Page(scraper::Html::parse_document(&html));
        blocks.extend(page.json_ld().into_iter().map(|b| (rel.clone(), b)));
    }
    blocks
}

/// Checks every block of a built site; fails with each problem's page, JSON path and
/// message, and fails if the site has no JSON-LD at all (the check must not pass on
/// nothing). Gives the `@type`s of the top-level nodes seen.
fn assert_valid_site(name: &str, output: &Path) -> HashSet<String> {
    let blocks = blocks_of(output);
    assert!(!blocks.is_empty(), "{name}: no JSON-LD block in any page");
    let mut report = Vec::new();
    let mut seen = HashSet::new();
    for (page, block) in &blocks {
        let nodes = match block.get("@graph") {
            Some(Value::Array(nodes)) => nodes.iter().collect(),
            _ => vec![block],
        };
        seen.extend(
            nodes
                .iter()
                .filter_map(|n| n["@type"].as_str())
                .map(String::from),
        );
        report.extend(check_block(block).iter().map(|p| format!("{page}: {p}")));
    }
    assert!(
        report.is_empty(),
        "{name}: {} problem(s) in {} JSON-LD blocks:\n{}",
        report.len(),
        blocks.len(),
        report.join("\n")
    );
    seen
}

#[test]
fn sample_site_structured_data_fits_schema_org() {
    // The repository root is the sample site; it is built into a temp folder so the test
    // writes nothing beside the sources.
    let f = Fixture::new();
    let public = f.path("sample-public");
    let run = f.run(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        public.to_str().expect("a UTF-8 temp path"),
    ]);
    assert_eq!(run.code, 0, "sample site build failed:\n{}", run.stderr);
    let seen = assert_valid_site("sample site", &public);
    // Each kind of block the sample site is there to show must have been checked.
    for ty in ["Article", "Book", "MedicalClinic"] {
        assert!(
            seen.contains(ty),
            "sample site: no {ty} block; saw {seen:?}"
        );
    }
}

#[test]
fn starter_site_structured_data_fits_schema_org() {
    let f = Fixture::new();
    let init = f.run(&["init", "starter"]);
    assert_eq!(init.code, 0, "init failed:\n{}", init.stderr);
    let build = f.run(&["build", "--root", "starter"]);
    assert_eq!(build.code, 0, "starter build failed:\n{}", build.stderr);
    assert_valid_site("starter site", &f.path("starter/public"));
}

/// The problems of one block as text, sorted: the order of keys in a `Value` depends on
/// serde_json's features.
fn messages(block: Value) -> Vec<String> {
    let mut found: Vec<String> = check_block(&block)
        .iter()
        .map(ToString::to_string)
        .collect();
    found.sort();
    found
}

#[test]
fn the_check_rejects_a_property_off_its_type() {
    let found = messages(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "Repair after a fight",
        "lastReviewed": "2024-05-01",
    }));
    assert_eq!(
        found,
        [
            "lastReviewed: `lastReviewed` is not a property of Article; schema.org puts it on WebPage"
        ]
    );
}

#[test]
fn the_check_rejects_a_value_outside_the_range() {
    let found = messages(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "Dr. A",
        "hasCredential": [{
            "@type": "EducationalOccupationalCredential",
            "recognizedBy": { "@type": "State", "name": "Oregon" },
        }],
    }));
    assert_eq!(
        found,
        ["hasCredential[0].recognizedBy: `recognizedBy` expects Organization, not a State"]
    );
}

#[test]
fn the_check_rejects_untyped_nodes_unknown_terms_and_bad_literals() {
    let found = messages(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Book",
        "author": { "name": "No type" },
        "isbn": 9781982165314_u64,
        "datePublished": "May 2021",
        "url": "/books/come-as-you-are/",
        "colour": "teal",
        "image": null,
    }));
    assert_eq!(
        found,
        [
            "author: no @type",
            "colour: `colour` is not a schema.org property",
            "datePublished: `datePublished` expects Date or DateTime, not the text \"May 2021\"",
            "image: `image` is null",
            "isbn: `isbn` expects Text, not the value 9781982165314",
            "url: `url` expects URL, not the text \"/books/come-as-you-are/\"",
        ]
    );
}

#[test]
fn the_check_accepts_enumeration_iris_dates_and_times() {
    let found = messages(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "medicalSpecialty": "https://schema.org/Psychiatric",
        "openingHoursSpecification": [{
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Monday"],
            "opens": "09:00",
            "closes": "24:00",
            "validFrom": "2024-01-01",
        }],
        "foundingDate": "2019",
        "geo": { "@type": "GeoCoordinates", "latitude": 45.5, "longitude": "-122.6" },
    }));
    assert!(found.is_empty(), "{found:#?}");
    assert!(
        !messages(serde_json::json!({
            "@context": "https://schema.org",
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Psychiatric",
            "opens": "25:00",
        }))
        .is_empty()
    );
}

#[test]
fn the_check_reports_superseded_terms() {
    let found = messages(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "employees": [{ "@type": "Person", "name": "Dr. A" }],
    }));
    assert_eq!(
        found,
        ["employees: `employees` is superseded by `employee`"]
    );
}
