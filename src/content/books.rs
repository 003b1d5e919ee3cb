//! Book rules: ISBN checksums, covers with alt text, and the outbound links built from
//! the ISBN with the patterns in `site.toml`.

use std::path::{Path, PathBuf};

use super::Page;
use super::kinds::{BookMeta, Meta};
use crate::config::BooksConfig;
use crate::diagnostics::Diagnostic;

/// Why an ISBN was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IsbnError {
    #[error("an ISBN has 10 or 13 digits, this one has {0}")]
    Length(usize),
    #[error("an ISBN may only contain digits, hyphens and spaces (and a final X in ISBN-10)")]
    Character,
    #[error(
        "the check digit is wrong (expected {expected}, found {found}); a digit is probably mistyped"
    )]
    Checksum { expected: char, found: char },
}

/// A checked ISBN in its 13-digit form (an ISBN-10 is converted), the form shops,
/// libraries and schema.org take. Made only by [`Isbn::parse`], so whoever holds one never
/// checks it again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Isbn(String);

impl Isbn {
    /// Checks an ISBN-10 or ISBN-13 as written (hyphens and spaces allowed).
    pub fn parse(raw: &str) -> Result<Isbn, IsbnError> {
        let chars: Vec<char> = raw.chars().filter(|c| *c != '-' && *c != ' ').collect();
        match chars.len() {
            10 => isbn10_as_13(&chars).map(Isbn),
            13 => checked_isbn13(&chars).map(Isbn),
            n => Err(IsbnError::Length(n)),
        }
    }

    /// The 13 digits, without hyphens: `9780306406157`.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

fn isbn10_as_13(chars: &[char]) -> Result<String, IsbnError> {
    let (body, check) = chars.split_at(9);
    if !body.iter().all(char::is_ascii_digit)
        || !(check[0].is_ascii_digit() || check[0] == 'X' || check[0] == 'x')
    {
        return Err(IsbnError::Character);
    }
    let sum: u32 = body
        .iter()
        .zip((2..=10).rev())
        .map(|(c, w)| digit(*c) * w)
        .sum();
    let expected = match (11 - sum % 11) % 11 {
        10 => 'X',
        d => char::from_digit(d, 10).unwrap_or('0'),
    };
    let found = check[0].to_ascii_uppercase();
    if expected != found {
        return Err(IsbnError::Checksum { expected, found });
    }
    let mut isbn13: String = "978".chars().chain(body.iter().copied()).collect();
    isbn13.push(isbn13_check(&isbn13));
    Ok(isbn13)
}

fn checked_isbn13(chars: &[char]) -> Result<String, IsbnError> {
    if !chars.iter().all(char::is_ascii_digit) {
        return Err(IsbnError::Character);
    }
    let body: String = chars[..12].iter().collect();
    let expected = isbn13_check(&body);
    if expected != chars[12] {
        return Err(IsbnError::Checksum {
            expected,
            found: chars[12],
        });
    }
    Ok(chars.iter().collect())
}

fn digit(c: char) -> u32 {
    c.to_digit(10).unwrap_or(0)
}

fn isbn13_check(first12: &str) -> char {
    let sum: u32 = first12
        .chars()
        .enumerate()
        .map(|(i, c)| digit(c) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10).unwrap_or('0')
}

/// An outbound link for a book (a shop or a library), built from a `{isbn}` pattern.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct BookLink {
    pub label: String,
    pub url: String,
    pub affiliate: bool,
}

pub fn book_links(config: &BooksConfig, isbn: &Isbn) -> Vec<BookLink> {
    let mut links = Vec::new();
    if let Some(pattern) = &config.store_url {
        links.push(BookLink {
            label: config
                .store_name
                .clone()
                .unwrap_or_else(|| "Buy from a bookshop".into()),
            url: pattern.replace("{isbn}", isbn.digits()),
            affiliate: config.affiliate,
        });
    }
    if let Some(pattern) = &config.library_url {
        links.push(BookLink {
            label: config
                .library_name
                .clone()
                .unwrap_or_else(|| "Find it in a library".into()),
            url: pattern.replace("{isbn}", isbn.digits()),
            affiliate: false,
        });
    }
    links
}

