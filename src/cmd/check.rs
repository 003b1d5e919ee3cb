//! `hearth check`: runs the whole build without writing, reports every problem, and lists
//! (or, with `--external`, fetches) the external links.

use std::path::{Path, PathBuf};

use hearth::BuildOptions;
use hearth::diagnostics::Diagnostic;
use hearth::external::LinkStatus;

use super::{Outcome, print_all};

/// Run the whole build without writing anything, and report every problem.
#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    root: Option<PathBuf>,
    #[arg(long)]
    drafts: bool,
    /// Also fetch every external link (HEAD, then GET), a few at a time, with a cache.
    #[arg(long)]
    external: bool,
}

pub fn run(args: Args, styled: bool) -> Outcome {
    let options = BuildOptions {
        root: hearth::site_root(args.root.as_deref()),
        drafts: args.drafts,
        ..Default::default()
    };
    let report = hearth::check(&options).map_err(|d| d.0)?;
    print_all(&report.warnings, styled);
    let broken = if args.external {
        fetch_external(&options.root, &report.external)
    } else {
        list_external(&report.external)
    };
    println!(
        "{} ({} warnings, {} external links).",
        if broken.is_empty() {
            "No errors found"
        } else {
            "Broken external links found"
        },
        report.warnings.len(),
        report.external.len()
    );
    if broken.is_empty() {
        Ok(())
    } else {
        Err(broken)
    }
}

/// Lists the external links with the pages that use them, without fetching them.
fn list_external(links: &[(String, Vec<String>)]) -> Vec<Diagnostic> {
    if !links.is_empty() {
        println!("External links (not fetched; use --external to check them):");
        for (url, pages) in links {
            println!("  {url}  ← {}", pages.join(", "));
        }
    }
    Vec::new()
}

/// Fetches external links and turns the broken ones into errors naming their pages.
fn fetch_external(root: &Path, links: &[(String, Vec<String>)]) -> Vec<Diagnostic> {
    let urls: Vec<String> = links.iter().map(|(u, _)| u.clone()).collect();
    let (statuses, fetched) = hearth::external::check(root, &urls);
    println!(
        "Checked {} external links ({fetched} fetched, the rest from {}).",
        urls.len(),
        hearth::external::CACHE_FILE
    );
    links
        .iter()
        .filter_map(|(url, pages)| {
            let status = statuses.get(url)?;
            (!status.is_ok()).then(|| broken_link(url, pages, status))
        })
        .collect()
}

/// The error for one broken external link, naming the pages that use it.
fn broken_link(url: &str, pages: &[String], status: &LinkStatus) -> Diagnostic {
    let what = status.status.map_or_else(
        || status.error.clone().unwrap_or_default(),
        |s| format!("HTTP {s}"),
    );
    Diagnostic::error(
        pages.join(", "),
        format!("external link {url} is broken: {what}"),
    )
    .with_help(
        "update or remove the link; if the site is only down for now, run the check again later",
    )
}
