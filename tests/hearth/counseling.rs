//! Counseling pages and the practice profile: validation, hours, structured data.

use crate::support::{Fixture, SITE_TOML};

const PRACTICE: &str = "[practice]\nname = \"Cedar Practice\"\nphone = \"(503) 555-0142\"\nemail = \"hi@test.example\"\nbooking_url = \"https://portal.test.example/\"\naccepting_new_clients = true\nlanguages = [\"English\", \"Spanish\"]\n[[practice.clinicians]]\nname = \"Dr. A\"\ncredentials = \"PhD, LMFT\"\nlicense_type = \"Licensed Marriage and Family Therapist\"\nlicensed_in = [\"OR\", \"WA\"]\n";

const OFFICE: &str = "---\ntitle: Our office\nmode: in_person\naddress:\n  street: \"1 Example St\"\n  city: Portland\n  region: OR\n  postal_code: \"97201\"\ngeo:\n  lat: 45.5\n  lon: -122.6\nhours:\n  - \"Mo-Th 09:00-18:00\"\n  - \"Fr 09:00-13:00\"\nareas_served: [Portland, Beaverton]\naccess:\n  parking: Street parking.\n  entrance: Step-free entrance.\n---\nCome in.\n";

const ONLINE: &str = "---\ntitle: Online\nmode: online\nlicensed_in: [OR, WA]\nplatform: a secure video platform\nrequirements: [A private room, A steady connection]\n---\nBy video.\n";

fn practice_site() -> Fixture {
    let f = Fixture::hub();
    f.write("site.toml", &format!("{SITE_TOML}{PRACTICE}"));
    f.write(
        "content/counseling/_index.md",
        "---\ntitle: Start counseling\nkind: counseling\n---\nTwo ways.\n",
    );
    f.write("content/counseling/office.md", OFFICE);
    f.write("content/counseling/online.md", ONLINE);
    f.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n",
    );
    f
}

fn practice_ld(page: &crate::support::Page) -> serde_json::Value {
    page.json_ld()
        .into_iter()
        .find(|v| v["@type"] == "MedicalClinic")
        .expect("a MedicalClinic block")
}

#[test]
fn office_page_shows_address_map_link_hours_and_access() {
    let f = practice_site();
    f.build_ok();
    let page = f.html("public/counseling/office/index.html");
    assert_eq!(
        page.text("address"),
        "Cedar Practice 1 Example St Portland, OR 97201"
    );
    assert_eq!(
        page.attr("a[href*=openstreetmap]", "href"),
        "https://www.openstreetmap.org/?mlat=45.5&mlon=-122.6#map=17/45.5/-122.6"
    );
    assert!(page.select("iframe").is_empty(), "no embedded map");
    assert_eq!(
        page.texts("table.hours tbody tr"),
        vec![
            "Monday 9:00 AM – 6:00 PM",
            "Tuesday 9:00 AM – 6:00 PM",
            "Wednesday 9:00 AM – 6:00 PM",
            "Thursday 9:00 AM – 6:00 PM",
            "Friday 9:00 AM – 1:00 PM",
            "Saturday Closed",
            "Sunday Closed",
        ]
    );
    assert_eq!(
        page.texts("dl.access dt"),
        vec!["Parking", "Step-free access"]
    );
}

#[test]
fn office_structured_data_has_every_field() {
    let f = practice_site();
    f.build_ok();
    let ld = practice_ld(&f.html("public/counseling/office/index.html"));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["name"], "Cedar Practice");
    assert_eq!(ld["telephone"], "+15035550142");
    assert_eq!(ld["email"], "hi@test.example");
    assert_eq!(ld["isAcceptingNewPatients"], true);
    assert_eq!(ld["medicalSpecialty"], "https://schema.org/Psychiatric");
    assert_eq!(ld["address"]["@type"], "PostalAddress");
    assert_eq!(ld["address"]["streetAddress"], "1 Example St");
    assert_eq!(ld["address"]["addressRegion"], "OR");
    assert_eq!(ld["geo"]["latitude"], 45.5);
    assert_eq!(
        ld["openingHoursSpecification"][0]["dayOfWeek"]
            .as_array()
            .expect("days")
            .len(),
        4
    );
    assert_eq!(ld["openingHoursSpecification"][0]["opens"], "09:00");
    assert_eq!(ld["openingHoursSpecification"][1]["closes"], "13:00");
    assert_eq!(ld["areaServed"][1]["name"], "Beaverton");
    assert_eq!(ld["availableService"][0]["@type"], "MedicalTherapy");
    let licence = &ld["employee"][0]["hasCredential"][1];
    assert_eq!(licence["name"], "Licensed Marriage and Family Therapist");
    assert_eq!(licence["recognizedBy"]["@type"], "GovernmentOrganization");
    assert_eq!(licence["recognizedBy"]["areaServed"]["name"], "Washington");
}

