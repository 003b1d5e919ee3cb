//! Parses tokens into rules: days, time ranges, and the checks that refuse a day given
//! twice, ranges that overlap or run backwards, and times that do not exist.

use super::error::{
    EXAMPLE, HoursError, TIME_HELP, backwards_range, error, repeated_day, unknown_day,
};
use super::lex::{Tok, Token, lex};
use super::{Day, Rule, Time};

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
