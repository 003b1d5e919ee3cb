//! `hearth serve`: builds the site into memory (never into the output folder), serves it
//! on 127.0.0.1, watches the sources, rebuilds after each change and tells the browser to
//! reload. A change that does not build keeps the last good pages and shows the errors.

pub(crate) mod http;
#[cfg(test)]
mod property_test;
pub(crate) mod session;
pub(crate) mod watch;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use crate::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::output::Body;
use crate::render::search::{Indexer, SEARCH_DIR};
use session::{SearchRequest, Session, Update, served_key};

/// What `hearth serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
}

/// The last good build, and the errors of a newer one that failed.
struct Served {
    files: HashMap<String, Arc<Body>>,
    error: Option<String>,
    /// The last good build's warnings, as the terminal shows them.
    warnings: Option<String>,
    builds: u64,
    /// Counts successful rebuilds; a search index made for an older one is thrown away.
    generation: u64,
    /// A search index is being made for the current pages.
    search_pending: bool,
    /// Of the last good rebuild: render jobs run, and jobs in all.
    rerendered: usize,
    jobs: usize,
    /// Changes that needed nothing re-rendered (a file saved as it was, an unused
    /// template); the browser is not reloaded for them.
    unchanged: u64,
}

/// Shared by the HTTP handlers.
#[derive(Clone)]
struct App {
    root: PathBuf,
    served: Arc<RwLock<Served>>,
    events: broadcast::Sender<LiveEvent>,
}

/// How long the search indexer waits for edits to settle before it starts: indexing a big
/// site takes seconds, so it runs after the pages are served, not on every keystroke.
const SEARCH_SETTLE: Duration = Duration::from_millis(300);

/// How long the watcher waits for a burst of events (an editor's save) to end. An
/// editor's save (a write, or a new file renamed over the old) takes a millisecond or two;
/// every millisecond here is one more before the browser reloads.
const DEBOUNCE: Duration = Duration::from_millis(20);

#[derive(Clone, Debug)]
enum LiveEvent {
    Reload,
    Error(String),
}

/// Builds, serves and rebuilds until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<(), Diagnostics> {
    run_with(options, Extension::default())
}

/// What another command (`hearth edit`) adds to the preview server: the path the browser
/// opens, and a function that wraps the preview's router (given the address it is served
/// at) with routes and checks of its own.
pub(crate) struct Extension {
    pub open_path: &'static str,
    pub wrap: Box<dyn FnOnce(SocketAddr, axum::Router) -> axum::Router + Send>,
    /// Serve even when the site does not build yet (the editor is where it gets fixed);
    /// the errors are shown as after a failed rebuild.
    pub start_broken: bool,
}

impl Default for Extension {
    fn default() -> Self {
        Extension {
            open_path: "/",
            wrap: Box::new(|_, router| router),
            start_broken: false,
        }
    }
}

/// [`run`], with the routes and checks of `extension` around the preview.
pub(crate) fn run_with(options: ServeOptions, extension: Extension) -> Result<(), Diagnostics> {
    let root =
        std::fs::canonicalize(&options.build.root).unwrap_or_else(|_| options.build.root.clone());
    let build = BuildOptions {
        root: root.clone(),
        ..options.build.clone()
    };
    let started = Instant::now();
    let mut session = Session::new(build);
    let first = match session.rebuild() {
        Ok(first) => {
            say_warnings(&first.warnings);
            Ok(first)
        }
        Err(d) if extension.start_broken => Err(render_all(&d.0)),
        Err(d) => return Err(d),
    };
    let output = session.output_dir().unwrap_or_else(|| root.join("public"));
    let served = Arc::new(RwLock::new(Served {
        files: HashMap::new(),
        error: None,
        warnings: None,
        builds: 0,
        generation: 0,
        search_pending: false,
        rerendered: 0,
        jobs: 0,
        unchanged: 0,
    }));
    let (events, _) = broadcast::channel(16);
    let app = App {
        root: root.clone(),
        served,
        events,
    };
    let indexer = spawn_indexer(app.clone());
    match first {
        Ok(first) => publish(&app, first, &indexer),
        Err(text) => {
            // On stderr: the first line on stdout is the address, which callers wait for.
            eprintln!(
                "{text}The site does not build yet; the preview shows these errors until it does"
            );
            if let Ok(mut served) = app.served.write() {
                served.error = Some(text);
            }
        }
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| io_error(&root, "start the server", &e))?;
    runtime.block_on(async move {
        let address = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| io_error(&root, &format!("listen on {address}"), &e))?;
        let address = listener.local_addr().map_err(|e| io_error(&root, "read the address", &e))?;
        if !options.bind.is_loopback() {
            eprintln!("warning: serving on {} makes your unpublished drafts visible to other machines on the network", options.bind);
        }

        if options.open {
            let _ = std::process::Command::new("xdg-open").arg(format!("http://{address}{}", extension.open_path)).spawn();
        }
        // Watch before announcing the address, so no edit made after it is missed.
        let watcher = spawn_watcher(app.clone(), session, output, indexer)?;
        println!("Serving {} at http://{address}/ (built in {} ms; Ctrl-C to stop)", root.display(), started.elapsed().as_millis());
        let router = (extension.wrap)(address, axum::Router::new().fallback(handle).with_state(app));
        let served = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        });
        let result = served.await.map_err(|e| io_error(&root, "serve", &e));
        drop(watcher);
        println!("Stopped.");
        result
    })
}

