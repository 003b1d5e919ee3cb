//! Cuts an hours string into tokens, each with its byte range, so errors point at it.

use super::error::{EXAMPLE, HoursError, error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    /// Letters first: a day or `off`/`closed`.
    Word(&'a str),
    /// Digit first: meant to be a time, checked when parsed.
    Num(&'a str),
    Dash,
    Comma,
    Semi,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'a> {
    pub(super) tok: Tok<'a>,
    pub(super) at: usize,
    pub(super) end: usize,
}

/// Splits the input into tokens. Word and number tokens swallow any letters, digits, `:`
/// and `.` that follow, so `9am` or `09.00` is reported whole rather than half-read.
pub(super) fn lex(spec: &str) -> Result<Vec<Token<'_>>, HoursError> {
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
