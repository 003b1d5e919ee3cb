//! Checks shared by the fuzz targets.

use hearth::diagnostics::Diagnostic;

/// Asserts that a diagnostic about `source` points inside it: a line from 1 to the number
/// of lines (one past the last newline counts, for "missing at the end" errors), a column
/// of at least 1, and a source line that is (the start of) that line. Rendering it, as the CLI
/// does, must not panic either.
pub fn check_diagnostic(d: &Diagnostic, source: &str) {
    assert!(!d.message.is_empty(), "empty message: {d:?}");
    if let Some(line) = d.line {
        let lines = source.matches('\n').count() + 1;
        assert!(
            line >= 1 && line as usize <= lines,
            "line {line} outside a {lines}-line input: {d:?}"
        );
        assert!(d.col.is_some_and(|c| c >= 1), "column missing or 0: {d:?}");
        if let Some(text) = &d.source_line {
            let expected = source
                .split('\n')
                .nth(line as usize - 1)
                .map(|l| l.trim_end_matches('\r'));
            // A file that is not UTF-8 shows its line only up to the first bad byte.
            assert!(
                expected.is_some_and(|l| l.starts_with(text.as_str())),
                "wrong source line {expected:?}: {d:?}"
            );
        }
    }
    let _ = d.render(false);
    let _ = d.to_string();
}
