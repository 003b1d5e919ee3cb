//! Opening hours: parsing `Mo-Th 09:00-18:00` into validated rules.
//!
//! The syntax is a small, strict subset of the OpenStreetMap `opening_hours` style:
//! `DAYS TIME-TIME[, TIME-TIME…]` or `DAYS off`, with several rules joined by `;`.
//! Strict because a typo in opening hours sends a couple to a locked door; every error
//! carries the byte offset of the token at fault so the caller can point at it.

use std::collections::BTreeMap;

/// A day of the week, Monday first (the order rules and tables use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Day {
    Mo,
    Tu,
    We,
    Th,
    Fr,
    Sa,
    Su,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mo,
        Day::Tu,
        Day::We,
        Day::Th,
        Day::Fr,
        Day::Sa,
        Day::Su,
    ];

    /// The two-letter code used in the hours syntax (`Mo`).
    pub fn code(self) -> &'static str {
        match self {
            Day::Mo => "Mo",
            Day::Tu => "Tu",
            Day::We => "We",
            Day::Th => "Th",
            Day::Fr => "Fr",
            Day::Sa => "Sa",
            Day::Su => "Su",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Day::Mo => "Monday",
            Day::Tu => "Tuesday",
            Day::We => "Wednesday",
            Day::Th => "Thursday",
            Day::Fr => "Friday",
            Day::Sa => "Saturday",
            Day::Su => "Sunday",
        }
    }

    pub fn schema_url(self) -> &'static str {
        match self {
            Day::Mo => "https://schema.org/Monday",
            Day::Tu => "https://schema.org/Tuesday",
            Day::We => "https://schema.org/Wednesday",
            Day::Th => "https://schema.org/Thursday",
            Day::Fr => "https://schema.org/Friday",
            Day::Sa => "https://schema.org/Saturday",
            Day::Su => "https://schema.org/Sunday",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Matches a two-letter code, ignoring case (`mo` is as clear as `Mo`).
    fn from_code(word: &str) -> Option<Day> {
        Day::ALL
            .into_iter()
            .find(|d| d.code().eq_ignore_ascii_case(word))
    }

    /// Recognises full or three-letter names (`Monday`, `Mon`) to suggest the code.
    fn from_long_name(word: &str) -> Option<Day> {
        let lower = word.to_ascii_lowercase();
        Day::ALL.into_iter().find(|d| {
            let name = d.name().to_ascii_lowercase();
            lower.len() >= 3 && name.starts_with(&lower)
        })
    }
}

/// A time of day; 24:00 is allowed only as a closing time (midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

impl Time {
    /// The 24-hour form schema.org expects: `09:00`.
    pub fn hhmm(self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// The 12-hour form US readers expect: `9:00 AM`, `12:00 PM`; both midnights read `12:00 AM`.
    pub fn display(self) -> String {
        let (hour, half) = match self.hour {
            0 | 24 => (12, "AM"),
            h @ 1..=11 => (h, "AM"),
            12 => (12, "PM"),
            h => (h - 12, "PM"),
        };
        format!("{hour}:{:02} {half}", self.minute)
    }
}

/// Some days open from one time to another. A day with two ranges appears in two rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// In week order, each day once.
    pub days: Vec<Day>,
    pub opens: Time,
    pub closes: Time,
}

/// Why an hours string was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HoursError {
    /// Byte offset in the input string of the token at fault.
    pub offset: usize,
    pub message: String,
    pub help: String,
}

fn error(offset: usize, message: impl Into<String>, help: impl Into<String>) -> HoursError {
    HoursError {
        offset,
        message: message.into(),
        help: help.into(),
    }
}

