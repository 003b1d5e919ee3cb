//! Decap's local-backend protocol (what its `decap-server` answers at `POST /api/v1`),
//! spoken by hearth itself: one JSON request `{action, params}` in, JSON out; errors as
//! `{"error": "..."}` with a status, which the editor shows to the person saving.

use std::path::Path;

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::CONFIG_FILE;

use super::entries::Entries;
use super::media::{MEDIA_EXTENSIONS, strip_metadata};
use super::paths::{Refused, SitePath, Use};
use super::save::{Change, SaveError, check_and_apply};
use super::{front, sections, settings};

/// A request as Decap sends it.
#[derive(Deserialize)]
struct Request {
    action: String,
    #[serde(default)]
    params: Value,
}

/// Why a request was not answered.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error("cannot read `{0}`")]
    Unreadable(String),
}

impl ApiError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Refused(_) => StatusCode::FORBIDDEN,
            ApiError::Save(SaveError::Breaks(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Save(SaveError::Io { .. }) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unreadable(_) => StatusCode::NOT_FOUND,
        }
    }
}

/// Answers one request for the site at `root` (its real path).
pub(crate) fn answer(root: &Path, body: &[u8]) -> Result<Value, ApiError> {
    let request: Request = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("not a request of the editor: {e}")))?;
    let p = &request.params;
    match request.action.as_str() {
        "info" => Ok(json!({
            "repo": root.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => {
            let folder = SitePath::parse(root, text(p, "folder")?, Use::Folder)?;
            let extension = p["extension"].as_str().unwrap_or("md");
            let languages = sections::Languages::read(root);
            let entries = Entries {
                root,
                languages: &languages,
            };
            let listed = entries.list(folder.as_str(), extension).into_iter();
            // Each file is checked as if the editor had named it (no link out of the site).
            let pages = listed.filter_map(|e| {
                let disk = SitePath::parse(root, &e.disk, Use::Entry).ok()?;
                Some(entry(root, &e.view, &disk, None))
            });
            Ok(Value::Array(pages.collect()))
        }
        "entriesByFiles" => {
            let files = p["files"].as_array().cloned().unwrap_or_default();
            let entries = files.iter().map(|f| {
                let raw = f["path"].as_str().unwrap_or_default();
                let label = f["label"].as_str();
                match SitePath::parse(root, raw, Use::Entry) {
                    Ok(path) => entry(root, raw, &path, label),
                    Err(_) => {
                        json!({ "data": null, "file": { "path": raw, "label": label, "id": null } })
                    }
                }
            });
            Ok(Value::Array(entries.collect()))
        }
        "getEntry" => {
            let view = text(p, "path")?;
            let languages = sections::Languages::read(root);
            let disk = page_file(root, &languages, view)?;
            Ok(entry(root, view, &disk, None))
        }
        "persistEntry" => persist_entry(root, p),
        "getMedia" => {
            let folder = SitePath::parse(root, text(p, "mediaFolder")?, Use::Folder)?;
            let files = media_in(root, &folder);
            Ok(Value::Array(
                files
                    .iter()
                    .filter_map(|f| media_file(root, f).ok())
                    .collect(),
            ))
        }
        "getMediaFile" => media_file(root, &SitePath::parse(root, text(p, "path")?, Use::Media)?),
        "persistMedia" => {
            let path = write_media(root, &p["asset"])?;
            media_file(root, &path)
        }
        "deleteFile" => delete(root, &[text(p, "path")?]),
        "deleteFiles" => {
            let paths: Vec<&str> = p["paths"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            delete(root, &paths)
        }
        "getDeployPreview" => Ok(Value::Null),
        other => Err(ApiError::BadRequest(format!("unknown action `{other}`"))),
    }
}

fn text<'a>(params: &'a Value, key: &str) -> Result<&'a str, ApiError> {
    params[key]
        .as_str()
        .ok_or_else(|| ApiError::BadRequest(format!("the request has no `{key}`")))
}

fn is_media(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    MEDIA_EXTENSIONS
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")))
}

/// The images directly in `folder`, each checked.
fn media_in(root: &Path, folder: &SitePath) -> Vec<SitePath> {
    walkdir::WalkDir::new(folder.on_disk(root))
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_media(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            SitePath::parse(root, &rel, Use::Media).ok()
        })
        .collect()
}

/// A file's id: a hash of its bytes, as decap-server gives one (the editor only compares).
fn id_of(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    format!("{:016x}", hasher.finish())
}

/// The file behind the editor's name `view` for a page, checked.
fn page_file(
    root: &Path,
    languages: &sections::Languages,
    view: &str,
) -> Result<SitePath, ApiError> {
    // The editor's own name is checked first, so the mapping never sees `..` or a link.
    SitePath::parse(root, view, Use::Entry)?;
    let entries = Entries { root, languages };
    Ok(SitePath::parse(root, &entries.to_disk(view), Use::Entry)?)
}

/// A page as the editor reads it: named `view`, read from `file`.
fn entry(root: &Path, view: &str, file: &SitePath, label: Option<&str>) -> Value {
    match std::fs::read(file.on_disk(root)) {
        Ok(bytes) => json!({
            "data": String::from_utf8_lossy(&bytes),
            "file": { "path": view, "label": label, "id": id_of(&bytes) },
        }),
        Err(_) => {
            json!({ "data": null, "file": { "path": view, "label": label, "id": null } })
        }
    }
}

