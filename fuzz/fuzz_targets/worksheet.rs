//! Worksheet bodies: the parser into blocks, its located issues, and the web page HTML.

#![no_main]

mod common;

use std::path::Path;

use hearth::content::worksheet;
use hearth::diagnostics::Diagnostic;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    match worksheet::parse(body, &common::worksheet_resolve) {
        Ok(sheet) => {
            let _ = worksheet::to_html(&sheet);
        }
        Err(issues) => {
            assert!(!issues.is_empty(), "an error without an issue");
            // As loading does: a page whose body starts after a short front matter.
            let front = "---\ntitle: Sheet\n---\n";
            let source = format!("{front}{body}");
            for issue in issues {
                assert!(
                    issue.offset <= body.len() && body.is_char_boundary(issue.offset),
                    "offset {} is not a position in the body: {issue:?}",
                    issue.offset
                );
                let d = Diagnostic::error(Path::new("content/worksheets/fuzz.md"), issue.message)
                    .at_offset(&source, front.len() + issue.offset)
                    .with_help(issue.help);
                common::check_diagnostic(&d, &source);
            }
        }
    }
});
