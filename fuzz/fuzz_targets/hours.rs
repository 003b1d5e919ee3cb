//! Opening hours: one `;`-joined line, and the same text as a list of lines.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(spec) = std::str::from_utf8(data) {
        common::check_hours(spec);
    }
});
