//! Structured data (schema.org JSON-LD) built as data, never by gluing strings: articles,
//! books, and the practice as a local health business with its locations and online work.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::covers::CoverSet;
use crate::config::Clinician;
use crate::content::books::Isbn;
use crate::content::hours::{Day, Rule, Time};
use crate::content::kinds::{BookMeta, CounselingMeta, CounselingMode, Meta};
use crate::content::{Kind, Page, Site, us};

/// An article's JSON-LD; `image` is the absolute URL of its hero photo.
pub fn article(site: &Site, page: &Page, author: Option<&str>, image: Option<&str>) -> Value {
    let url = format!("{}{}", site.config.base(), page.url);
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.common.title,
        "url": url,
        "inLanguage": site.code(page.lang),
        "publisher": { "@type": "Organization", "name": publisher_name(site) },
    });
    if let Some(d) = &page.common.description {
        ld["description"] = json!(d);
    }
    if let Some(date) = page.common.date {
        ld["datePublished"] = json!(date.to_string());
        ld["dateModified"] = json!(page.last_modified().unwrap_or(date).to_string());
    }
    // The page, not the article, is what is reviewed: schema.org has `lastReviewed` on
    // WebPage only, so the article names its page and the page carries the review date.
    let mut web_page = json!({ "@type": "WebPage", "@id": url, "url": url });
    if let Some(reviewed) = page.common.reviewed {
        web_page["lastReviewed"] = json!(reviewed.to_string());
    }
    ld["mainEntityOfPage"] = web_page;
    if let Some(author) = author {
        ld["author"] = json!({ "@type": "Person", "name": author });
    }
    if let Some(image) = image {
        ld["image"] = json!(image);
    }
    ld
}

pub fn book(
    site: &Site,
    page: &Page,
    book: &BookMeta,
    isbn: Option<&Isbn>,
    cover: Option<&CoverSet>,
) -> Value {
    let base = site.config.base();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Book",
        "name": page.common.title,
        "author": { "@type": "Person", "name": book.author },
        "url": format!("{base}{}", page.url),
    });
    if let Some(isbn) = isbn {
        ld["isbn"] = json!(isbn.digits());
    }
    if let Some(year) = book.year {
        ld["datePublished"] = json!(year.to_string());
    }
    if let Some(publisher) = &book.publisher {
        ld["publisher"] = json!({ "@type": "Organization", "name": publisher });
    }
    if let Some(cover) = cover {
        ld["image"] = json!(format!("{base}{}", cover.large.url));
    }
    ld
}

fn publisher_name(site: &Site) -> &str {
    site.config
        .practice
        .name
        .as_deref()
        .unwrap_or(&site.config.title)
}

/// JSON for a `<script type="application/ld+json">`, with `<` escaped so no text can
/// close the script element.
pub fn script(value: &Value) -> String {
    // Written straight to bytes: `Value`'s `to_string` goes through `fmt`, nearly twice the
    // work. A `Value` always serialises (its keys are strings).
    let json = serde_json::to_string(value).unwrap_or_default();
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

/// The practice as the most specific fitting schema.org type, `MedicalClinic`, described
/// from site.toml `[practice]` and the given counseling pages (an office, online work).
pub fn practice(site: &Site, pages: &[&Page]) -> Option<Value> {
    let practice = &site.config.practice;
    let name = practice.name.as_deref()?;
    let base = site.config.base();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": name,
        "url": format!("{base}/"),
        "medicalSpecialty": "https://schema.org/Psychiatric",
        "description": site.config.description,
    });
    if let Some(phone) = &practice.phone {
        ld["telephone"] = json!(phone.e164());
    }
    if let Some(email) = &practice.email {
        ld["email"] = json!(email);
    }
    if let Some(accepting) = practice.accepting_new_clients {
        ld["isAcceptingNewPatients"] = json!(accepting);
    }
    if !practice.languages.is_empty() {
        ld["knowsLanguage"] = json!(practice.languages);
        // Which languages a client can be answered in: schema.org says so of a contact
        // point, not of the clinic itself.
        let mut contact = json!({
            "@type": "ContactPoint",
            "contactType": "new clients",
            "availableLanguage": practice.languages,
        });
        if let Some(phone) = &practice.phone {
            contact["telephone"] = json!(phone.e164());
        }
        if let Some(email) = &practice.email {
            contact["email"] = json!(email);
        }
        ld["contactPoint"] = contact;
    }
    if let Some(fees) = &practice.fees {
        ld["priceRange"] = json!(fees);
    }
    if !practice.clinicians.is_empty() {
        ld["employee"] = practice.clinicians.iter().map(clinician).collect();
    }
    describe_counseling(&mut ld, base, pages);
    Some(ld)
}

/// A clinician as a person with their credentials and licences.
fn clinician(c: &Clinician) -> Value {
    let mut person = json!({ "@type": "Person", "name": c.name });
    if let Some(credentials) = &c.credentials {
        person["honorificSuffix"] = json!(credentials);
    }
    if let Some(license) = &c.license_type {
        person["hasCredential"] = json!(licenses(license, &c.licensed_in));
    }
    person
}