const EXAMPLE: &str = "write the days, then the hours, such as `Mo-Fr 09:00-17:00` or `Su off`";
const TIME_HELP: &str =
    "hours run from 00 to 23 and minutes from 00 to 59; 24:00 may close a range";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    /// Letters first: a day or `off`/`closed`.
    Word(&'a str),
    /// Digit first: meant to be a time, checked when parsed.
    Num(&'a str),
    Dash,
    Comma,
    Semi,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    tok: Tok<'a>,
    at: usize,
    end: usize,
}

/// Splits the input into tokens. Word and number tokens swallow any letters, digits, `:`
/// and `.` that follow, so `9am` or `09.00` is reported whole rather than half-read.
fn lex(spec: &str) -> Result<Vec<Token<'_>>, HoursError> {
    let mut tokens = Vec::new();
    let mut chars = spec.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let single = |tok| Token {
            tok,
            at,
            end: at + c.len_utf8(),
        };
        match c {
            c if c.is_whitespace() => {}
            // En and em dashes arrive when hours are copied from a word processor.
            '-' | '–' | '—' => tokens.push(single(Tok::Dash)),
            ',' => tokens.push(single(Tok::Comma)),
            ';' => tokens.push(single(Tok::Semi)),
            c if c.is_alphanumeric() => {
                let mut end = at + c.len_utf8();
                while let Some(&(i, n)) = chars.peek() {
                    if !(n.is_alphanumeric() || n == ':' || n == '.') {
                        break;
                    }
                    end = i + n.len_utf8();
                    chars.next();
                }
                let text = &spec[at..end];
                let tok = if c.is_ascii_digit() {
                    Tok::Num(text)
                } else {
                    Tok::Word(text)
                };
                tokens.push(Token { tok, at, end });
            }
            other => {
                return Err(error(
                    at,
                    format!("unexpected `{other}` in opening hours"),
                    EXAMPLE,
                ));
            }
        }
    }
    Ok(tokens)
}

/// Parses one line such as `Mo-Th 09:00-18:00`, `Mo,We,Fr 10:00-14:00`,
/// `Sa 09:00-12:00, 13:00-15:00` or `Su off` (also `Su closed`); several rules may be
/// joined with `;`. Closed days produce no rule (a day without rules is closed) but still
/// count as given, so `Su off; Su 10:00-12:00` is refused. A trailing `;` is tolerated.
pub fn parse(spec: &str) -> Result<Vec<Rule>, HoursError> {
    parse_after(spec, [false; 7]).map(|(rules, _)| rules)
}

/// Parses the lines of a front-matter `hours:` list as one set of rules, so a day given
/// on two lines is refused too. The error says which line (0-based) and where in it.
pub fn parse_lines<S: AsRef<str>>(lines: &[S]) -> Result<Vec<Rule>, (usize, HoursError)> {
    let mut rules = Vec::new();
    let mut given = [false; 7];
    for (line, spec) in lines.iter().enumerate() {
        let (parsed, now_given) = parse_after(spec.as_ref(), given).map_err(|e| (line, e))?;
        rules.extend(parsed);
        given = now_given;
    }
    Ok(rules)
}

/// Parses one line, refusing days that `earlier` (earlier lines) already gave; returns
/// the rules and every day given so far, closed days included.
fn parse_after(spec: &str, earlier: [bool; 7]) -> Result<(Vec<Rule>, [bool; 7]), HoursError> {
    let tokens = lex(spec)?;
    if tokens.is_empty() {
        return Err(error(0, "no opening hours given", EXAMPLE));
    }
    let mut parser = Parser {
        spec,
        tokens,
        pos: 0,
        earlier,
        given: [false; 7],
        rules: Vec::new(),
    };
    loop {
        parser.rule()?;
        match parser.next() {
            None => break,
            Some(Token { tok: Tok::Semi, .. }) if parser.peek().is_none() => break,
            Some(Token { tok: Tok::Semi, .. }) => {}
            Some(t) => return Err(parser.unexpected_after_rule(t)),
        }
    }
    let mut given = earlier;
    for (all, now) in given.iter_mut().zip(parser.given) {
        *all |= now;
    }
    Ok((parser.rules, given))
}

fn repeated_day(offset: usize, day: Day, where_: &str) -> HoursError {
    error(
        offset,
        format!("{} already has hours in {where_}", day.name()),
        "give each day once; for a break in the day, list several ranges after a comma, \
         such as `Sa 09:00-12:00, 13:00-15:00`",
    )
}

