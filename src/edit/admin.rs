//! `/admin/`: the editor's page, Decap's vendored bundle (embedded in the binary, see
//! `vendor/decap-cms/`) and its generated configuration. Every response carries a
//! Content-Security-Policy that lets the page reach this server and nothing else.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::serve::http::file_response;

#[derive(RustEmbed)]
#[folder = "vendor/decap-cms/"]
struct Decap;

/// The editor's page. Decap reads its configuration from the `cms-config-url` link.
const INDEX: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edit your site (hearth)</title>
<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">
<style>
.hearth-publish { position: fixed; right: 1rem; bottom: 1rem; z-index: 1000; padding: 0.6rem 1rem;
  background: #1d5c57; color: #fff; border-radius: 0.3rem; font: 600 1rem/1.4 system-ui, sans-serif;
  text-decoration: none; box-shadow: 0 1px 4px rgb(0 0 0 / 0.3); }
.hearth-publish:focus-visible { outline: 3px solid #8a4b08; outline-offset: 2px; }
</style>
</head>
<body>
<noscript>The editor needs JavaScript. Your site itself works without it.
<a href="/admin/publish">Put your site online</a> works without it too.</noscript>
<a class="hearth-publish" href="/admin/publish">Put your site online</a>
<script src="/admin/decap-cms.js"></script>
</body>
</html>
"#;

/// Only this server: Decap's code may not load or send anything elsewhere, even if a
/// bundled library tries (fonts, analytics, a hosted media library). `unsafe-eval` is for
/// the JSON-schema validator Decap checks its configuration with, which compiles code.
const POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
connect-src 'self' blob: data:; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'";

fn with_policy(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    response
}

/// `/admin/` itself.
pub(crate) fn index() -> Response {
    with_policy(file_response(
        StatusCode::OK,
        "index.html",
        INDEX.as_bytes().to_vec(),
    ))
}

/// A page of hearth's own under `/admin/` (the Publish page), with the same policy.
pub(crate) fn page(html: String) -> Response {
    with_policy(file_response(
        StatusCode::OK,
        "index.html",
        html.into_bytes(),
    ))
}

/// `/admin/NAME`: a file of the bundle, or 404.
pub(crate) fn asset(name: &str) -> Response {
    match Decap::get(name) {
        Some(file) => with_policy(file_response(StatusCode::OK, name, file.data.into_owned())),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The generated configuration.
pub(crate) fn config(yaml: String) -> Response {
    let mut response = with_policy(file_response(
        StatusCode::OK,
        "config.txt",
        yaml.into_bytes(),
    ));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/yaml; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_and_its_licence_are_embedded() {
        assert!(Decap::get("decap-cms.js").is_some_and(|f| f.data.len() > 1_000_000));
        assert!(Decap::get("LICENSE").is_some());
    }
}
