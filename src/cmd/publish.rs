//! `hearth publish`: builds the site, shows what would change at the target, asks, and
//! publishes; a thin layer over `hearth::publish::{plan, apply}`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use hearth::diagnostics::Diagnostic;
use hearth::publish::{self, Changes, PublishOptions, PublishPlan, Published};

use super::{Outcome, print_all};

/// How many paths of each kind of change the summary names.
const SHOWN: usize = 5;

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
    println!("{}", summary(&plan));
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

/// The plan in words: where, the counts, and the first few paths of each kind.
fn summary(plan: &PublishPlan) -> String {
    let Changes {
        added,
        changed,
        removed,
    } = &plan.changes;
    let mut text = format!(
        "Publishing to {}: {}",
        plan.destination,
        plan.changes.counts()
    );
    for (sign, paths) in [("+", added), ("~", changed), ("-", removed)] {
        for path in paths.iter().take(SHOWN) {
            text.push_str(&format!("\n  {sign} {path}"));
        }
        if paths.len() > SHOWN {
            text.push_str(&format!("\n  {sign} … and {} more", paths.len() - SHOWN));
        }
    }
    if plan.removed_pages > 0 {
        text.push_str(&format!(
            "\nThis removes {} of the {} published pages.",
            plan.removed_pages, plan.published_pages
        ));
    }
    text
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