struct Parser<'a> {
    spec: &'a str,
    tokens: Vec<Token<'a>>,
    pos: usize,
    /// Days given by earlier lines (see `parse_lines`), by `Day::index`.
    earlier: [bool; 7],
    /// Days given by earlier rules of this line, by `Day::index`.
    given: [bool; 7],
    rules: Vec<Rule>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let t = self.peek();
        self.pos += usize::from(t.is_some());
        t
    }

    fn text(&self, t: Token<'_>) -> &'a str {
        &self.spec[t.at..t.end]
    }

    /// `DAYS (off | closed | RANGE, RANGE…)`
    fn rule(&mut self) -> Result<(), HoursError> {
        let start = self.peek().map_or(0, |t| t.at);
        let days = self.days()?;
        let days_end = self.tokens[self.pos - 1].end;
        match self.peek() {
            Some(Token {
                tok: Tok::Word(w), ..
            }) if w.eq_ignore_ascii_case("off") || w.eq_ignore_ascii_case("closed") => {
                self.pos += 1;
            }
            Some(Token {
                tok: Tok::Num(_), ..
            }) => {
                let ranges = self.ranges()?;
                for (opens, closes) in ranges {
                    self.rules.push(Rule {
                        days: days.clone(),
                        opens,
                        closes,
                    });
                }
            }
            Some(
                t @ Token {
                    tok: Tok::Word(w), ..
                },
            ) if Day::from_code(w).is_some() => {
                return Err(error(
                    t.at,
                    format!("`{w}` follows the days without a comma"),
                    "separate days with commas, such as `Mo,We,Fr 10:00-14:00`",
                ));
            }
            Some(
                t @ Token {
                    tok: Tok::Word(w), ..
                },
            ) => {
                return Err(error(
                    t.at,
                    format!("`{w}` is not a time range"),
                    "after the days, write the hours such as `09:00-17:00`, or `off` for a closed day",
                ));
            }
            _ => {
                return Err(error(
                    days_end,
                    format!("`{}` has no opening hours", &self.spec[start..days_end]),
                    "add a time range after the days, such as `09:00-17:00`, or `off` for a closed day",
                ));
            }
        }
        for day in days {
            self.given[day.index()] = true;
        }
        Ok(())
    }

    /// `ITEM (, ITEM)*` where an item is a day or a forward range `Mo-Fr`.
    fn days(&mut self) -> Result<Vec<Day>, HoursError> {
        let mut in_rule = [false; 7];
        loop {
            let (start, t) = self.day()?;
            let mut item = vec![start];
            if let Some(Token { tok: Tok::Dash, .. }) = self.peek() {
                self.pos += 1;
                let (end, _) = self.day()?;
                if end < start {
                    return Err(backwards_range(t.at, start, end));
                }
                item = Day::ALL[start.index()..=end.index()].to_vec();
            }
            for day in item {
                if in_rule[day.index()] {
                    return Err(error(
                        t.at,
                        format!("{} is listed twice in this rule", day.name()),
                        "name each day once",
                    ));
                }
                if self.earlier[day.index()] {
                    return Err(repeated_day(t.at, day, "an earlier line"));
                }
                if self.given[day.index()] {
                    return Err(repeated_day(t.at, day, "an earlier rule"));
                }
                in_rule[day.index()] = true;
            }
            match self.peek() {
                Some(Token {
                    tok: Tok::Comma, ..
                }) => self.pos += 1,
                _ => break,
            }
        }
        Ok(Day::ALL
            .into_iter()
            .filter(|d| in_rule[d.index()])
            .collect())
    }

    fn day(&mut self) -> Result<(Day, Token<'a>), HoursError> {
        let Some(t) = self.next() else {
            let end = self.spec.trim_end().len();
            return Err(error(end, "a day is missing at the end", EXAMPLE));
        };
        match t.tok {
            Tok::Word(w) => match Day::from_code(w) {
                Some(day) => Ok((day, t)),
                None => Err(unknown_day(t.at, w)),
            },
            Tok::Num(n) => Err(error(
                t.at,
                format!("expected a day before `{n}`"),
                "start each rule with its days, such as `Mo-Fr 09:00-17:00`",
            )),
            _ => Err(error(
                t.at,
                format!("expected a day, found `{}`", self.text(t)),
                EXAMPLE,
            )),
        }
    }

    /// `RANGE (, RANGE)*`, sorted and checked not to overlap.
    fn ranges(&mut self) -> Result<Vec<(Time, Time)>, HoursError> {
        let mut ranges: Vec<(Time, Time, usize, &'a str)> = Vec::new();
        loop {
            let start = self.peek().map_or(self.spec.len(), |t| t.at);
            let (opens, closes) = self.range()?;
            let text = &self.spec[start..self.tokens[self.pos - 1].end];
            ranges.push((opens, closes, start, text));
            match self.peek() {
                Some(Token {
                    tok: Tok::Comma, ..
                }) => self.pos += 1,
                _ => break,
            }
            // `Mo 09:00-12:00, Tu 13:00-14:00` means two rules; say so rather than
            // "expected a time".
            if let Some(
                t @ Token {
                    tok: Tok::Word(w), ..
                },
            ) = self.peek()
                && Day::from_code(w).is_some()
            {
                return Err(error(
                    t.at,
                    format!("`{w}` comes after a comma among the times"),
                    "commas separate time ranges of the same days; start a rule for other days \
                     after `;`, such as `Mo 09:00-12:00; Tu 13:00-14:00`",
                ));
            }
        }
        // Out-of-order ranges are harmless; overlapping ones are a typo.
        ranges.sort_by_key(|r| (r.0, r.1));
        for pair in ranges.windows(2) {
            let (earlier, later) = (pair[0], pair[1]);
            if later.0 < earlier.1 {
                let at = later.2.max(earlier.2);
                let other = if at == later.2 { earlier.3 } else { later.3 };
                let this = if at == later.2 { later.3 } else { earlier.3 };
                return Err(error(
                    at,
                    format!("`{this}` overlaps `{other}`"),
                    "time ranges on the same days must not overlap",
                ));
            }
        }
        Ok(ranges.into_iter().map(|r| (r.0, r.1)).collect())
    }

    /// `TIME-TIME`, with the closing time after the opening time.
    fn range(&mut self) -> Result<(Time, Time), HoursError> {
        let (opens, open_tok) = self.time()?;
        if opens.hour == 24 {
            return Err(error(
                open_tok.at,
                "24:00 can only be a closing time",
                "write 00:00 for a range that opens at midnight",
            ));
        }
        match self.next() {
            Some(Token { tok: Tok::Dash, .. }) => {}
            other => {
                let at = other.map_or(open_tok.end, |t| t.at);
                let o = opens.hhmm();
                return Err(error(
                    at,
                    format!("the range starting at `{o}` has no closing time"),
                    format!(
                        "write the opening and closing times joined by `-`, such as `{o}-17:00`"
                    ),
                ));
            }
        }
        let (closes, close_tok) = self.time()?;
        if closes <= opens {
            return Err(error(
                close_tok.at,
                format!(
                    "the range closes at {} but opens at {}",
                    closes.hhmm(),
                    opens.hhmm()
                ),
                "the closing time must come after the opening time on the same day; \
                 write 24:00 for midnight, and hours past midnight are not supported",
            ));
        }
        Ok((opens, closes))
    }

    fn time(&mut self) -> Result<(Time, Token<'a>), HoursError> {
        match self.next() {
            Some(
                t @ Token {
                    tok: Tok::Num(n), ..
                },
            ) => parse_time(n, t.at).map(|time| (time, t)),
            Some(t) => Err(error(
                t.at,
                format!("expected a time, found `{}`", self.text(t)),
                "write 24-hour HH:MM such as 09:00 or 17:30",
            )),
            None => Err(error(
                self.spec.trim_end().len(),
                "a time is missing at the end",
                "write the closing time, such as `09:00-17:00`",
            )),
        }
    }

    fn unexpected_after_rule(&self, t: Token<'_>) -> HoursError {
        let text = self.text(t);
        let previous = self.tokens[self.pos - 2].tok;
        let help = match previous {
            Tok::Word(_) => "nothing may follow `off`; start another rule after `;`",
            _ => {
                "separate time ranges with `,` and rules with `;`, such as `Mo-Fr 09:00-17:00; Sa 10:00-12:00`"
            }
        };
        error(t.at, format!("unexpected `{text}`"), help)
    }
}

fn unknown_day(at: usize, word: &str) -> HoursError {
    let help = match Day::from_long_name(word) {
        Some(day) => format!("write `{}` for {}", day.code(), day.name()),
        None => EXAMPLE.to_string(),
    };
    error(
        at,
        format!("`{word}` is not a day; use Mo, Tu, We, Th, Fr, Sa or Su"),
        help,
    )
}

fn backwards_range(at: usize, start: Day, end: Day) -> HoursError {
    // Spell out the wrapped range the writer probably meant: `Fr-Mo` is `Fr-Su,Mo`.
    let tail = if end == Day::Mo {
        "Mo".to_string()
    } else {
        format!("Mo-{}", end.code())
    };
    let head = if start == Day::Su {
        "Su".to_string()
    } else {
        format!("{}-Su", start.code())
    };
    error(
        at,
        "day ranges go forward in the week, e.g. Mo-Fr",
        format!(
            "for {} through {}, write `{head},{tail}`",
            start.name(),
            end.name()
        ),
    )
}

/// `H:MM` or `HH:MM`, 00:00 to 24:00.
fn parse_time(text: &str, at: usize) -> Result<Time, HoursError> {
    let bad = || {
        error(
            at,
            format!("`{text}` is not a time; write 24-hour HH:MM such as 09:00 or 17:30"),
            TIME_HELP,
        )
    };
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, max_len| {
        (1..=max_len).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
        return Err(bad());
    }
    let hour: u8 = h.parse().map_err(|_| bad())?;
    let minute: u8 = m.parse().map_err(|_| bad())?;
    if minute > 59 || hour > 24 || (hour == 24 && minute != 0) {
        return Err(bad());
    }
    Ok(Time { hour, minute })
}

/// One day of a readable hours table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DayRow {
    pub day: &'static str,
    /// `9:00 AM – 6:00 PM`, several ranges joined with `, `, or `Closed`.
    pub hours: String,
    pub closed: bool,
}

