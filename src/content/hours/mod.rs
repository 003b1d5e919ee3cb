//! Opening hours: the model (days, times, rules) that `hours:` in a counseling page's
//! front matter is parsed into, and the readable table pages show.
//!
//! The syntax is a small, strict subset of the OpenStreetMap `opening_hours` style:
//! `DAYS TIME-TIME[, TIME-TIME…]` or `DAYS off`, with several rules joined by `;`.
//! Strict because a typo in opening hours sends a couple to a locked door; every error
//! carries the byte offset of the token at fault so the caller can point at it. The
//! parser is in `parse.rs` (tokens in `lex.rs`, messages in `error.rs`); schema.org's
//! form of the hours is made where the other structured data is, in `render/schema.rs`.

mod error;
mod lex;
mod parse;
#[cfg(test)]
mod tests;

pub use error::HoursError;
pub use parse::{parse, parse_lines};

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

    /// The 24-hour form most other languages write: `9:00`, `18:30`, `24:00`.
    pub fn display_24h(self) -> String {
        format!("{}:{:02}", self.hour, self.minute)
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

/// One day of a readable hours table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DayRow {
    pub day: &'static str,
    /// `9:00 AM – 6:00 PM`, several ranges joined with `, `, or `Closed`.
    pub hours: String,
    /// The same on a 24-hour clock (`9:00 – 18:00`), for a theme whose language writes it
    /// so (the theme string `clock`).
    pub hours_24h: String,
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
            let joined = |form: fn(Time) -> String| {
                if ranges.is_empty() {
                    "Closed".to_string()
                } else {
                    ranges
                        .iter()
                        .map(|(o, c)| format!("{} – {}", form(*o), form(*c)))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            DayRow {
                day: day.name(),
                hours: joined(Time::display),
                hours_24h: joined(Time::display_24h),
                closed: ranges.is_empty(),
            }
        })
        .collect()
}
