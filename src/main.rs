//! The `hearth` command line: parses arguments, runs the library, prints diagnostics and
//! sets the exit code (0 success, 1 problems in the site, 2 usage errors from clap).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hearth::diagnostics::Diagnostic;
use hearth::{BuildOptions, scaffold};

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "A calm, private static site generator for therapy practices"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    Build {
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
    },
    /// Run the whole build without writing anything, and report every problem.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR from the built-in starter.
    Init { dir: PathBuf },
    /// Create a new content file with the right front matter.
    New {
        /// article, book, worksheet, counseling or page.
        kind: String,
        /// The title of the new page.
        title: String,
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal();
    let result: Result<(), Vec<Diagnostic>> = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let options = BuildOptions {
                root: hearth::site_root(root.as_deref()),
                output,
                base_url,
                drafts,
                today: None,
            };
            match hearth::build(&options) {
                Ok(report) => {
                    print_all(&report.warnings, styled);
                    let kinds: Vec<String> = report
                        .pages_by_kind
                        .iter()
                        .map(|(k, n)| format!("{n} {k}"))
                        .collect();
                    println!(
                        "Built {} ({} files) in {} ms → {}",
                        if kinds.is_empty() {
                            "the site".to_string()
                        } else {
                            kinds.join(", ")
                        },
                        report.files,
                        report.elapsed.as_millis(),
                        report.output_dir.display()
                    );
                    Ok(())
                }
                Err(d) => Err(d.0),
            }
        }
        Command::Check { root, drafts } => {
            let options = BuildOptions {
                root: hearth::site_root(root.as_deref()),
                drafts,
                ..Default::default()
            };
            match hearth::check(&options) {
                Ok(report) => {
                    print_all(&report.warnings, styled);
                    if !report.external.is_empty() {
                        println!("External links (not fetched):");
                        for (url, pages) in &report.external {
                            println!("  {url}  ← {}", pages.join(", "));
                        }
                    }
                    println!(
                        "No errors found ({} warnings, {} external links).",
                        report.warnings.len(),
                        report.external.len()
                    );
                    Ok(())
                }
                Err(d) => Err(d.0),
            }
        }
        Command::Init { dir } => scaffold::init(&dir).map(|()| {
            println!(
                "Created a new site in {}. Build it with: hearth build --root {}",
                dir.display(),
                dir.display()
            );
        }),
        Command::New { kind, title, root } => {
            scaffold::new_page(&hearth::site_root(root.as_deref()), &kind, &title).map(|path| {
                println!("Created {}", path.display());
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            print_all(&diagnostics, styled);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{errors} {} found; nothing was written.",
                if errors == 1 { "error" } else { "errors" }
            );
            ExitCode::from(1)
        }
    }
}

fn print_all(diagnostics: &[Diagnostic], styled: bool) {
    for d in diagnostics {
        eprintln!("{}\n", d.render(styled));
    }
}