/// The times a day is open, in order.
fn ranges_on(rules: &[Rule], day: Day) -> Vec<(Time, Time)> {
    let mut ranges: Vec<(Time, Time)> = rules
        .iter()
        .filter(|r| r.days.contains(&day))
        .map(|r| (r.opens, r.closes))
        .collect();
    ranges.sort();
    ranges.dedup();
    ranges
}

/// One row per day, Monday to Sunday; a day no rule names is closed.
pub fn table(rules: &[Rule]) -> Vec<DayRow> {
    Day::ALL
        .into_iter()
        .map(|day| {
            let ranges = ranges_on(rules, day);
            let hours = if ranges.is_empty() {
                "Closed".to_string()
            } else {
                ranges
                    .iter()
                    .map(|(o, c)| format!("{} – {}", o.display(), c.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            DayRow {
                day: day.name(),
                hours,
                closed: ranges.is_empty(),
            }
        })
        .collect()
}

/// schema.org `openingHoursSpecification` values: days sharing the same opening and
/// closing times are merged into one object, ordered by their first day.
pub fn schema(rules: &[Rule]) -> Vec<serde_json::Value> {
    let mut by_times: BTreeMap<(Time, Time), Vec<Day>> = BTreeMap::new();
    for rule in rules {
        by_times
            .entry((rule.opens, rule.closes))
            .or_default()
            .extend(&rule.days);
    }
    let mut groups: Vec<((Time, Time), Vec<Day>)> = by_times
        .into_iter()
        .map(|(times, mut days)| {
            days.sort();
            days.dedup();
            (times, days)
        })
        .collect();
    groups.sort_by_key(|(times, days)| (days.first().copied(), *times));
    groups
        .into_iter()
        .map(|((opens, closes), days)| {
            serde_json::json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days.iter().map(|d| d.schema_url()).collect::<Vec<_>>(),
                "opens": opens.hhmm(),
                "closes": closes.hhmm(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
        let rules =
            parse("Mo-Th 09:00-18:00; Fr 09:00-13:00; Sa 09:00-12:00, 13:30-15:00").unwrap();
        let rows = table(&rules);
        assert_eq!(rows.len(), 7);
        assert_eq!(
            rows[0],
            DayRow {
                day: "Monday",
                hours: "9:00 AM – 6:00 PM".into(),
                closed: false
            }
        );
        assert_eq!(rows[4].hours, "9:00 AM – 1:00 PM");
        assert_eq!(rows[5].hours, "9:00 AM – 12:00 PM, 1:30 PM – 3:00 PM");
        assert_eq!(
            rows[6],
            DayRow {
                day: "Sunday",
                hours: "Closed".into(),
                closed: true
            }
        );
        assert_eq!(table(&[])[2].hours, "Closed");
    }

    #[test]
    fn schema_groups_days_by_times() {
        let rules =
            parse("Mo-We 09:00-18:00; Th 12:00-20:00; Fr 09:00-18:00; Sa 10:00-24:00").unwrap();
        let values = schema(&rules);
        assert_eq!(values.len(), 3);
        assert_eq!(
            values[0],
            serde_json::json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [
                    "https://schema.org/Monday",
                    "https://schema.org/Tuesday",
                    "https://schema.org/Wednesday",
                    "https://schema.org/Friday"
                ],
                "opens": "09:00",
                "closes": "18:00"
            })
        );
        assert_eq!(values[1]["dayOfWeek"][0], "https://schema.org/Thursday");
        assert_eq!(values[2]["closes"], "24:00");
        assert!(schema(&[]).is_empty());
    }

    #[test]
    fn day_names_and_urls() {
        assert_eq!(Day::ALL.map(Day::code).join(","), "Mo,Tu,We,Th,Fr,Sa,Su");
        assert_eq!(Day::Su.name(), "Sunday");
        assert_eq!(Day::We.schema_url(), "https://schema.org/Wednesday");
    }
}
