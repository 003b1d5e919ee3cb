//! `hearth new`: creates a content file of one kind with the right front matter.

use std::path::PathBuf;

use hearth::scaffold;

use super::Outcome;

/// Create a new content file with the right front matter.
#[derive(clap::Args)]
pub struct Args {
    /// article, book, worksheet, counseling or page.
    kind: String,
    /// The title of the new page.
    title: String,
    /// The page's language, one of site.toml's `[languages]` (default: the site's own);
    /// the file is named `<name>.<lang>.md`.
    #[arg(long)]
    lang: Option<String>,
    #[arg(long)]
    root: Option<PathBuf>,
}

pub fn run(args: Args, _styled: bool) -> Outcome {
    let root = hearth::site_root(args.root.as_deref());
    let path = scaffold::new_page(&root, &args.kind, &args.title, args.lang.as_deref())?;
    println!("Created {}", path.display());
    Ok(())
}
