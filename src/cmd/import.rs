//! `hearth import wordpress`: brings a WordPress or Squarespace export into the site, then
//! prints the summary (the full report is written to `import-report.md`).

use std::path::PathBuf;

use super::Outcome;

/// Bring an existing site's posts and pages into this one.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    source: Source,
}

#[derive(clap::Subcommand)]
enum Source {
    /// Import a WordPress or Squarespace export (the WXR .xml file).
    ///
    /// Posts become articles and pages become pages, with their images and old addresses;
    /// nothing already in the site is overwritten, and import-report.md lists what needs a
    /// look.
    Wordpress {
        /// The .xml file from WordPress's Tools → Export.
        export: PathBuf,
        /// The hearth site to import into (default: the current folder).
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

pub fn run(args: Args, _styled: bool) -> Outcome {
    match args.source {
        Source::Wordpress { export, root } => {
            let root = hearth::site_root(root.as_deref());
            let report = hearth::import::wordpress(&root, &export)?;
            print!("{}", report.summary());
            Ok(())
        }
    }
}
