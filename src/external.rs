//! `hearth check --external`: fetches external links (HEAD, then GET when a server refuses
//! HEAD) with a timeout and a few at a time, remembering results in a cache file so a
//! second run within a day asks no server again.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Where results are kept, inside the site folder.
pub const CACHE_FILE: &str = ".hearth-cache/external-links.json";
/// Links checked at once: polite to servers, and fast enough.
const CONCURRENCY: usize = 4;
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a result is trusted.
const FRESH_SECONDS: u64 = 24 * 60 * 60;

/// What happened when a link was fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkStatus {
    /// The HTTP status, or `None` when no answer came (timeout, DNS, TLS…).
    pub status: Option<u16>,
    pub error: Option<String>,
    /// Seconds since 1970 when it was checked.
    pub checked_at: u64,
}

impl LinkStatus {
    pub fn is_ok(&self) -> bool {
        self.status.is_some_and(|s| (200..400).contains(&s))
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn load_cache(root: &Path) -> BTreeMap<String, LinkStatus> {
    std::fs::read_to_string(root.join(CACHE_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Checks every URL (using fresh cache entries) and returns each one's status, plus how
/// many were actually fetched.
pub fn check(root: &Path, urls: &[String]) -> (BTreeMap<String, LinkStatus>, usize) {
    let mut cache = load_cache(root);
    let now = now();
    let stale: Vec<&String> = urls
        .iter()
        .filter(|u| {
            cache
                .get(*u)
                .is_none_or(|s| now.saturating_sub(s.checked_at) > FRESH_SECONDS)
        })
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent("hearth link checker")
        .build()
        .into();
    let fetched: Vec<(String, LinkStatus)> = match rayon::ThreadPoolBuilder::new()
        .num_threads(CONCURRENCY)
        .build()
    {
        Ok(pool) => pool.install(|| {
            stale
                .par_iter()
                .map(|u| ((*u).clone(), fetch(&agent, u, now)))
                .collect()
        }),
        Err(_) => stale
            .iter()
            .map(|u| ((*u).clone(), fetch(&agent, u, now)))
            .collect(),
    };
    let count = fetched.len();
    cache.extend(fetched);
    if let Ok(text) = serde_json::to_string_pretty(&cache) {
        let path = root.join(CACHE_FILE);
        // The cache only saves time; failing to write it must not fail the check.
        let _ = path.parent().map(std::fs::create_dir_all);
        let _ = std::fs::write(path, text);
    }
    let results = urls
        .iter()
        .filter_map(|u| cache.get(u).map(|s| (u.clone(), s.clone())))
        .collect();
    (results, count)
}

fn fetch(agent: &ureq::Agent, url: &str, now: u64) -> LinkStatus {
    let answer = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) => Err(e.to_string()),
    };
    let mut result = answer(agent.head(url).call());
    // Some servers refuse HEAD (405) or mishandle it; ask again with GET.
    if matches!(result, Ok(405 | 403 | 501) | Err(_)) {
        result = answer(agent.get(url).call());
    }
    match result {
        Ok(status) => LinkStatus {
            status: Some(status),
            error: None,
            checked_at: now,
        },
        Err(error) => LinkStatus {
            status: None,
            error: Some(error),
            checked_at: now,
        },
    }
}
