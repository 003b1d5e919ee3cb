//! Checks shared by the fuzz targets (and by their regression test, which replays the
//! saved inputs). Each target uses only some of them.
#![allow(dead_code)]

use std::path::Path;

use hearth::diagnostics::Diagnostic;
use hearth::internals::content::hours::{self, Day, HoursError, Rule};
use hearth::internals::content::worksheet;

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

/// What the `hours` target checks of one input: it parses as one `;`-joined line and as a
/// list of lines, and either result keeps the promises below.
pub fn check_hours(spec: &str) {
    match hours::parse(spec) {
        Ok(rules) => check_hours_rules(&rules),
        Err(e) => check_hours_error(&e, spec),
    }
    let lines: Vec<&str> = spec.split('\n').collect();
    match hours::parse_lines(&lines) {
        Ok(rules) => check_hours_rules(&rules),
        Err((line, e)) => {
            assert!(line < lines.len(), "line {line} of {}", lines.len());
            check_hours_error(&e, lines[line]);
        }
    }
}

fn check_hours_error(e: &HoursError, spec: &str) {
    assert!(
        e.offset <= spec.len() && spec.is_char_boundary(e.offset),
        "offset {} is not a position in {spec:?}: {e:?}",
        e.offset
    );
    assert!(!e.message.is_empty() && !e.help.is_empty(), "{e:?}");
}

/// What a successful parse promises: real days in week order, real times, ranges that
/// close after they open, and no day open twice at the same time.
fn check_hours_rules(rules: &[Rule]) {
    for rule in rules {
        assert!(!rule.days.is_empty(), "a rule without days: {rule:?}");
        assert!(rule.days.windows(2).all(|w| w[0] < w[1]), "{rule:?}");
        assert!(rule.opens < rule.closes, "{rule:?}");
        assert!(rule.opens.hour < 24 && rule.opens.minute < 60, "{rule:?}");
        assert!(
            rule.closes.hour < 24 && rule.closes.minute < 60
                || rule.closes.hour == 24 && rule.closes.minute == 0,
            "{rule:?}"
        );
    }
    for day in Day::ALL {
        let mut ranges: Vec<_> = rules
            .iter()
            .filter(|r| r.days.contains(&day))
            .map(|r| (r.opens, r.closes))
            .collect();
        ranges.sort();
        for w in ranges.windows(2) {
            assert!(
                w[0].1 <= w[1].0,
                "{day:?} has overlapping ranges: {ranges:?}"
            );
        }
    }
    assert_eq!(hours::table(rules).len(), 7);
    let _ = hearth::internals::render::schema::opening_hours(rules);
}

/// What the `worksheet` target checks of one body: every issue and `@/` link is at a
/// position in the body, every issue becomes a diagnostic that points inside the page (as
/// loading makes them), and the model turns into HTML.
pub fn check_worksheet(body: &str) {
    let (sheet, rendered) = worksheet::parse(body);
    // As loading does: a page whose body starts after a short front matter.
    let front = "---\ntitle: Sheet\n---\n";
    let source = format!("{front}{body}");
    for issue in &rendered.issues {
        assert!(
            issue.offset <= body.len() && body.is_char_boundary(issue.offset),
            "offset {} is not a position in the body: {issue:?}",
            issue.offset
        );
        let path = Path::new("content/worksheets/fuzz.md");
        let d = if issue.error {
            Diagnostic::error(path, issue.message.clone())
        } else {
            Diagnostic::warning(path, issue.message.clone())
        };
        check_diagnostic(&d.at_offset(&source, front.len() + issue.offset), &source);
    }
    for link in &rendered.links {
        assert!(
            link.offset <= body.len() && body.is_char_boundary(link.offset),
            "link offset {} is not a position in the body: {link:?}",
            link.offset
        );
    }
    assert_eq!(rendered.html, worksheet::to_html(&sheet));
}
