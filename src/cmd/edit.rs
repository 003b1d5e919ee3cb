//! `hearth edit`: the browser editor's flags, handed to `hearth::edit::run`.

use std::path::PathBuf;

use hearth::edit::EditOptions;

use super::Outcome;

/// Edit the site in your browser: write pages, fill in the settings, and see the result
/// in a live preview. Only this computer can reach it.
#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    root: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1112)]
    port: u16,
    /// Do not open the browser.
    #[arg(long)]
    no_open: bool,
}

pub fn run(args: Args, _styled: bool) -> Outcome {
    hearth::edit::run(EditOptions {
        root: hearth::site_root(args.root.as_deref()),
        port: args.port,
        open: !args.no_open,
    })
    .map_err(|d| d.0)
}
