//! `hearth init`: creates a new site from the built-in starter.

use std::path::PathBuf;

use hearth::scaffold;

use super::Outcome;

/// Create a new site in DIR from the built-in starter.
#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
}

pub fn run(args: Args, _styled: bool) -> Outcome {
    let dir = args.dir;
    scaffold::init(&dir)?;
    println!(
        "Created a new site in {}. Build it with: hearth build --root {}",
        dir.display(),
        dir.display()
    );
    Ok(())
}
