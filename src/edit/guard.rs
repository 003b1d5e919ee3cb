//! The checks every request to `hearth edit` passes before anything else: its `Host` must
//! be this server's own address (a page on another site that points a name of its own at
//! 127.0.0.1, DNS rebinding, gets nothing), and anything but a read must come with an
//! `Origin` equal to this server's, so no other web page can make the browser write files.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The port this server listens on (on 127.0.0.1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Own {
    pub port: u16,
}

impl Own {
    /// Whether `host` (a `Host` header) names this server.
    pub(crate) fn is_own_host(self, host: &str) -> bool {
        host == format!("127.0.0.1:{}", self.port) || host == format!("localhost:{}", self.port)
    }

    /// Whether `origin` (an `Origin` header) is this server's origin as reached at `host`.
    pub(crate) fn is_own_origin(self, origin: &str, host: &str) -> bool {
        self.is_own_host(host) && origin == format!("http://{host}")
    }
}

fn header(request: &Request, name: header::HeaderName) -> &str {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The middleware in front of every route (preview, editor and API).
pub(crate) async fn guard(State(own): State<Own>, request: Request, next: Next) -> Response {
    let host = header(&request, header::HOST);
    if !own.is_own_host(host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server only answers requests addressed to 127.0.0.1 or localhost with its own port",
        );
    }
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    if !reads && !own.is_own_origin(header(&request, header::ORIGIN), host) {
        return refuse(
            StatusCode::FORBIDDEN,
            "changes are only accepted from the editor this server serves (the Origin header must be its own)",
        );
    }
    next.run(request).await
}

fn refuse(status: StatusCode, why: &str) -> Response {
    let body = serde_json::json!({ "error": why }).to_string();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_origins() {
        let own = Own { port: 4000 };
        assert!(own.is_own_host("127.0.0.1:4000"));
        assert!(own.is_own_host("localhost:4000"));
        for bad in [
            "evil.example:4000",
            "127.0.0.1:4001",
            "127.0.0.1",
            "",
            "[::1]:4000",
        ] {
            assert!(!own.is_own_host(bad), "{bad}");
        }
        assert!(own.is_own_origin("http://127.0.0.1:4000", "127.0.0.1:4000"));
        for bad in [
            "http://evil.example",
            "null",
            "",
            "https://127.0.0.1:4000",
            "http://localhost:4000",
        ] {
            assert!(!own.is_own_origin(bad, "127.0.0.1:4000"), "{bad}");
        }
    }
}
