//! `hearth publish`: builds the site, shows what would change at the target, asks, and
//! publishes; a thin layer over `hearth::publish::{plan, apply}`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use hearth::diagnostics::Diagnostic;
use hearth::publish::{self, PublishOptions, Published};

use super::{Outcome, print_all};

/// Build the site and put it online at the [publish] target in site.toml.
#[derive(clap::Args)]
pub struct Args {
    /// The site folder (the one with site.toml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Show what would change, and change nothing anywhere.
    #[arg(long)]
    dry_run: bool,
    /// Publish without asking to confirm.
    #[arg(long)]
    yes: bool,
    /// Let this publish remove more pages than [publish] max_deletions allows.
    #[arg(long)]
    allow_deletions: bool,
}

pub fn run(args: Args, styled: bool) -> Outcome {
    let options = PublishOptions {
        root: hearth::site_root(args.root.as_deref()),
        dry_run: args.dry_run,
        allow_deletions: args.allow_deletions,
        today: None,
    };
    let plan = publish::plan(&options).map_err(|d| d.0)?;
    print_all(&plan.warnings, styled);
    println!("{}", plan.summary());
    plan.guard().map_err(|d| d.0)?;
    if plan.dry_run {
        println!("Dry run: nothing was published or changed.");
        return Ok(());
    }
    if plan.changes.is_empty() {
        println!("The published site is already up to date; nothing to publish.");
        return Ok(());
    }
    if !args.yes && !confirmed(&plan.destination)? {
        println!("Nothing was published.");
        return Ok(());
    }
    match publish::apply(plan).map_err(|d| d.0)? {
        Published::Commit(id) => println!("Published: commit {}.", &id[..id.len().min(12)]),
        Published::Folder => println!("Published."),
        Published::Nothing => println!("Nothing to publish."),
    }
    Ok(())
}

/// Asks on the terminal; without one (a script, CI) there is nobody to ask, so refuse
/// rather than wait for an answer that never comes.
fn confirmed(destination: &str) -> Result<bool, Vec<Diagnostic>> {
    if !std::io::stdin().is_terminal() {
        return Err(vec![
            Diagnostic::error(
                hearth::CONFIG_FILE,
                "hearth publish asks before it publishes, and there is no terminal to ask on",
            )
            .with_help("run it again with --yes to publish without asking (as in CI), or with --dry-run to only see the changes"),
        ]);
    }
    print!("Publish these changes to {destination}? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return Ok(false);
    }
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}
