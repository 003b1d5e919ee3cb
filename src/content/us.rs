//! US facts for validation: state codes and their names, phone numbers, emails and URLs.
//!
//! These checks catch typos in front matter before they reach a visitor; they are
//! deliberately plausibility checks, not full RFC parsers. Errors are plain sentences
//! that show what a valid value looks like, for the caller to wrap in a diagnostic.

/// USPS codes of the states, DC and the inhabited territories, in code order.
const STATES: [(&str, &str); 56] = [
    ("AK", "Alaska"),
    ("AL", "Alabama"),
    ("AR", "Arkansas"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DC", "District of Columbia"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("IA", "Iowa"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("MA", "Massachusetts"),
    ("MD", "Maryland"),
    ("ME", "Maine"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MO", "Missouri"),
    ("MP", "Northern Mariana Islands"),
    ("MS", "Mississippi"),
    ("MT", "Montana"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("NE", "Nebraska"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NV", "Nevada"),
    ("NY", "New York"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VA", "Virginia"),
    ("VI", "U.S. Virgin Islands"),
    ("VT", "Vermont"),
    ("WA", "Washington"),
    ("WI", "Wisconsin"),
    ("WV", "West Virginia"),
    ("WY", "Wyoming"),
];

/// Full name of a US state, DC or territory from its two-letter USPS code ("OR" →
/// "Oregon"). Uppercase only: that is how USPS writes them, and `or` is more likely a
/// mistake than a state.
pub fn state_name(code: &str) -> Option<&'static str> {
    STATES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| STATES[i].1)
}

/// The states whose names Spanish writes its own way (Fundéu's usage); the others keep
/// their English name in Spanish.
const SPANISH: [(&str, &str); 17] = [
    ("DC", "Distrito de Columbia"),
    ("HI", "Hawái"),
    ("LA", "Luisiana"),
    ("MI", "Míchigan"),
    ("MO", "Misuri"),
    ("MS", "Misisipi"),
    ("NC", "Carolina del Norte"),
    ("ND", "Dakota del Norte"),
    ("NH", "Nuevo Hampshire"),
    ("NJ", "Nueva Jersey"),
    ("NM", "Nuevo México"),
    ("NY", "Nueva York"),
    ("OR", "Oregón"),
    ("PA", "Pensilvania"),
    ("SC", "Carolina del Sur"),
    ("SD", "Dakota del Sur"),
    ("WV", "Virginia Occidental"),
];

/// A state's name for readers of `lang` (`es`, `es-MX`): Spanish has names of its own for
/// some; every other language gets the English name.
pub fn state_name_in(code: &str, lang: &str) -> Option<&'static str> {
    let english = state_name(code)?;
    if (lang == "es" || lang.starts_with("es-"))
        && let Ok(i) = SPANISH.binary_search_by(|(c, _)| (*c).cmp(code))
    {
        return Some(SPANISH[i].1);
    }
    Some(english)
}

/// All codes, for "did you mean" hints.
pub fn state_codes() -> impl Iterator<Item = &'static str> {
    STATES.iter().map(|(code, _)| *code)
}

const PHONE_EXAMPLE: &str = "+1 503 555 0142 or (503) 555-0142";

/// A phone number a person can dial: optional leading `+`, digits with spaces, dots,
/// hyphens or parentheses; 10 digits for a US number (or 11 starting with 1), or `+` and
/// 8–15 digits for an international one. Returns the `tel:` form (`+15035550142`).
pub fn phone(s: &str) -> Result<String, String> {
    let s = s.trim();
    let bad = |why: &str| {
        Err(format!(
            "`{s}` is not a phone number {why}; write it like {PHONE_EXAMPLE}, \
             or an international number starting with + and the country code"
        ))
    };
    let (plus, rest) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if let Some(c) = rest
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')')))
    {
        return bad(&format!("(it contains `{c}`)"));
    }
    if !parentheses_balanced(rest) {
        return bad("(its parentheses do not match)");
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    // NANP numbers (country code 1) always have 10 digits after the 1, so `+1` with any
    // other length is a typo rather than a foreign number.
    let us = match (plus, n) {
        (true, _) if digits.starts_with('1') => {
            if n != 11 {
                return bad(&format!(
                    "(a +1 number has 10 digits after the 1, this has {})",
                    n - 1
                ));
            }
            &digits[1..]
        }
        (true, 8..=15) => return Ok(format!("+{digits}")),
        (true, _) => {
            return bad(&format!(
                "(an international number has 8 to 15 digits, this has {n})"
            ));
        }
        (false, 10) => &digits[..],
        (false, 11) if digits.starts_with('1') => &digits[1..],
        (false, _) => {
            return bad(&format!("(a US number has 10 digits, this has {n})"));
        }
    };
    // Neither the area code nor the exchange may start with 0 or 1 in the NANP.
    if us.starts_with(['0', '1']) || us[3..].starts_with(['0', '1']) {
        return bad("(a US area code and exchange never start with 0 or 1)");
    }
    Ok(format!("+1{us}"))
}

