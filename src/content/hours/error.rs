//! Why an hours string was refused: the error type and the messages shared by the
//! lexer and the parser.

use super::Day;

/// Why an hours string was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HoursError {
    /// Byte offset in the input string of the token at fault.
    pub offset: usize,
    pub message: String,
    pub help: String,
}

pub(super) fn error(
    offset: usize,
    message: impl Into<String>,
    help: impl Into<String>,
) -> HoursError {
    HoursError {
        offset,
        message: message.into(),
        help: help.into(),
    }
}

pub(super) const EXAMPLE: &str =
    "write the days, then the hours, such as `Mo-Fr 09:00-17:00` or `Su off`";
pub(super) const TIME_HELP: &str =
    "hours run from 00 to 23 and minutes from 00 to 59; 24:00 may close a range";

pub(super) fn repeated_day(offset: usize, day: Day, where_: &str) -> HoursError {
    error(
        offset,
        format!("{} already has hours in {where_}", day.name()),
        "give each day once; for a break in the day, list several ranges after a comma, \
         such as `Sa 09:00-12:00, 13:00-15:00`",
    )
}

pub(super) fn unknown_day(at: usize, word: &str) -> HoursError {
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

pub(super) fn backwards_range(at: usize, start: Day, end: Day) -> HoursError {
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
