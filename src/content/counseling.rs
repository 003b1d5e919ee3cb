//! Counseling pages: the rules for in-person and online pages (an address and valid hours
//! for an office, licensed states for online work), checked with positions in the file.

use super::hours::{self, Rule};
use super::kinds::{CounselingMeta, CounselingMode, Meta};
use super::links::find_in_front_matter;
use super::{Page, us};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// Validates every counseling page and stores its parsed opening hours.
pub fn validate(pages: &mut [Page], diags: &mut Vec<Diagnostic>) {
    for page in pages.iter_mut() {
        let Meta::Counseling(meta) = &page.meta else {
            continue;
        };
        let (rules, problems) = check(page, meta);
        page.opening_hours = rules;
        diags.extend(problems);
    }
}

fn check(page: &Page, meta: &CounselingMeta) -> (Vec<Rule>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let at = |key: &str, value: &str, d: Diagnostic| page.locate(key, value, d);
    match meta.mode {
        CounselingMode::InPerson => {
            if meta.address.is_none() {
                problems.push(at("mode", "in_person", Diagnostic::error(&page.path, "an in-person page needs an address")
                    .with_help("add:\naddress:\n  street: \"1234 Example Street, Suite 200\"\n  city: Portland\n  region: OR\n  postal_code: \"97201\"")));
            }
            if let Some(address) = &meta.address
                && address.country == "US"
                && us::state_name(&address.region).is_none()
            {
                problems.push(state_error(page, "region", &address.region));
            }
            if let Some(geo) = meta.geo
                && !((-90.0..=90.0).contains(&geo.lat) && (-180.0..=180.0).contains(&geo.lon))
            {
                problems.push(at("geo", "lat", Diagnostic::error(&page.path, format!("geo {}, {} is not a place on Earth", geo.lat, geo.lon))
                    .with_help("lat is between -90 and 90, lon between -180 and 180 (Portland is lat: 45.52, lon: -122.68)")));
            }
        }
        CounselingMode::Online => {
            if meta.licensed_in.is_empty() {
                problems.push(at(
                    "mode",
                    "online",
                    Diagnostic::error(
                        &page.path,
                        "an online page needs the states the clinicians are licensed in",
                    )
                    .with_help("add `licensed_in: [OR, WA]` with two-letter state codes"),
                ));
            }
            for code in &meta.licensed_in {
                if us::state_name(code).is_none() {
                    problems.push(state_error(page, "licensed_in", code));
                }
            }
        }
    }
    let rules = opening_hours(page, meta, &mut problems);
    (rules, problems)
}

/// The page's opening hours, parsed; none (and a problem at the line at fault) when they
/// do not parse.
fn opening_hours(page: &Page, meta: &CounselingMeta, problems: &mut Vec<Diagnostic>) -> Vec<Rule> {
    let Some(spec) = &meta.hours else {
        return Vec::new();
    };
    match hours::parse_lines(spec.lines()) {
        Ok(rules) => rules,
        Err((line, e)) => {
            let text = &spec.lines()[line];
            let d = Diagnostic::error(&page.path, format!("invalid opening hours: {}", e.message))
                .with_help(e.help);
            let source = page.text();
            problems.push(match find_in_front_matter(&source, "hours", text) {
                Some(offset) => d.at_offset(&source, offset + e.offset),
                None => d,
            });
            Vec::new()
        }
    }
}

fn state_error(page: &Page, key: &str, code: &str) -> Diagnostic {
    let help = match did_you_mean(&code.to_uppercase(), us::state_codes()) {
        Some(best) if us::state_name(&code.to_uppercase()).is_some() => {
            format!("write it in capitals: `{best}`")
        }
        Some(best) => format!(
            "did you mean `{best}` ({})? Use two-letter USPS codes such as OR or WA",
            us::state_name(best).unwrap_or(best)
        ),
        None => "use two-letter USPS state codes such as OR or WA".into(),
    };
    page.locate(
        key,
        code,
        Diagnostic::error(&page.path, format!("`{code}` is not a US state code")).with_help(help),
    )
}
