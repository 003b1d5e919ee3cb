//! Front matter: the `---` splitter, then the YAML of every page kind and of `_index.md`.

#![no_main]

mod common;

use std::path::Path;

use hearth::internals::content::front_matter;
use hearth::internals::content::load::parse_page_front;
use hearth::internals::content::{Kind, SectionFront};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/fuzz.md");
    let split = match front_matter::split(source, path) {
        Ok(split) => split,
        Err(d) => {
            common::check_diagnostic(&d, source);
            return;
        }
    };
    // The two parts are slices of the source at the offsets the split reports.
    assert!(split.yaml_offset <= split.body_offset && split.body_offset <= source.len());
    assert_eq!(
        &source[split.yaml_offset..split.yaml_offset + split.yaml.len()],
        split.yaml
    );
    assert_eq!(&source[split.body_offset..], split.body);

    for kind in Kind::ALL {
        if let Err(d) = parse_page_front(kind, source, &split, path) {
            common::check_diagnostic(&d, source);
        }
    }
    if let Err(d) = front_matter::parse::<SectionFront>(source, &split, path) {
        common::check_diagnostic(&d, source);
    }
});
