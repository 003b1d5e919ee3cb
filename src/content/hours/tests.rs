//! Tests of the hours parser and the readable table.

use super::*;

fn t(hour: u8, minute: u8) -> Time {
    Time { hour, minute }
}

fn err(spec: &str) -> HoursError {
    parse(spec).expect_err(spec)
}

#[test]
fn day_range() {
    assert_eq!(
        parse("Mo-Th 09:00-18:00").unwrap(),
        vec![Rule {
            days: vec![Day::Mo, Day::Tu, Day::We, Day::Th],
            opens: t(9, 0),
            closes: t(18, 0),
        }]
    );
}

#[test]
fn day_list_and_mixed_items_are_sorted() {
    let rules = parse("Mo,We,Fr 10:00-14:00").unwrap();
    assert_eq!(rules[0].days, vec![Day::Mo, Day::We, Day::Fr]);
    let rules = parse("Sa, Mo-Tu 10:00-14:00").unwrap();
    assert_eq!(rules[0].days, vec![Day::Mo, Day::Tu, Day::Sa]);
}

#[test]
fn several_ranges_make_several_rules_in_order() {
    let rules = parse("Sa 13:00-15:00, 09:00-12:00").unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!((rules[0].opens, rules[0].closes), (t(9, 0), t(12, 0)));
    assert_eq!((rules[1].opens, rules[1].closes), (t(13, 0), t(15, 0)));
    assert!(rules.iter().all(|r| r.days == vec![Day::Sa]));
}

#[test]
fn off_and_closed_give_no_rule() {
    assert_eq!(parse("Su off").unwrap(), vec![]);
    assert_eq!(parse("Sa,Su Closed").unwrap(), vec![]);
}

#[test]
fn several_rules_with_semicolons_and_loose_spacing() {
    let rules = parse(" Mo-Fr\t09:00 - 17:00 ;  Sa 10:00-12:00;Su off; ").unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].days, vec![Day::Sa]);
}

#[test]
fn en_dash_single_digit_hour_and_lowercase_days_are_accepted() {
    let rules = parse("mo–fr 9:00–17:30").unwrap();
    assert_eq!(rules[0].days.len(), 5);
    assert_eq!((rules[0].opens, rules[0].closes), (t(9, 0), t(17, 30)));
}

#[test]
fn closing_at_24_00() {
    let rules = parse("Fr 18:00-24:00").unwrap();
    assert_eq!(rules[0].closes, t(24, 0));
    assert_eq!(rules[0].closes.hhmm(), "24:00");
    let e = err("Fr 24:00-24:00");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (3, "24:00 can only be a closing time")
    );
}

#[test]
fn display_formats() {
    assert_eq!(t(9, 0).display(), "9:00 AM");
    assert_eq!(t(13, 30).display(), "1:30 PM");
    assert_eq!(t(12, 0).display(), "12:00 PM");
    assert_eq!(t(0, 0).display(), "12:00 AM");
    assert_eq!(t(24, 0).display(), "12:00 AM");
    assert_eq!(t(23, 59).display(), "11:59 PM");
    assert_eq!(t(9, 5).hhmm(), "09:05");
}

#[test]
fn unknown_day() {
    let e = err("Mo,Mx 09:00-10:00");
    assert_eq!(e.offset, 3);
    assert_eq!(
        e.message,
        "`Mx` is not a day; use Mo, Tu, We, Th, Fr, Sa or Su"
    );
    let e = err("Monday 09:00-10:00");
    assert_eq!(e.offset, 0);
    assert_eq!(e.help, "write `Mo` for Monday");
}

#[test]
fn backwards_day_range() {
    let e = err("Mo 08:00-09:00; Fr-Mo 09:00-10:00");
    assert_eq!(e.offset, 16);
    assert_eq!(e.message, "day ranges go forward in the week, e.g. Mo-Fr");
    assert_eq!(e.help, "for Friday through Monday, write `Fr-Su,Mo`");
}

#[test]
fn invalid_times() {
    for (spec, offset, token) in [
        ("Mo 25:00-26:00", 3, "25:00"),
        ("Mo 9:0-10:00", 3, "9:0"),
        ("Mo 09:00-09:60", 9, "09:60"),
        ("Mo 9am-5pm", 3, "9am"),
        ("Mo 09.00-17.00", 3, "09.00"),
        ("Mo 24:30-24:45", 3, "24:30"),
    ] {
        let e = err(spec);
        assert_eq!(e.offset, offset, "{spec}");
        assert_eq!(
            e.message,
            format!("`{token}` is not a time; write 24-hour HH:MM such as 09:00 or 17:30")
        );
    }
}

#[test]
fn closing_not_after_opening() {
    let e = err("Mo 17:00-09:00");
    assert_eq!(e.offset, 9);
    assert_eq!(e.message, "the range closes at 09:00 but opens at 17:00");
    assert_eq!(err("Mo 09:00-09:00").offset, 9);
    assert_eq!(err("Mo 22:00-00:00").offset, 9);
}

#[test]
fn missing_time_range() {
    let e = err("Mo-Fr");
    assert_eq!(e.offset, 5);
    assert_eq!(e.message, "`Mo-Fr` has no opening hours");
    let e = err("Sa 09:00-12:00; Mo,Tu ;");
    assert_eq!(e.offset, 21);
    assert_eq!(e.message, "`Mo,Tu` has no opening hours");
    let e = err("Mo 09:00");
    assert_eq!(e.offset, 8);
    assert_eq!(
        e.message,
        "the range starting at `09:00` has no closing time"
    );
    let e = err("Mo 09:00-");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (9, "a time is missing at the end")
    );
    let e = err("Mo 09:00-12:00,");
    assert_eq!(e.offset, 15);
    let e = err("Mo-");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (3, "a day is missing at the end")
    );
}