/// Where a book's cover file sits: beside the book's Markdown.
pub fn cover_path(root: &Path, page: &Page, cover: &str) -> PathBuf {
    root.join(&page.path)
        .parent()
        .map_or_else(|| root.to_path_buf(), Path::to_path_buf)
        .join(cover)
}

/// Checks every book's ISBN and cover, and stores the checked ISBN on its page.
pub fn validate(root: &Path, pages: &mut [Page], diags: &mut Vec<Diagnostic>) {
    for page in pages.iter_mut() {
        let Meta::Book(book) = &page.meta else {
            continue;
        };
        let isbn = match book.isbn.as_deref().map(Isbn::parse) {
            Some(Err(e)) => {
                diags.push(isbn_error(page, book, &e));
                None
            }
            Some(Ok(isbn)) => Some(isbn),
            None => None,
        };
        diags.extend(validate_cover(root, page, book));
        page.isbn = isbn;
    }
}

fn isbn_error(page: &Page, book: &BookMeta, e: &IsbnError) -> Diagnostic {
    let written = book.isbn.as_deref().unwrap_or_default();
    page.locate(
        "isbn",
        written,
        Diagnostic::error(&page.path, format!("invalid ISBN `{written}`: {e}")).with_help(
            "copy the ISBN-13 (or ISBN-10) from the book's copyright page or back cover",
        ),
    )
}

fn validate_cover(root: &Path, page: &Page, book: &BookMeta) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |key: &str, value: &str, d: Diagnostic| page.locate(key, value, d);
    if let Some(cover) = &book.cover {
        if book.cover_alt.is_none() {
            problems.push(at(
                "cover",
                cover,
                Diagnostic::error(&page.path, "the cover has no alt text")
                    .with_help("add `cover_alt: \"Cover: …\"` describing the cover; write `cover_alt: \"\"` only if the cover is purely decorative"),
            ));
        }
        if !cover_path(root, page, cover).is_file() {
            problems.push(at(
                "cover",
                cover,
                Diagnostic::error(
                    &page.path,
                    format!("the cover image `{cover}` does not exist"),
                )
                .with_help(
                    "put the image file beside the book's Markdown file, or fix the file name",
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(raw: &str) -> Result<String, IsbnError> {
        Isbn::parse(raw).map(|isbn| isbn.digits().to_string())
    }

    #[test]
    fn valid_isbn13_and_isbn10() {
        assert_eq!(digits("978-0-306-40615-7").unwrap(), "9780306406157");
        assert_eq!(digits("0-306-40615-2").unwrap(), "9780306406157");
        assert_eq!(digits("0-8044-2957-X").unwrap(), "9780804429573");
        assert_eq!(digits("0 8044 2957 x").unwrap(), "9780804429573");
    }

    #[test]
    fn bad_checksums_are_named() {
        assert_eq!(
            digits("978-0-306-40615-8"),
            Err(IsbnError::Checksum {
                expected: '7',
                found: '8'
            })
        );
        assert_eq!(
            digits("0-306-40615-3"),
            Err(IsbnError::Checksum {
                expected: '2',
                found: '3'
            })
        );
    }

    #[test]
    fn wrong_length_or_characters() {
        assert_eq!(digits("12345"), Err(IsbnError::Length(5)));
        assert_eq!(digits("97803064061AB"), Err(IsbnError::Character));
    }

    #[test]
    fn links_fill_the_pattern() {
        let config = BooksConfig {
            store_url: Some("https://shop.example/isbn/{isbn}".into()),
            library_url: Some("https://lib.example/search?q={isbn}".into()),
            affiliate: true,
            ..Default::default()
        };
        let isbn = Isbn::parse("978-0-306-40615-7").unwrap();
        let links = book_links(&config, &isbn);
        assert_eq!(links[0].url, "https://shop.example/isbn/9780306406157");
        assert!(links[0].affiliate);
        assert_eq!(links[1].url, "https://lib.example/search?q=9780306406157");
        assert!(!links[1].affiliate);
    }
}
