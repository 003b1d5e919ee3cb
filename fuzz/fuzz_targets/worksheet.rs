//! Worksheet bodies: the parser into blocks and page facts, its located issues and links,
//! and the web page HTML.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = std::str::from_utf8(data) {
        common::check_worksheet(body);
    }
});