#[test]
fn empty_input() {
    for spec in ["", "  \t "] {
        let e = err(spec);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (0, "no opening hours given")
        );
    }
    let e = err("Mo 09:00-10:00;; Tu 09:00-10:00");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (15, "expected a day, found `;`")
    );
}

#[test]
fn day_given_twice_across_rules() {
    let e = err("Mo-Fr 09:00-17:00; Sa 10:00-12:00; Fr 18:00-20:00");
    assert_eq!(e.offset, 35);
    assert_eq!(e.message, "Friday already has hours in an earlier rule");
    // A closed day counts as given.
    assert_eq!(err("Su off; Sa,Su 10:00-12:00").offset, 11);
    // Ranges are checked day by day, and the error points at the range.
    assert_eq!(err("We 09:00-10:00; Mo-Fr 11:00-12:00").offset, 16);
}

#[test]
fn day_given_twice_in_one_rule() {
    let e = err("Mo-We,Tu 09:00-10:00");
    assert_eq!(e.offset, 6);
    assert_eq!(e.message, "Tuesday is listed twice in this rule");
}

#[test]
fn overlapping_ranges() {
    let e = err("Sa 09:00-12:00, 11:00-13:00");
    assert_eq!(e.offset, 16);
    assert_eq!(e.message, "`11:00-13:00` overlaps `09:00-12:00`");
    // Written out of order, the error still points at the later-written range.
    let e = err("Sa 11:00-13:00, 09:00-12:00");
    assert_eq!(e.offset, 16);
    assert_eq!(e.message, "`09:00-12:00` overlaps `11:00-13:00`");
    // Touching ranges do not overlap.
    assert!(parse("Sa 09:00-12:00, 12:00-13:00").is_ok());
}

#[test]
fn other_syntax_errors_are_located() {
    let e = err("Mo Tu 09:00-10:00");
    assert_eq!(e.offset, 3);
    assert_eq!(e.message, "`Tu` follows the days without a comma");
    let e = err("09:00-10:00");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (0, "expected a day before `09:00`")
    );
    let e = err("Mo from 09:00");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (3, "`from` is not a time range")
    );
    let e = err("Su off 09:00-10:00");
    assert_eq!(e.offset, 7);
    assert!(e.help.contains("nothing may follow `off`"));
    let e = err("Mo 09:00-10:00 11:00-12:00");
    assert_eq!((e.offset, e.message.as_str()), (15, "unexpected `11:00`"));
    let e = err("Mo 09:00-12:00, Tu 13:00-14:00");
    assert_eq!(e.offset, 16);
    assert_eq!(e.message, "`Tu` comes after a comma among the times");
    let e = err("Mo 09:00-10:00 / Tu");
    assert_eq!(
        (e.offset, e.message.as_str()),
        (15, "unexpected `/` in opening hours")
    );
}

#[test]
fn byte_offsets_count_multibyte_dashes() {
    // `–` is three bytes, so the bad time starts at byte 11, not 9.
    let e = err("Mo 09:00–25:00");
    assert_eq!(e.offset, 11);
}

#[test]
fn lines_are_checked_together() {
    let rules = parse_lines(&["Mo-Th 09:00-18:00", "Fr 09:00-13:00"]).unwrap();
    assert_eq!(rules.len(), 2);
    let (line, e) =
        parse_lines(&["Mo-Fr 09:00-18:00", "Sa 10:00-12:00; Fr 14:00-15:00"]).unwrap_err();
    assert_eq!((line, e.offset), (1, 16));
    assert_eq!(e.message, "Friday already has hours in an earlier line");
    let (line, e) = parse_lines(&["Su off", "Sa-Su 10:00-12:00"]).unwrap_err();
    assert_eq!((line, e.offset), (1, 0));
    assert_eq!(e.message, "Sunday already has hours in an earlier line");
    let (line, e) = parse_lines(&["Mo 09:00-10:00", "Tu 25:00-26:00"]).unwrap_err();
    assert_eq!((line, e.offset), (1, 3));
}

#[test]
fn table_rows() {
    let rules = parse("Mo-Th 09:00-18:00; Fr 09:00-13:00; Sa 09:00-12:00, 13:30-15:00").unwrap();
    let rows = table(&rules);
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows[0],
        DayRow {
            day: "Monday",
            hours: "9:00 AM – 6:00 PM".into(),
            hours_24h: "9:00 – 18:00".into(),
            closed: false
        }
    );
    assert_eq!(rows[4].hours, "9:00 AM – 1:00 PM");
    assert_eq!(rows[5].hours, "9:00 AM – 12:00 PM, 1:30 PM – 3:00 PM");
    assert_eq!(rows[5].hours_24h, "9:00 – 12:00, 13:30 – 15:00");
    assert_eq!(
        rows[6],
        DayRow {
            day: "Sunday",
            hours: "Closed".into(),
            hours_24h: "Closed".into(),
            closed: true
        }
    );
    assert_eq!(table(&[])[2].hours, "Closed");
}

#[test]
fn day_codes_and_names() {
    assert_eq!(Day::ALL.map(Day::code).join(","), "Mo,Tu,We,Th,Fr,Sa,Su");
    assert_eq!(Day::Su.name(), "Sunday");
}
