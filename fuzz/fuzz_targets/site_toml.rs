//! `site.toml`: TOML parsing and the checks on the values (URLs, phone, email, colours).

#![no_main]

mod common;

use std::path::Path;

use hearth::internals::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(source, Path::new("site.toml")) {
        Ok(config) => {
            let _ = config.base();
            let _ = config.privacy.content_security_policy();
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "an error without a diagnostic");
            for d in &problems {
                common::check_diagnostic(d, source);
            }
        }
    }
});