fn io_error(root: &Path, what: &str, e: &dyn std::fmt::Display) -> Diagnostics {
    Diagnostics(vec![
        crate::diagnostics::Diagnostic::error(root, format!("cannot {what}: {e}")).with_help(
            "if the port is taken, choose another with --port, or --port 0 for any free port",
        ),
    ])
}

/// Puts a rebuild's files in the served map and asks for a new search index.
fn publish(app: &App, update: Update, indexer: &mpsc::Sender<(u64, SearchRequest)>) {
    let Ok(mut served) = app.served.write() else {
        return;
    };
    if !update.search_enabled {
        served.files.retain(|path, _| !is_search_file(path));
    }
    served.error = None;
    served.warnings = (!update.warnings.is_empty()).then(|| render_all(&update.warnings));
    served.builds += 1;
    served.generation += 1;
    served.rerendered = update.rerendered;
    served.jobs = update.jobs;
    served.search_pending |= update.search.is_some();
    let generation = served.generation;
    update.changes.apply_to(&mut served.files);
    if let Some(request) = update.search {
        let _ = indexer.send((generation, request));
    }
}

/// Diagnostics as the terminal prints them, one after another.
fn render_all(diagnostics: &[crate::diagnostics::Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.render(false) + "\n").collect()
}

/// Prints a build's warnings on the terminal, as `hearth build` does.
fn say_warnings(warnings: &[crate::diagnostics::Diagnostic]) {
    if !warnings.is_empty() {
        say(render_all(warnings).trim_end());
    }
}

