//! Opening hours: one `;`-joined line, and the same text as a list of lines.

#![no_main]

use hearth::content::hours::{self, Day, HoursError, Rule};
use libfuzzer_sys::fuzz_target;

fn check_error(e: &HoursError, spec: &str) {
    assert!(
        e.offset <= spec.len() && spec.is_char_boundary(e.offset),
        "offset {} is not a position in {spec:?}: {e:?}",
        e.offset
    );
    assert!(!e.message.is_empty() && !e.help.is_empty(), "{e:?}");
}

/// What a successful parse promises: real days in week order, real times, ranges that
/// close after they open, and no day open twice at the same time.
fn check_rules(rules: &[Rule]) {
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
    let _ = hours::schema(rules);
}

fuzz_target!(|data: &[u8]| {
    let Ok(spec) = std::str::from_utf8(data) else {
        return;
    };
    match hours::parse(spec) {
        Ok(rules) => check_rules(&rules),
        Err(e) => check_error(&e, spec),
    }
    let lines: Vec<&str> = spec.split('\n').collect();
    match hours::parse_lines(&lines) {
        Ok(rules) => check_rules(&rules),
        Err((line, e)) => {
            assert!(line < lines.len(), "line {line} of {}", lines.len());
            check_error(&e, lines[line]);
        }
    }
});
