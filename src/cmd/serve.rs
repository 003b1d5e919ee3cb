//! `hearth serve`: the preview server's flags, handed to `hearth::serve::run`.

use std::net::IpAddr;
use std::path::PathBuf;

use hearth::BuildOptions;
use hearth::serve::ServeOptions;

use super::Outcome;

/// Preview the site: build into memory, serve it, rebuild and reload on every change.
#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    root: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on; only this machine by default.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args, _styled: bool) -> Outcome {
    let build = BuildOptions {
        root: hearth::site_root(args.root.as_deref()),
        drafts: args.drafts,
        ..Default::default()
    };
    hearth::serve::run(ServeOptions {
        build,
        bind: args.bind,
        port: args.port,
        open: args.open,
    })
    .map_err(|d| d.0)
}
