//! The preview server's HTTP side: safe path resolution, content types, no caching, the
//! site's 404 page, and the live-reload script and event stream (server-sent events).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where the live-reload script and its event stream are served.
pub const LIVE_JS: &str = "/__hearth/live.js";
pub const EVENTS: &str = "/__hearth/events";
pub const STATUS: &str = "/__hearth/status";

/// Injected before `</body>` of every HTML page in serve (never in a build).
pub const LIVE_TAG: &str = "<script src=\"/__hearth/live.js\" defer></script>";

/// The request path as a file path inside the site (`/a/b/` → `a/b/index.html`), or the
/// status to answer: 400 for anything that tries to leave the site.
///
/// The path is only a key into the files `serve` holds in memory; nothing is opened under
/// the output folder, so a link there cannot be followed. Copied files are read from
/// their sources, which pass the same rule as in a build (`crate::inside`).
pub fn resolve(raw_path: &str) -> Result<String, StatusCode> {
    let lower = raw_path.to_ascii_lowercase();
    // Encoded dots, slashes, backslashes and NUL are never needed by our URLs.
    if ["%2e", "%2f", "%5c", "%00"]
        .iter()
        .any(|bad| lower.contains(bad))
        || raw_path.contains('\0')
    {
        return Err(StatusCode::BAD_REQUEST);
    }
    let decoded = percent_decode(raw_path).ok_or(StatusCode::BAD_REQUEST)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(StatusCode::BAD_REQUEST),
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Ok(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A response with the right content type and no caching (a preview must never be stale).
pub fn file_response(status: StatusCode, path: &str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds the live-reload script to an HTML page.
pub fn inject_live_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{LIVE_TAG}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_TAG}").into_bytes(),
    }
}

/// The script that reloads the page after a rebuild, shows build errors as an overlay and
/// the last build's warnings in a panel.
pub const LIVE_SCRIPT: &str = r#"// hearth serve: reload after each rebuild; show build errors over the page.
(() => {
  const overlay = (text) => {
    let box = document.getElementById("hearth-error-overlay");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "hearth-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,16,14,.94);color:#fbe9e2;padding:2rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last change could not be built. The page below is the last good version.\n\n" + text;
  };
  // Warnings do not stop the build: a small panel at the bottom, closed until opened.
  const warnings = (text) => {
    let box = document.getElementById("hearth-warnings");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("details");
      box.id = "hearth-warnings";
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:99998;max-height:40vh;overflow:auto;background:#fff4d6;color:#2e2300;border-top:2px solid #8a6500;padding:.5rem 1rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    const count = (text.match(/^warning/gm) || []).length;
    const summary = document.createElement("summary");
    summary.textContent = "hearth serve: " + count + (count === 1 ? " warning" : " warnings") + " in the last build";
    box.replaceChildren(summary, document.createTextNode(text));
  };
  fetch("/__hearth/status").then((r) => r.json()).then((s) => { overlay(s.error); warnings(s.warnings); }).catch(() => {});
  const events = new EventSource("/__hearth/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("error-report", (e) => overlay(e.data));
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pretty_urls() {
        assert_eq!(resolve("/").unwrap(), "index.html");
        assert_eq!(resolve("/articles/a/").unwrap(), "articles/a/index.html");
        assert_eq!(resolve("/style.css").unwrap(), "style.css");
        assert_eq!(
            resolve("/topics/desire%20and%20sex/").unwrap(),
            "topics/desire and sex/index.html"
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/etc/passwd",
            "/a%2fb",
            "/a%00b",
            "/a%5cb",
            "/%",
        ] {
            assert_eq!(resolve(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.pdf"), "application/pdf");
        assert_eq!(
            content_type("pagefind/wasm.en.pagefind"),
            "application/octet-stream"
        );
    }

    #[test]
    fn injects_before_body_end() {
        assert_eq!(
            inject_live_reload(b"<p>x</p></body></html>"),
            format!("<p>x</p>{LIVE_TAG}</body></html>").into_bytes()
        );
    }
}
