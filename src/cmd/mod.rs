//! The `hearth` subcommands, one module each (its clap `Args` and its `run`), and the
//! printing they share.

pub mod build;
pub mod check;
pub mod edit;
pub mod import;
pub mod init;
pub mod new;
pub mod publish;
pub mod serve;

use hearth::diagnostics::Diagnostic;

/// What every command returns: nothing on success, or the problems that made it fail.
pub type Outcome = Result<(), Vec<Diagnostic>>;

/// Prints diagnostics to stderr, one block each with a blank line after it.
pub fn print_all(diagnostics: &[Diagnostic], styled: bool) {
    for d in diagnostics {
        eprintln!("{}\n", d.render(styled));
    }
}

/// Prints the problems that made a command fail, then how many of them are errors.
pub fn print_failure(diagnostics: &[Diagnostic], styled: bool) {
    print_all(diagnostics, styled);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "{errors} {} found; nothing was written.",
        if errors == 1 { "error" } else { "errors" }
    );
}