/// Parentheses pair up and do not nest: `(503) 555-0142`.
fn parentheses_balanced(s: &str) -> bool {
    let mut open = false;
    for c in s.chars() {
        match (c, open) {
            ('(', false) => open = true,
            (')', true) => open = false,
            ('(' | ')', _) => return false,
            _ => {}
        }
    }
    !open
}

const EMAIL_EXAMPLE: &str = "such as hello@your-practice.com";

/// A plausible email address: one `@`, a non-empty local part, a domain with a dot, no
/// spaces. Plausible rather than RFC-valid, which allows forms no practice would use.
pub fn email(s: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "`{s}` is not an email address: {why}; write one {EMAIL_EXAMPLE}"
        ))
    };
    if s.is_empty() {
        return Err(format!(
            "the email address is empty; write one {EMAIL_EXAMPLE}"
        ));
    }
    if s.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        return bad("leave out `mailto:`, it is added where needed");
    }
    if s.chars().any(char::is_whitespace) {
        return bad("it contains a space");
    }
    if let Some(c) = s.chars().find(|c| "<>()[]\\,;:\"".contains(*c)) {
        return bad(&format!("it contains `{c}`"));
    }
    let (local, domain) = match s.split('@').collect::<Vec<_>>()[..] {
        [local, domain] => (local, domain),
        [_] => return bad("it has no `@`"),
        _ => return bad("it has more than one `@`"),
    };
    if local.is_empty() {
        return bad("nothing comes before the `@`");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return bad("the part before the `@` has a misplaced dot");
    }
    host_name(domain)
        .map_err(|why| format!("`{s}` is not an email address: {why}; write one {EMAIL_EXAMPLE}"))
}

/// A domain name with at least one dot: labels of letters, digits and inner hyphens.
fn host_name(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the domain is missing".into());
    }
    if !host.contains('.') {
        return Err(format!("the domain `{host}` has no dot"));
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(format!(
                "the domain `{host}` has an empty part between dots"
            ));
        }
        if label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(format!("`{label}` is not a valid part of a domain name"));
        }
    }
    Ok(())
}

