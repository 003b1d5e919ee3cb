//! `hearth build`: builds the site into its output folder and says what it made.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hearth::progress::{Progress, ProgressSink};
use hearth::{BuildOptions, BuildReport};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Outcome, print_all};

/// Build the site into its output folder (public/ by default).
#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args, styled: bool) -> Outcome {
    let bar = Arc::new(Bar::new(std::io::stderr().is_terminal()));
    let options = BuildOptions {
        root: hearth::site_root(args.root.as_deref()),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        progress: ProgressSink::new(bar.clone()),
        ..Default::default()
    };
    let built = hearth::build(&options);
    bar.bar.finish_and_clear();
    let report = built.map_err(|d| d.0)?;
    print_all(&report.warnings, styled);
    println!("{}", summary(&report));
    Ok(())
}

/// A build shorter than this shows no progress bar.
const QUIET_FOR: Duration = Duration::from_secs(2);

/// The progress bar of a long build, on stderr: drawn once the build has taken
/// [`QUIET_FOR`], and only when stderr is a terminal, so a CI log stays clean.
struct Bar {
    bar: ProgressBar,
    started: Instant,
    /// Whether it may be drawn at all; false once it is.
    may_show: AtomicBool,
}

impl Bar {
    fn new(terminal: bool) -> Bar {
        let bar = ProgressBar::hidden();
        if let Ok(style) = ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            started: Instant::now(),
            may_show: AtomicBool::new(terminal),
        }
    }

    fn show_if_long(&self) {
        if self.may_show.load(Ordering::Relaxed)
            && self.started.elapsed() >= QUIET_FOR
            && self.may_show.swap(false, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &'static str, total: usize) {
        // The counts first: a frame drawn in between shows the new stage's counts under
        // the old name for a moment, rather than the old counts under the new name.
        self.bar.set_position(0);
        self.bar.set_length(total as u64);
        self.bar.set_message(name);
        self.show_if_long();
    }

    fn advance(&self, steps: usize) {
        self.bar.inc(steps as u64);
        self.show_if_long();
    }
}

/// "Built 3 article, 1 page (12 files) in 40 ms → public".
fn summary(report: &BuildReport) -> String {
    let kinds: Vec<String> = report
        .pages_by_kind
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let photos = match (report.images_encoded, report.images_reused) {
        (0, 0) => String::new(),
        (encoded, reused) => format!(
            "; photos: {encoded} copies encoded, {reused} from the cache, {} originals read",
            report.images_read
        ),
    };
    format!(
        "Built {} ({} files{photos}) in {} ms → {}",
        if kinds.is_empty() {
            "the site".to_string()
        } else {
            kinds.join(", ")
        },
        report.files,
        report.elapsed.as_millis(),
        report.output_dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(bar: &Bar) -> bool {
        !bar.may_show.load(Ordering::Relaxed)
    }

    #[test]
    fn the_bar_is_drawn_only_on_a_terminal_and_only_after_two_seconds() {
        let quick = Bar::new(true);
        quick.stage("Rendering", 10);
        quick.advance(5);
        assert!(!shown(&quick), "drawn before two seconds");

        let mut long = Bar::new(true);
        long.started -= QUIET_FOR;
        long.advance(1);
        assert!(shown(&long), "not drawn after two seconds");

        let mut in_ci = Bar::new(false);
        in_ci.started -= QUIET_FOR;
        in_ci.advance(1);
        assert!(in_ci.bar.is_hidden());
    }
}
