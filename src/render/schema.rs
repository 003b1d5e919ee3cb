//! Structured data (schema.org JSON-LD) built as data, never by gluing strings: articles,
//! books, and the practice as a local health business with its locations and online work.

use serde_json::{Value, json};

use super::covers::CoverSet;
use crate::content::hours;
use crate::content::kinds::{BookMeta, CounselingMeta, CounselingMode, Meta};
use crate::content::{Kind, Page, Site, us};

pub fn article(site: &Site, page: &Page, author: Option<&str>) -> Value {
    let base = site.config.base();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.common.title,
        "url": format!("{base}{}", page.url),
        "inLanguage": site.config.language,
        "publisher": { "@type": "Organization", "name": publisher_name(site) },
    });
    if let Some(d) = &page.common.description {
        ld["description"] = json!(d);
    }
    if let Some(date) = page.common.date {
        ld["datePublished"] = json!(date.to_string());
        ld["dateModified"] = json!(page.last_modified().unwrap_or(date).to_string());
    }
    if let Some(reviewed) = page.common.reviewed {
        ld["lastReviewed"] = json!(reviewed.to_string());
    }
    if let Some(author) = author {
        ld["author"] = json!({ "@type": "Person", "name": author });
    }
    ld
}

pub fn book(
    site: &Site,
    page: &Page,
    book: &BookMeta,
    isbn13: Option<&str>,
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
    if let Some(isbn) = isbn13 {
        ld["isbn"] = json!(isbn);
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
        ld["telephone"] = json!(us::phone(phone).unwrap_or_else(|_| phone.clone()));
    }
    if let Some(email) = &practice.email {
        ld["email"] = json!(email);
    }
    if let Some(accepting) = practice.accepting_new_clients {
        ld["isAcceptingNewPatients"] = json!(accepting);
    }
    if !practice.languages.is_empty() {
        ld["knowsLanguage"] = json!(practice.languages);
    }
    if let Some(fees) = &practice.fees {
        ld["priceRange"] = json!(fees);
    }
    if !practice.clinicians.is_empty() {
        ld["employee"] = practice
            .clinicians
            .iter()
            .map(|c| {
                let mut person = json!({ "@type": "Person", "name": c.name });
                if let Some(credentials) = &c.credentials {
                    person["honorificSuffix"] = json!(credentials);
                }
                if let Some(license) = &c.license_type {
                    person["hasCredential"] = json!({
                        "@type": "EducationalOccupationalCredential",
                        "credentialCategory": license,
                        "recognizedBy": c.licensed_in.iter().map(|s| json!({ "@type": "State", "name": us::state_name(s).unwrap_or(s) })).collect::<Vec<_>>(),
                    });
                }
                person
            })
            .collect();
    }
    let mut services = Vec::new();
    let mut areas = Vec::new();
    for page in pages {
        let Meta::Counseling(meta) = &page.meta else {
            continue;
        };
        match meta.mode {
            CounselingMode::InPerson => {
                describe_office(&mut ld, page, meta);
                areas.extend(
                    meta.areas_served
                        .iter()
                        .map(|a| json!({ "@type": "City", "name": a })),
                );
                services.push(json!({ "@type": "MedicalTherapy", "name": "Couples counseling in person", "url": format!("{base}{}", page.url) }));
            }
            CounselingMode::Online => {
                areas.extend(
                    meta.licensed_in.iter().map(
                        |s| json!({ "@type": "State", "name": us::state_name(s).unwrap_or(s) }),
                    ),
                );
                services.push(json!({
                    "@type": "MedicalTherapy",
                    "name": "Online couples counseling by video",
                    "url": format!("{base}{}", page.url),
                    "areaServed": meta.licensed_in.iter().map(|s| json!({ "@type": "State", "name": us::state_name(s).unwrap_or(s) })).collect::<Vec<_>>(),
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
    Some(ld)
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
        ld["openingHoursSpecification"] = json!(hours::schema(&page.opening_hours));
    }
}

/// The counseling pages the home page describes: every office and the online page.
pub fn counseling_pages(site: &Site) -> Vec<&Page> {
    site.pages
        .iter()
        .filter(|p| p.kind == Kind::Counseling)
        .collect()
}