#[test]
fn online_page_states_the_rule_and_serves_the_states() {
    let f = practice_site();
    f.build_ok();
    let page = f.html("public/counseling/online/index.html");
    assert!(
        page.text(".rule").starts_with("Online sessions are only for clients who are located in Oregon or Washington at the time of the session."),
        "{}",
        page.text(".rule")
    );
    assert_eq!(
        page.texts(".facts ul li"),
        vec!["A private room", "A steady connection"]
    );
    let ld = practice_ld(&page);
    let states: Vec<&str> = ld["areaServed"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|a| a["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(states, vec!["Oregon", "Washington"]);
    assert_eq!(
        ld["availableService"][0]["name"],
        "Online couples counseling by video"
    );
}

#[test]
fn home_page_describes_the_practice_with_both_ways_to_meet() {
    let f = practice_site();
    f.build_ok();
    let home = f.html("public/index.html");
    let ld = practice_ld(&home);
    assert_eq!(ld["address"]["addressLocality"], "Portland");
    assert_eq!(
        ld["availableService"].as_array().expect("services").len(),
        2
    );
    assert_eq!(ld["knowsLanguage"][1], "Spanish");
    assert_eq!(
        home.attrs("#counseling-heading + ul .card-title a", "href"),
        vec!["/counseling/online/", "/counseling/office/"],
        "sorted by title when no weight"
    );
    for page in [
        "index.html",
        "articles/a/index.html",
        "counseling/office/index.html",
    ] {
        let cta = f.html(&format!("public/{page}"));
        assert_eq!(
            cta.attr("section.cta a.button", "href"),
            "/counseling/",
            "{page}"
        );
        assert_eq!(
            cta.attr("section.cta a.button-secondary", "href"),
            "https://portal.test.example/",
            "{page}"
        );
    }
}

#[test]
fn in_person_without_address_is_an_error() {
    let f = practice_site();
    f.write(
        "content/counseling/office.md",
        "---\ntitle: Office\nmode: in_person\n---\n",
    );
    f.build().fails_with(&[
        "content/counseling/office.md:3:7",
        "an in-person page needs an address",
        "street:",
    ]);
}

#[test]
fn bad_state_code_is_located_with_a_hint() {
    let f = practice_site();
    f.write(
        "content/counseling/online.md",
        "---\ntitle: Online\nmode: online\nlicensed_in: [OR, OW]\n---\n",
    );
    f.build().fails_with(&[
        "content/counseling/online.md:4:19",
        "`OW` is not a US state code",
    ]);
}

#[test]
fn bad_hours_point_inside_the_hours_line() {
    let f = practice_site();
    f.write(
        "content/counseling/office.md",
        &OFFICE.replace("Fr 09:00-13:00", "Fr 09:00-25:00"),
    );
    let run = f.build();
    run.fails_with(&[
        "content/counseling/office.md:14:15",
        "invalid opening hours",
        "`25:00` is not a time",
    ]);
    f.write(
        "content/counseling/office.md",
        &OFFICE.replace("Fr 09:00-13:00", "Fx 09:00-13:00"),
    );
    f.build()
        .fails_with(&["content/counseling/office.md:14:6", "`Fx` is not a day"]);
}

#[test]
fn bad_phone_in_site_toml_says_what_a_valid_one_looks_like() {
    let f = practice_site();
    f.write(
        "site.toml",
        &format!(
            "{SITE_TOML}{}",
            PRACTICE.replace("(503) 555-0142", "555-01")
        ),
    );
    f.build().fails_with(&[
        "site.toml:5:1",
        "[practice] phone `555-01` is not valid",
        "(503) 555-0142",
    ]);
}
