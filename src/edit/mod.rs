//! `hearth edit`: the practice writes, previews and fixes its site in a browser. Decap CMS
//! (vendored, `admin.rs`) at `/admin/`, configured from hearth's content model
//! (`decap_config.rs`), talks to hearth's own implementation of its local-backend protocol
//! at `/api/v1` (`api.rs`), which checks every save with hearth's loader (`save.rs`). The
//! live preview at `/` is `serve`'s. Only 127.0.0.1, only its own Host and Origin
//! (`guard.rs`), only files inside the site (`paths.rs`).

mod admin;
mod api;
mod decap_config;
mod entries;
mod fields;
mod front;
mod guard;
mod media;
mod paths;
mod publish;
mod save;
mod sections;
mod settings;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::serve::{Extension, ServeOptions};

/// What `hearth edit` was asked for.
#[derive(Debug, Clone)]
pub struct EditOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the editor in the default browser.
    pub open: bool,
}

/// Uploads arrive base64-encoded inside JSON: a 20 MB photo is about 27 MB of request.
const MAX_REQUEST: usize = 40 * 1024 * 1024;

/// What the editor's handlers share.
#[derive(Clone)]
struct Editor {
    /// The site folder's real path.
    root: Arc<PathBuf>,
    /// One change at a time: each is checked against the files as the last one left them.
    writing: Arc<Mutex<()>>,
}

/// Serves the editor and the preview until Ctrl-C.
pub fn run(options: EditOptions) -> Result<(), Diagnostics> {
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let serve = ServeOptions {
        // The preview shows drafts: they are what is being written.
        build: BuildOptions {
            root: root.clone(),
            drafts: true,
            ..Default::default()
        },
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: options.port,
        open: options.open,
    };
    let editor = Editor {
        root: Arc::new(root),
        writing: Arc::new(Mutex::new(())),
    };
    let extension = Extension {
        open_path: "/admin/",
        wrap: Box::new(move |address, preview| router(editor, address, preview)),
        // A site that does not build is exactly one the practice needs the editor for.
        start_broken: true,
    };
    crate::serve::run_with(serve, extension)
}

/// The editor's routes beside the preview, all behind the guard.
fn router(editor: Editor, address: SocketAddr, preview: Router) -> Router {
    println!("Editor at http://{address}/admin/ (the preview is at http://{address}/)");
    let own = guard::Own {
        port: address.port(),
    };
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(|| async { admin::index() }))
        .route("/admin/config.yml", get(config))
        .route("/admin/publish", get(publish_page).post(publish_now))
        .route(
            "/admin/{file}",
            get(|UrlPath(file): UrlPath<String>| async move { admin::asset(&file) }),
        )
        .route("/api/v1", post(api_request))
        .layer(DefaultBodyLimit::max(MAX_REQUEST))
        .with_state(editor)
        .merge(preview)
        .layer(axum::middleware::from_fn_with_state(own, guard::guard))
}

async fn config(State(editor): State<Editor>, headers: axum::http::HeaderMap) -> Response {
    // The guard let only this server's own Host through.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let root = editor.root.clone();
    let info = tokio::task::spawn_blocking(move || sections::scan(&root)).await;
    match info {
        Ok(info) => admin::config(decap_config::decap_config(&info, &format!("http://{host}"))),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "busy\n").into_response(),
    }
}

/// The Publish page: what a publish would change, and the button that confirms it.
async fn publish_page(State(editor): State<Editor>) -> Response {
    let root = editor.root.clone();
    match tokio::task::spawn_blocking(move || publish::ask(&root)).await {
        Ok(html) => admin::page(html),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "busy\n").into_response(),
    }
}

/// The Publish button: publishes the site as it is now, never while a save is written.
async fn publish_now(State(editor): State<Editor>, form: String) -> Response {
    let published = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = editor.writing.lock().unwrap_or_else(|e| e.into_inner());
        publish::publish(&editor.root, &form)
    })
    .await;
    match published {
        Ok(html) => admin::page(html),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "busy\n").into_response(),
    }
}

async fn api_request(State(editor): State<Editor>, body: Bytes) -> Response {
    let answered = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = editor.writing.lock().unwrap_or_else(|e| e.into_inner());
        api::answer(&editor.root, &body)
    })
    .await;
    let (status, json) = match answered {
        Ok(Ok(value)) => (StatusCode::OK, value),
        Ok(Err(e)) => (e.status(), serde_json::json!({ "error": e.to_string() })),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            serde_json::json!({ "error": "the server stopped while answering" }),
        ),
    };
    let mut response = (status, json.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}