/// A file of the search index (`pagefind/…`).
fn is_search_file(path: &str) -> bool {
    path.strip_prefix(SEARCH_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Makes the search index on a thread of its own, after edits settle, from the pages
/// being served; swaps it in only if no rebuild happened meanwhile. The index is kept
/// between rebuilds: only pages whose served file changed are parsed again.
fn spawn_indexer(app: App) -> mpsc::Sender<(u64, SearchRequest)> {
    let (tx, rx) = mpsc::channel::<(u64, SearchRequest)>();
    std::thread::spawn(move || {
        let mut kept: Option<KeptIndex> = None;
        while let Ok(mut latest) = rx.recv() {
            // Wait for the edits to settle, keeping only the newest request.
            loop {
                match rx.recv_timeout(SEARCH_SETTLE) {
                    Ok(newer) => latest = newer,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            let (generation, request) = latest;
            let pages: Vec<Option<Arc<Body>>> = match app.served.read() {
                Ok(served) => request
                    .docs
                    .iter()
                    .map(|d| served.files.get(&served_key(&d.path)).cloned())
                    .collect(),
                Err(_) => return,
            };
            let index = KeptIndex::update(&mut kept, &request, &pages);
            let Ok(mut served) = app.served.write() else {
                return;
            };
            if served.generation != generation {
                continue;
            }
            served.search_pending = false;
            match index {
                Ok(files) => {
                    served.files.retain(|path, _| !is_search_file(path));
                    for (path, bytes) in files {
                        served
                            .files
                            .insert(served_key(&path), Arc::new(Body::Bytes(bytes)));
                    }
                }
                Err(e) => say(&crate::pipeline::index_error(e).render(false)),
            }
        }
    });
    tx
}

/// The indexer thread's index, and which served file each of its pages was parsed from.
struct KeptIndex {
    language: String,
    indexer: Indexer,
    /// URL → the served file its page was parsed from (the same `Arc` while unchanged).
    indexed: HashMap<String, Arc<Body>>,
}

impl KeptIndex {
    /// Brings the kept index up to date with `pages` (the served file of each of
    /// `request.docs`) and makes its files. A failed update drops the kept index.
    fn update(
        kept: &mut Option<KeptIndex>,
        request: &SearchRequest,
        pages: &[Option<Arc<Body>>],
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        if kept.as_ref().is_none_or(|k| k.language != request.language) {
            *kept = Some(KeptIndex {
                language: request.language.clone(),
                indexer: Indexer::new(&request.language)?,
                indexed: HashMap::new(),
            });
        }
        let Some(index) = kept.as_mut() else {
            unreachable!("made above")
        };
        let files = index.refresh(request, pages);
        if files.is_err() {
            *kept = None;
        }
        files
    }

    fn refresh(
        &mut self,
        request: &SearchRequest,
        pages: &[Option<Arc<Body>>],
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        use rayon::prelude::*;
        let current: Vec<(&crate::SearchDoc, &Arc<Body>)> = request
            .docs
            .iter()
            .zip(pages)
            .filter_map(|(doc, page)| Some((doc, page.as_ref()?)))
            .filter(|(_, page)| matches!(***page, Body::Bytes(_)))
            .collect();
        let urls: std::collections::HashSet<&str> =
            current.iter().map(|(doc, _)| doc.url.as_str()).collect();
        let gone: Vec<String> = self
            .indexed
            .keys()
            .filter(|url| !urls.contains(url.as_str()))
            .cloned()
            .collect();
        for url in gone {
            self.indexer.remove(&url);
            self.indexed.remove(&url);
        }
        let changed: Vec<&(&crate::SearchDoc, &Arc<Body>)> = current
            .iter()
            .filter(|(doc, page)| {
                self.indexed
                    .get(&doc.url)
                    .is_none_or(|before| !Arc::ptr_eq(before, page))
            })
            .collect();
        let indexer = &self.indexer;
        let parsed = changed
            .par_iter()
            .filter_map(|(doc, page)| {
                let Body::Bytes(bytes) = &***page else {
                    return None;
                };
                let html = std::str::from_utf8(bytes).ok()?;
                Some(indexer.parse(&crate::render::search::SearchPage {
                    url: &doc.url,
                    html,
                    filters: doc.filters.clone(),
                }))
            })
            .collect::<Result<Vec<_>, String>>()?;
        self.indexer.add(parsed)?;
        for (doc, page) in changed {
            self.indexed.insert(doc.url.clone(), Arc::clone(page));
        }
        // New pages were added last, and an edit can move a page in the site's order: the
        // index must number its pages as a build does, to serve the files a build writes.
        let order: Vec<&str> = current.iter().map(|(doc, _)| doc.url.as_str()).collect();
        self.indexer.reorder(&order);
        self.indexer.files()
    }
}

type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Watches the site folder and rebuilds on a thread of its own after changes settle.
fn spawn_watcher(
    app: App,
    mut session: Session,
    output: PathBuf,
    indexer: mpsc::Sender<(u64, SearchRequest)>,
) -> Result<Watcher, Diagnostics> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| io_error(&app.root, "watch the site", &e))?;
    debouncer
        .watch(&app.root, notify::RecursiveMode::Recursive)
        .map_err(|e| io_error(&app.root, "watch the site", &e))?;
    std::thread::spawn(move || {
        for batch in rx {
            let Ok(events) = batch else { continue };
            // Reading files during a rebuild makes "access" events; only real changes count,
            // or every rebuild would trigger the next.
            let changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_change(&e.kind))
                .flat_map(|e| e.paths.iter().cloned())
                .collect();
            let relevant = watch::relevant(&app.root, &output, &changed);
            if !relevant.is_empty() {
                rebuild(&app, &mut session, &relevant, &indexer);
            }
        }
    });
    Ok(debouncer)
}

/// One line on the terminal; a closed terminal must not stop the server.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn is_change(kind: &notify::EventKind) -> bool {
    use notify::event::{MetadataKind, ModifyKind};
    !matches!(
        kind,
        notify::EventKind::Access(_)
            | notify::EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

fn showing_error(app: &App) -> bool {
    app.served.read().map_or(true, |s| s.error.is_some())
}

/// Rebuilds in memory; swaps the new pages in only if the build succeeded.
fn rebuild(
    app: &App,
    session: &mut Session,
    changed: &[PathBuf],
    indexer: &mpsc::Sender<(u64, SearchRequest)>,
) {
    let started = Instant::now();
    let what = watch::describe(changed);
    match session.rebuild_after(changed) {
        Ok(update) if update.is_nothing() && !showing_error(app) => {
            if let Ok(mut served) = app.served.write() {
                served.unchanged += 1;
            }
            say(&format!("{what} changed: nothing to re-render"));
        }
        Ok(update) => {
            let line = format!(
                "Rebuilt after {what} changed: {} of {} outputs re-rendered in {} ms",
                update.rerendered,
                update.jobs,
                started.elapsed().as_millis()
            );
            say_warnings(&update.warnings);
            publish(app, update, indexer);
            let _ = app.events.send(LiveEvent::Reload);
            say(&line);
        }
        Err(diagnostics) => {
            let text = render_all(&diagnostics.0);
            say(&format!(
                "{text}Could not rebuild after {what} changed ({} errors); still serving the last good version",
                diagnostics.errors().count()
            ));
            if let Ok(mut served) = app.served.write() {
                served.error = Some(text.clone());
                served.builds += 1;
            }
            let _ = app.events.send(LiveEvent::Error(text));
        }
    }
}

async fn handle(State(app): State<App>, uri: Uri) -> Response {
    match uri.path() {
        http::LIVE_JS => {
            return http::file_response(
                StatusCode::OK,
                "live.js",
                http::LIVE_SCRIPT.as_bytes().to_vec(),
            );
        }
        http::EVENTS => return live_events(app.events.subscribe()).into_response(),
        http::STATUS => return status(&app),
        _ => {}
    }
    let path = match http::resolve(uri.path()) {
        Ok(path) => path,
        Err(status) => return (status, "bad request\n").into_response(),
    };
    let Ok(served) = app.served.read() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "busy\n").into_response();
    };
    if let Some(body) = served.files.get(&path) {
        return match read(&app.root, body) {
            Some(bytes) => respond(StatusCode::OK, &path, bytes),
            None => not_found(&served, &app.root),
        };
    }
    // `/articles/a` → `/articles/a/` when that page exists.
    if served.files.contains_key(&format!("{path}/index.html")) {
        let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(location) = format!("{}/", uri.path()).parse() {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    not_found(&served, &app.root)
}

/// A file's bytes; copied files are read from disk, and only if they are really inside the
/// site (a symlink pointing elsewhere is not served).
fn read(root: &Path, body: &Body) -> Option<Vec<u8>> {
    match body {
        Body::Bytes(bytes) => Some(bytes.clone()),
        Body::Copy(source) | Body::Cached(source) => {
            let real = std::fs::canonicalize(source).ok()?;
            real.starts_with(root)
                .then(|| std::fs::read(&real).ok())
                .flatten()
        }
    }
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>) -> Response {
    let bytes = if path.ends_with(".html") {
        http::inject_live_reload(&bytes)
    } else {
        bytes
    };
    http::file_response(status, path, bytes)
}

fn not_found(served: &Served, root: &Path) -> Response {
    let page = served
        .files
        .get("404.html")
        .and_then(|b| read(root, b))
        .unwrap_or_else(|| b"<h1>Not found</h1>".to_vec());
    respond(StatusCode::NOT_FOUND, "404.html", page)
}

fn status(app: &App) -> Response {
    let json = match app.served.read() {
        Ok(s) => serde_json::json!({
            "error": s.error,
            "warnings": s.warnings,
            "builds": s.builds,
            "search_pending": s.search_pending,
            "rerendered": s.rerendered,
            "jobs": s.jobs,
            "unchanged": s.unchanged,
        }),
        Err(_) => serde_json::json!({ "error": "the server is in a bad state; restart it" }),
    };
    http::file_response(StatusCode::OK, "status.json", json.to_string().into_bytes())
}

fn live_events(
    receiver: broadcast::Receiver<LiveEvent>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(LiveEvent::Reload) => {
                    return Some((
                        Ok(Event::default().event("reload").data("reload")),
                        receiver,
                    ));
                }
                Ok(LiveEvent::Error(text)) => {
                    return Some((
                        Ok(Event::default().event("error-report").data(text)),
                        receiver,
                    ));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