/// Splits `host:port`, minding the colons inside a bracketed IPv6 host (`[::1]:8080`);
/// `None` when something follows the closing bracket other than a port.
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, rest) = authority.split_at(close + 1);
        return match rest {
            "" => Some((host, None)),
            _ => rest.strip_prefix(':').map(|port| (host, Some(port))),
        };
    }
    Some(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

const URL_EXAMPLE: &str = "such as https://www.example.org/booking";

/// An absolute `http(s)` URL with a host.
pub fn url(s: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "`{s}` is not a full web address: {why}; write it {URL_EXAMPLE}"
        ))
    };
    if s.is_empty() {
        return Err(format!("the web address is empty; write it {URL_EXAMPLE}"));
    }
    if s.chars().any(char::is_whitespace) {
        return bad("it contains a space (write spaces as %20)");
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return if s.starts_with('/') || s.starts_with('@') {
            bad("it is a link within the site, but this needs an absolute address")
        } else {
            bad("it does not start with https://")
        };
    };
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return bad(&format!(
            "only http and https addresses are allowed, not `{scheme}`"
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // `user:password@` before the host is legal but never wanted on a public site.
    if authority.contains('@') {
        return bad("it contains a user name or password before the host");
    }
    let (host, port) = match split_port(authority) {
        Some(parts) => parts,
        None => return bad(&format!("`{authority}` is not a host name")),
    };
    if let Some(port) = port
        && port.parse::<u16>().map_or(true, |p| p == 0)
    {
        return bad(&format!("`{port}` is not a port number"));
    }
    if host.is_empty() {
        return bad("the host name is missing");
    }
    // A bracketed IPv6 literal or `localhost` has no dot but is still a host.
    if let Some(ip) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return if !ip.is_empty()
            && ip
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            Ok(())
        } else {
            bad(&format!("`{host}` is not an IP address"))
        };
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(());
    }
    host_name(host).or_else(|why| bad(&why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_state_names() {
        assert!(
            SPANISH.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted by code"
        );
        assert_eq!(state_name_in("OR", "es"), Some("Oregón"));
        assert_eq!(state_name_in("NY", "es-MX"), Some("Nueva York"));
        assert_eq!(state_name_in("WA", "es"), Some("Washington"));
        assert_eq!(state_name_in("OR", "en"), Some("Oregon"));
        assert_eq!(state_name_in("XX", "es"), None);
    }

    #[test]
    fn state_names() {
        assert_eq!(state_name("OR"), Some("Oregon"));
        assert_eq!(state_name("WA"), Some("Washington"));
        assert_eq!(state_name("DC"), Some("District of Columbia"));
        assert_eq!(state_name("PR"), Some("Puerto Rico"));
        assert_eq!(state_name("AK"), Some("Alaska"));
        assert_eq!(state_name("WY"), Some("Wyoming"));
        assert_eq!(state_name("or"), None);
        assert_eq!(state_name("XX"), None);
        assert_eq!(state_name(""), None);
        assert_eq!(state_name("ORE"), None);
    }

    #[test]
    fn state_codes_are_sorted_unique_and_complete() {
        let codes: Vec<_> = state_codes().collect();
        assert_eq!(codes.len(), 56);
        // `state_name` binary-searches, so the table must stay sorted.
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 2 && state_name(c).is_some())
        );
    }

    #[test]
    fn us_phone_numbers() {
        for ok in [
            "+1 503 555 0142",
            "(503) 555-0142",
            "503.555.0142",
            "503-555-0142",
            "5035550142",
            "1 503 555 0142",
            "1-503-555-0142",
            "+1 (503) 555-0142",
            "  503 555 0142 ",
        ] {
            assert_eq!(phone(ok).as_deref(), Ok("+15035550142"), "{ok}");
        }
    }

    #[test]
    fn international_phone_numbers() {
        assert_eq!(phone("+44 20 7946 0958").unwrap(), "+442079460958");
        assert_eq!(phone("+49 (30) 1234-5678").unwrap(), "+493012345678");
        assert!(phone("+12345678").unwrap_err().contains("+1 number"));
    }

    #[test]
    fn bad_phone_numbers() {
        for (bad, why) in [
            ("", "has 0"),
            ("555 0142", "has 7"),
            ("503 555 01422", "has 11"),
            ("2 503 555 0142", "has 11"),
            ("+1 503 555 014", "this has 9"),
            ("+44 1234", "this has 6"),
            ("+4412345678901234", "this has 16"),
            ("503-555-0142 ext 3", "contains `e`"),
            ("503+555+0142", "contains `+`"),
            ("(503 555-0142", "parentheses"),
            ("((503)) 555-0142", "parentheses"),
            ("012 555 0142", "never start with 0 or 1"),
            ("503 155 0142", "never start with 0 or 1"),
        ] {
            let message = phone(bad).expect_err(bad);
            assert!(message.contains(why), "{bad}: {message}");
            assert!(
                message.contains("+1 503 555 0142 or (503) 555-0142"),
                "{message}"
            );
        }
    }

    #[test]
    fn good_emails() {
        for ok in [
            "hello@cedar-and-ember.example",
            "first.last+tag@mail.example.org",
            "a@b.co",
            "info@bücher.de",
        ] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn bad_emails() {
        for (bad, why) in [
            ("", "empty"),
            ("hello.example.com", "no `@`"),
            ("a@b@example.com", "more than one `@`"),
            ("@example.com", "nothing comes before"),
            ("hello@", "domain is missing"),
            ("hello@localhost", "no dot"),
            ("hello@example..com", "empty part"),
            ("hello@.example.com", "empty part"),
            ("hello@-x.example", "`-x`"),
            ("hello @example.com", "space"),
            ("mailto:hello@example.com", "mailto"),
            ("Jo <jo@example.com>", "space"),
            ("jo@example.com,", "`,`"),
            (".jo@example.com", "misplaced dot"),
        ] {
            let message = email(bad).expect_err(bad);
            assert!(message.contains(why), "{bad}: {message}");
            assert!(message.contains("hello@your-practice.com"), "{message}");
        }
    }

    #[test]
    fn good_urls() {
        for ok in [
            "https://www.example.org",
            "https://www.example.org/booking?who=couples#top",
            "http://example.org/",
            "HTTPS://Example.org",
            "https://example.org:8443/path",
            "http://localhost:1111/",
            "https://[2001:db8::1]/",
            "https://[2001:db8::1]:8080/",
        ] {
            assert_eq!(url(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn bad_urls() {
        for (bad, why) in [
            ("", "empty"),
            ("www.example.org", "does not start with https://"),
            ("/about/", "within the site"),
            ("@/about.md", "within the site"),
            ("ftp://example.org", "only http and https"),
            ("mailto:hello@example.org", "does not start with https://"),
            ("https://", "host name is missing"),
            ("https:///path", "host name is missing"),
            ("https://exa mple.org", "space"),
            ("https://example", "no dot"),
            ("https://example..org", "empty part"),
            ("https://example.org:99999/", "port"),
            ("https://example.org:/", "port"),
            ("https://user:pw@example.org/", "user name"),
            ("https://exa_mple.org", "`exa_mple`"),
            ("https://[::1]x/", "not a host name"),
            ("https://[zz]/", "not an IP address"),
            ("https://example.org:0/", "port"),
        ] {
            let message = url(bad).expect_err(bad);
            assert!(message.contains(why), "{bad}: {message}");
            assert!(
                message.contains("https://www.example.org/booking"),
                "{message}"
            );
        }
    }
}
