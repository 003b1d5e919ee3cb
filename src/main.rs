//! The `hearth` command line: parses arguments, runs the library, prints diagnostics and
//! sets the exit code (0 success, 1 problems in the site, 2 usage errors from clap).

mod cmd;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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

/// A command moved to `cmd/` takes its help text from the doc comment of its `Args`.
#[derive(Subcommand)]
enum Command {
    Build(cmd::build::Args),
    Check(cmd::check::Args),
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
    Init {
        dir: PathBuf,
    },
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
        Command::Build(args) => cmd::build::run(args, styled),
        Command::Check(args) => cmd::check::run(args, styled),
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
