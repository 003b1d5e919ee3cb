//! `hearth build`: builds the site into its output folder and says what it made.

use std::path::PathBuf;

use hearth::{BuildOptions, BuildReport};

use super::{Outcome, print_all};

/// Build the site into its output folder (public/ by default).
#[derive(clap::Args)]
pub struct Args {
    /// The site folder (the one with site.toml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Write here instead of site.toml's output_dir.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Use this base URL instead of site.toml's base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Include drafts and pages dated in the future.
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args, styled: bool) -> Outcome {
    let options = BuildOptions {
        root: hearth::site_root(args.root.as_deref()),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        ..Default::default()
    };
    let report = hearth::build(&options).map_err(|d| d.0)?;
    print_all(&report.warnings, styled);
    println!("{}", summary(&report));
    Ok(())
}

/// "Built 3 article, 1 page (12 files) in 40 ms → public".
fn summary(report: &BuildReport) -> String {
    let kinds: Vec<String> = report
        .pages_by_kind
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let photos = match (report.images_encoded, report.images_reused) {
        (0, 0) => String::new(),
        (encoded, reused) => format!("; photos: {encoded} copies encoded, {reused} from the cache"),
    };
    format!(
        "Built {} ({} files{photos}) in {} ms → {}",
        if kinds.is_empty() {
            "the site".to_string()
        } else {
            kinds.join(", ")
        },
        report.files,
        report.elapsed.as_millis(),
        report.output_dir.display()
    )
}