fn media_file(root: &Path, path: &SitePath) -> Result<Value, ApiError> {
    let bytes = std::fs::read(path.on_disk(root))
        .map_err(|_| ApiError::Unreadable(path.as_str().into()))?;
    let name = path.as_str().rsplit('/').next().unwrap_or_default();
    Ok(json!({
        "id": id_of(&bytes),
        "content": BASE64.encode(&bytes),
        "encoding": "base64",
        "path": path.as_str(),
        "name": name,
    }))
}

/// An uploaded file, checked, decoded and without metadata.
fn decode_media(root: &Path, asset: &Value) -> Result<(SitePath, Vec<u8>), ApiError> {
    let path = SitePath::parse(root, text(asset, "path")?, Use::Media)?;
    let bytes = BASE64
        .decode(text(asset, "content")?)
        .map_err(|e| ApiError::BadRequest(format!("the upload is not base64: {e}")))?;
    let clean = strip_metadata(&path.extension(), bytes).map_err(ApiError::BadRequest)?;
    Ok((path, clean))
}

fn write_media(root: &Path, asset: &Value) -> Result<SitePath, ApiError> {
    let (path, bytes) = decode_media(root, asset)?;
    let change = Change {
        writes: vec![(path.clone(), bytes)],
        removes: Vec::new(),
    };
    check_and_apply(root, &change)?;
    Ok(path)
}

/// A page (or site.toml) in each of its languages and the uploads saved with it, as one
/// checked change.
fn persist_entry(root: &Path, p: &Value) -> Result<Value, ApiError> {
    let files: Vec<Value> = match p["dataFiles"].as_array() {
        Some(files) => files.clone(),
        None => vec![p["entry"].clone()],
    };
    let info = sections::scan(root);
    let mut change = Change::default();
    // The default language's text, which its translations take their shared keys from.
    let original = files
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .is_some_and(|v| is_original(&info.languages, v))
        })
        .and_then(|f| f["raw"].as_str());
    // Where the page's own files are, when it is a bundle, for the uploads saved with it.
    let mut bundle: Option<(String, String)> = None;
    for file in &files {
        let view = text(file, "path")?;
        let path = page_file(root, &info.languages, view)?;
        let raw = text(file, "raw")?;
        let kind = info
            .section_of(path.as_str())
            .map(|s| s.kind)
            .unwrap_or_default();
        let translation = !is_original(&info.languages, view);
        // A translation nobody has started is not written (Decap sends one as soon as
        // the original has a date to copy into it).
        if translation && !path.on_disk(root).exists() && !front::has_own_words(raw, kind) {
            continue;
        }
        let bytes = if path.as_str() == CONFIG_FILE {
            let current = std::fs::read_to_string(path.on_disk(root)).unwrap_or_default();
            settings::merge(&current, raw, &info.languages).map_err(ApiError::BadRequest)?
        } else {
            front::normalise(raw, kind, original.filter(|_| translation))
        };
        if let (Some((view_dir, _)), Some((disk_dir, _))) =
            (view.rsplit_once('/'), path.as_str().rsplit_once('/'))
            && view_dir != disk_dir
        {
            bundle = Some((format!("{view_dir}/"), format!("{disk_dir}/")));
        }
        // Decap names the new path when a page's slug changed: write there, remove the old.
        match file["newPath"].as_str() {
            Some(new) => {
                let new = page_file(root, &info.languages, new)?;
                change.writes.push((new, bytes.into_bytes()));
                change.removes.push(path);
            }
            None => change.writes.push((path, bytes.into_bytes())),
        }
    }
    for asset in p["assets"].as_array().into_iter().flatten() {
        let (path, bytes) = decode_media(root, asset)?;
        // Decap puts a bundle's uploads beside the name it knows (`books/x.md`); they
        // belong beside the file (`books/x/index.md`), where the page looks for them.
        let path = match &bundle {
            Some((view_dir, disk_dir)) => match path.as_str().strip_prefix(view_dir.as_str()) {
                Some(name) if !name.contains('/') => {
                    SitePath::parse(root, &format!("{disk_dir}{name}"), Use::Media)?
                }
                _ => path,
            },
            None => path,
        };
        change.writes.push((path, bytes));
    }
    check_and_apply(root, &change)?;
    Ok(json!({ "message": "entry persisted" }))
}

/// Whether the editor's name `view` is a page in the default language (site.toml counts).
fn is_original(languages: &sections::Languages, view: &str) -> bool {
    let Some(stem) = view.strip_suffix(".md") else {
        return true;
    };
    !languages
        .others
        .iter()
        .any(|(code, _)| stem.ends_with(&format!(".{code}")))
}

fn delete(root: &Path, raw: &[&str]) -> Result<Value, ApiError> {
    let languages = sections::Languages::read(root);
    let mut change = Change::default();
    for path in raw {
        let path = if is_media(path) {
            SitePath::parse(root, path, Use::Media)?
        } else {
            page_file(root, &languages, path)?
        };
        if path.as_str() == CONFIG_FILE {
            return Err(ApiError::BadRequest("site.toml cannot be deleted".into()));
        }
        change.removes.push(path);
    }
    check_and_apply(root, &change)?;
    Ok(json!({ "message": format!("deleted {}", raw.join(", ")) }))
}
