//! The practice's phone number, checked once when `site.toml` is read: the form it was
//! written in (what readers see) and the international form (what `tel:` links and
//! structured data need).

use serde::{Serialize, Serializer};

use crate::content::us;

/// A phone number a person can dial, made only by [`Phone::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    written: String,
    /// `+` and the digits: `+15035550142`.
    e164: String,
}

/// Why a phone number was refused: a sentence saying what a valid one looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PhoneError(String);

impl Phone {
    /// Checks a number as written: 10 US digits (or 11 starting with 1), or `+` and a
    /// country code; spaces, dots, hyphens and parentheses may separate the digits.
    pub fn parse(written: &str) -> Result<Phone, PhoneError> {
        let e164 = us::phone(written).map_err(PhoneError)?;
        Ok(Phone {
            written: written.to_string(),
            e164,
        })
    }

    /// The number as written in `site.toml`: `(503) 555-0142`.
    pub fn display(&self) -> &str {
        &self.written
    }

    /// The international form, `+15035550142`, as schema.org's `telephone` takes it.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// A link that dials the number on a phone: `tel:+15035550142`.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.e164)
    }
}

/// Templates see the number as it was written (`site.practice.phone`).
impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_written_form_beside_the_dialable_one() {
        let phone = Phone::parse("(503) 555-0142").unwrap();
        assert_eq!(phone.display(), "(503) 555-0142");
        assert_eq!(phone.e164(), "+15035550142");
        assert_eq!(phone.tel_uri(), "tel:+15035550142");
        assert_eq!(
            serde_json::to_value(&phone).unwrap(),
            serde_json::json!("(503) 555-0142")
        );
    }

    #[test]
    fn international_numbers_keep_their_country_code() {
        let phone = Phone::parse("+44 20 7946 0958").unwrap();
        assert_eq!(phone.e164(), "+442079460958");
    }

    #[test]
    fn a_bad_number_says_what_a_good_one_looks_like() {
        let e = Phone::parse("555-01").unwrap_err();
        assert!(e.to_string().contains("(503) 555-0142"), "{e}");
    }
}
