//! `hearth init`: creates a new site from the built-in starter, and with `--ci` the CI
//! workflow that publishes it.

use std::path::PathBuf;

use hearth::scaffold;

use super::Outcome;

/// Create a new site in DIR from the built-in starter.
#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// Also write a CI workflow that builds and publishes the site on every push.
    #[arg(long, value_enum, value_name = "FORGE")]
    ci: Option<Forge>,
}

/// The forges `--ci` writes a workflow for.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Forge {
    /// GitHub Actions (.github/workflows/publish.yml).
    Github,
    /// Forgejo Actions, as on Codeberg (.forgejo/workflows/publish.yml).
    Forgejo,
}

pub fn run(args: Args, _styled: bool) -> Outcome {
    let dir = args.dir;
    scaffold::init(&dir)?;
    println!(
        "Created a new site in {}. Build it with: hearth build --root {}",
        dir.display(),
        dir.display()
    );
    if let Some(forge) = args.ci {
        let ci = match forge {
            Forge::Github => scaffold::Ci::Github,
            Forge::Forgejo => scaffold::Ci::Forgejo,
        };
        let workflow = scaffold::write_ci(&dir, ci)?;
        println!(
            "Wrote {}: read the steps at its top before the first push.",
            workflow.display()
        );
    }
    Ok(())
}