/// The offices, online work and the areas they serve, from the counseling pages.
fn describe_counseling(ld: &mut Value, base: &str, pages: &[&Page]) {
    let mut services = Vec::new();
    let mut areas = Vec::new();
    for page in pages {
        let Meta::Counseling(meta) = &page.meta else {
            continue;
        };
        match meta.mode {
            CounselingMode::InPerson => {
                describe_office(ld, page, meta);
                areas.extend(
                    meta.areas_served
                        .iter()
                        .map(|a| json!({ "@type": "City", "name": a })),
                );
                services.push(json!({ "@type": "MedicalTherapy", "name": "Couples counseling in person", "url": format!("{base}{}", page.url) }));
            }
            CounselingMode::Online => {
                // schema.org has no `areaServed` on a therapy (only on an organization, a
                // service or an offer): the practice serves the states online clients may
                // be in.
                areas.extend(meta.licensed_in.iter().map(|s| state(s)));
                services.push(json!({
                    "@type": "MedicalTherapy",
                    "name": "Online couples counseling by video",
                    "url": format!("{base}{}", page.url),
                }));
            }
        }
    }
    if !areas.is_empty() {
        ld["areaServed"] = json!(areas);
    }
    if !services.is_empty() {
        ld["availableService"] = json!(services);
    }
}

/// A clinician's license in each state it is valid in, recognised by that state's
/// licensing board (schema.org's `recognizedBy` takes an organization, not a place, so the
/// state is the area the board serves); one credential when no state is given.
fn licenses(license: &str, licensed_in: &[String]) -> Vec<Value> {
    let credential = || {
        json!({
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "license",
            "name": license,
        })
    };
    if licensed_in.is_empty() {
        return vec![credential()];
    }
    licensed_in
        .iter()
        .map(|code| {
            let mut one = credential();
            one["recognizedBy"] = json!({
                "@type": "GovernmentOrganization",
                "name": format!("{} licensing board", us::state_name(code).unwrap_or(code)),
                "areaServed": state(code),
            });
            one
        })
        .collect()
}

/// A US state by its two-letter code, named in full where the code is known.
fn state(code: &str) -> Value {
    json!({ "@type": "State", "name": us::state_name(code).unwrap_or(code) })
}

fn describe_office(ld: &mut Value, page: &Page, meta: &CounselingMeta) {
    if let Some(a) = &meta.address {
        ld["address"] = json!({
            "@type": "PostalAddress",
            "streetAddress": a.street,
            "addressLocality": a.city,
            "addressRegion": a.region,
            "postalCode": a.postal_code,
            "addressCountry": a.country,
        });
    }
    if let Some(geo) = meta.geo {
        ld["geo"] = json!({ "@type": "GeoCoordinates", "latitude": geo.lat, "longitude": geo.lon });
    }
    if !page.opening_hours.is_empty() {
        ld["openingHoursSpecification"] = json!(opening_hours(&page.opening_hours));
    }
}

/// The counseling pages the home page describes: every office and the online page.
/// The counseling pages in language `lang`, which its home page's practice describes.
pub fn counseling_pages(site: &Site, lang: usize) -> Vec<&Page> {
    site.pages
        .iter()
        .filter(|p| p.kind == Kind::Counseling && p.lang == lang)
        .collect()
}

/// schema.org `openingHoursSpecification` values: days sharing the same opening and
/// closing times are merged into one object, ordered by their first day.
pub fn opening_hours(rules: &[Rule]) -> Vec<Value> {
    let mut by_times: BTreeMap<(Time, Time), Vec<Day>> = BTreeMap::new();
    for rule in rules {
        by_times
            .entry((rule.opens, rule.closes))
            .or_default()
            .extend(&rule.days);
    }
    let mut groups: Vec<((Time, Time), Vec<Day>)> = by_times
        .into_iter()
        .map(|(times, mut days)| {
            days.sort();
            days.dedup();
            (times, days)
        })
        .collect();
    groups.sort_by_key(|(times, days)| (days.first().copied(), *times));
    groups
        .into_iter()
        .map(|((opens, closes), days)| {
            json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days.iter().map(|&d| day_url(d)).collect::<Vec<_>>(),
                "opens": opens.hhmm(),
                "closes": closes.hhmm(),
            })
        })
        .collect()
}

/// A day as the schema.org enumeration member `dayOfWeek` takes.
fn day_url(day: Day) -> &'static str {
    match day {
        Day::Mo => "https://schema.org/Monday",
        Day::Tu => "https://schema.org/Tuesday",
        Day::We => "https://schema.org/Wednesday",
        Day::Th => "https://schema.org/Thursday",
        Day::Fr => "https://schema.org/Friday",
        Day::Sa => "https://schema.org/Saturday",
        Day::Su => "https://schema.org/Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::hours;

    #[test]
    fn opening_hours_group_days_by_times() {
        let rules =
            hours::parse("Mo-We 09:00-18:00; Th 12:00-20:00; Fr 09:00-18:00; Sa 10:00-24:00")
                .unwrap();
        let values = opening_hours(&rules);
        assert_eq!(values.len(), 3);
        assert_eq!(
            values[0],
            json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [
                    "https://schema.org/Monday",
                    "https://schema.org/Tuesday",
                    "https://schema.org/Wednesday",
                    "https://schema.org/Friday"
                ],
                "opens": "09:00",
                "closes": "18:00"
            })
        );
        assert_eq!(values[1]["dayOfWeek"][0], "https://schema.org/Thursday");
        assert_eq!(values[2]["closes"], "24:00");
        assert!(opening_hours(&[]).is_empty());
    }

    #[test]
    fn every_day_has_its_schema_org_member() {
        let urls: Vec<&str> = Day::ALL.into_iter().map(day_url).collect();
        assert_eq!(urls[2], "https://schema.org/Wednesday");
        assert!(urls.iter().all(|u| u.starts_with("https://schema.org/")));
        assert_eq!(urls.len(), 7);
    }
}
