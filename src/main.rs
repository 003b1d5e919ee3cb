//! The `hearth` command line: parses arguments, hands them to the command's module under
//! `cmd/`, prints the diagnostics of a failure and sets the exit code (0 success, 1
//! problems in the site, 2 usage errors from clap).

mod cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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

/// Each command's help text is the doc comment of its `Args` in `cmd/`.
#[derive(Subcommand)]
enum Command {
    Build(cmd::build::Args),
    Check(cmd::check::Args),
    Serve(cmd::serve::Args),
    Edit(cmd::edit::Args),
    Import(cmd::import::Args),
    Init(cmd::init::Args),
    New(cmd::new::Args),
    Publish(cmd::publish::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(args, styled),
        Command::Check(args) => cmd::check::run(args, styled),
        Command::Serve(args) => cmd::serve::run(args, styled),
        Command::Edit(args) => cmd::edit::run(args, styled),
        Command::Import(args) => cmd::import::run(args, styled),
        Command::Init(args) => cmd::init::run(args, styled),
        Command::New(args) => cmd::new::run(args, styled),
        Command::Publish(args) => cmd::publish::run(args, styled),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            cmd::print_failure(&diagnostics, styled);
            ExitCode::from(1)
        }
    }
}
