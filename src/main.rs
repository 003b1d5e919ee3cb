//! The `hearth` command line: parses arguments, runs the library, prints diagnostics and
//! sets the exit code (0 success, 1 problems in the site, 2 usage errors from clap).

mod cmd;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hearth::diagnostics::Diagnostic;
use hearth::{BuildOptions, scaffold};

/// Rendering allocates and frees much from many threads; see Cargo.toml for the figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// Also fetch every external link (HEAD, then GET), a few at a time, with a cache.
        #[arg(long)]
        external: bool,
    },
    /// Preview the site: build into memory, serve it, rebuild and reload on every change.
    Serve {
        #[arg(long)]
        root: Option<PathBuf>,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this machine by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
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
    let result: cmd::Outcome = match cli.command {
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
                ..Default::default()
            };
            match hearth::build(&options) {
                Ok(report) => {
                    cmd::print_all(&report.warnings, styled);
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
                    // The process ends now: the system frees it all at once.
                    std::mem::forget(report.leftovers);
                    Ok(())
                }
                Err(d) => Err(d.0),
            }
        }
        Command::Check {
            root,
            drafts,
            external,
        } => {
            let options = BuildOptions {
                root: hearth::site_root(root.as_deref()),
                drafts,
                ..Default::default()
            };
            match hearth::check(&options) {
                Ok(report) => {
                    cmd::print_all(&report.warnings, styled);
                    let broken = if external {
                        fetch_external(&options.root, &report.external, styled)
                    } else {
                        list_external(&report.external)
                    };
                    println!(
                        "{} ({} warnings, {} external links).",
                        if broken.is_empty() {
                            "No errors found"
                        } else {
                            "Broken external links found"
                        },
                        report.warnings.len(),
                        report.external.len()
                    );
                    if broken.is_empty() {
                        Ok(())
                    } else {
                        Err(broken)
                    }
                }
                Err(d) => Err(d.0),
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => {
            let build = BuildOptions {
                root: hearth::site_root(root.as_deref()),
                drafts,
                ..Default::default()
            };
            hearth::serve::run(hearth::serve::ServeOptions {
                build,
                bind,
                port,
                open,
            })
            .map_err(|d| d.0)
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
            cmd::print_failure(&diagnostics, styled);
            ExitCode::from(1)
        }
    }
}

fn list_external(links: &[(String, Vec<String>)]) -> Vec<Diagnostic> {
    if !links.is_empty() {
        println!("External links (not fetched; use --external to check them):");
        for (url, pages) in links {
            println!("  {url}  ← {}", pages.join(", "));
        }
    }
    Vec::new()
}

/// Fetches external links and turns the broken ones into errors naming their pages.
fn fetch_external(
    root: &std::path::Path,
    links: &[(String, Vec<String>)],
    _styled: bool,
) -> Vec<Diagnostic> {
    let urls: Vec<String> = links.iter().map(|(u, _)| u.clone()).collect();
    let (statuses, fetched) = hearth::external::check(root, &urls);
    println!(
        "Checked {} external links ({fetched} fetched, the rest from {}).",
        urls.len(),
        hearth::external::CACHE_FILE
    );
    links
        .iter()
        .filter_map(|(url, pages)| {
            let status = statuses.get(url)?;
            (!status.is_ok()).then(|| {
                let what = status.status.map_or_else(|| status.error.clone().unwrap_or_default(), |s| format!("HTTP {s}"));
                Diagnostic::error(pages.join(", "), format!("external link {url} is broken: {what}"))
                    .with_help("update or remove the link; if the site is only down for now, run the check again later")
            })
        })
        .collect()
}
