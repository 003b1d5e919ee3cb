//! Downloads the images an imported page shows, with timeouts and a size limit, and names
//! them for the page's bundle. What cannot be fetched (no answer, an error status, too big,
//! not an image) comes back as a reason, for the report.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// No image may take longer than this, from the first byte asked to the last received.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for a host to accept the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest image kept: a photo straight from a camera is well under this.
pub(crate) const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// An image downloaded: its bytes and the file extension its content calls for.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    pub bytes: Vec<u8>,
    pub extension: &'static str,
}

/// Fetches images, remembering the URLs that failed so that an image shown on many pages
/// is not asked for again, nor a host that did not answer. (The images fetched are not
/// kept here: the caller copies a staged file instead, so memory holds one image at a time.)
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    failed: HashMap<String, String>,
    unreachable_hosts: HashSet<String>,
}

impl Fetcher {
    pub fn new() -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .http_status_as_error(false)
            .user_agent("hearth import")
            .build()
            .into();
        Fetcher {
            agent,
            failed: HashMap::new(),
            unreachable_hosts: HashSet::new(),
        }
    }

    /// The image at `url`, or why it could not be had.
    pub fn fetch(&mut self, url: &str) -> Result<Fetched, String> {
        if let Some(why) = self.failed.get(url) {
            return Err(why.clone());
        }
        let host = host(url).to_string();
        let result = if !(url.starts_with("http://") || url.starts_with("https://")) {
            Err("not a web address (an image written into the page itself?)".to_string())
        } else if self.unreachable_hosts.contains(&host) {
            Err(format!("{host} did not answer earlier in this import"))
        } else {
            match self.download(url) {
                Err(Unreached(reason)) => {
                    self.unreachable_hosts.insert(host);
                    Err(reason)
                }
                Ok(answer) => answer,
            }
        };
        if let Err(why) = &result {
            self.failed.insert(url.to_string(), why.clone());
        }
        result
    }

    /// Outer error: the host could not be reached; inner: it answered, but not an image.
    fn download(&self, url: &str) -> Result<Result<Fetched, String>, Unreached> {
        let mut response = match self.agent.get(url).call() {
            Ok(response) => response,
            Err(ureq::Error::Timeout(_)) => return Err(Unreached("no answer in time".into())),
            Err(ureq::Error::Io(e)) => return Err(Unreached(format!("no connection ({e})"))),
            Err(ureq::Error::HostNotFound) => {
                return Err(Unreached("the host name is not known".into()));
            }
            Err(e) => return Ok(Err(e.to_string())),
        };
        let status = response.status();
        if !status.is_success() {
            return Ok(Err(format!("the server answered {status}")));
        }
        let bytes = match response
            .body_mut()
            .with_config()
            .limit(MAX_BYTES)
            .read_to_vec()
        {
            Ok(bytes) => bytes,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return Ok(Err(format!("larger than {} MB", MAX_BYTES / (1024 * 1024))));
            }
            Err(e) => return Ok(Err(e.to_string())),
        };
        Ok(match image_extension(&bytes) {
            Some(extension) => Ok(Fetched { bytes, extension }),
            None => Err("what came back is not a PNG, JPEG, GIF or WebP image".into()),
        })
    }
}

/// Why a host could not be reached at all.
struct Unreached(String);

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// The extension for an image's bytes, from their signature.
fn image_extension(bytes: &[u8]) -> Option<&'static str> {
    match image::guess_format(bytes).ok()? {
        image::ImageFormat::Png => Some("png"),
        image::ImageFormat::Jpeg => Some("jpg"),
        image::ImageFormat::Gif => Some("gif"),
        image::ImageFormat::WebP => Some("webp"),
        _ => None,
    }
}

/// A file name for the image from `url` with `extension`, unique among `taken` (which it
/// joins): the URL's last segment, decoded and made plain (`Señal 1.JPG` →
/// `senal-1.jpg`).
pub(crate) fn file_name(url: &str, extension: &str, taken: &mut HashSet<String>) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    let decoded = percent_decode(last);
    let stem = decoded
        .rsplit_once('.')
        .map_or(decoded.as_str(), |(stem, _)| stem);
    let mut stem = slug::slugify(stem);
    if stem.is_empty() {
        stem = "image".into();
    }
    let mut name = format!("{stem}.{extension}");
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{stem}-{n}.{extension}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// `%C3%B1` → `ñ`; invalid sequences are kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_and_unique() {
        let mut taken = HashSet::new();
        let url = "https://old.example/wp-content/uploads/2019/03/Se%C3%B1al%201.JPG?w=300";
        assert_eq!(file_name(url, "jpg", &mut taken), "senal-1.jpg");
        assert_eq!(file_name(url, "jpg", &mut taken), "senal-1-2.jpg");
        assert_eq!(
            file_name("https://old.example/", "png", &mut taken),
            "image.png"
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
