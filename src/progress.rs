//! How far a build has got, told to whoever shows it: the stages of the pipeline and the
//! work done in each. The library only reports; the command line decides whether and how
//! to show it (`cmd/build.rs`: a progress bar on a terminal, nothing in a CI log).

use std::fmt;
use std::sync::Arc;

/// Receives a build's progress. Called from the threads doing the work.
pub trait Progress: Send + Sync {
    /// A stage starts, with `total` steps (pages to render, pages to index).
    fn stage(&self, name: &'static str, total: usize);
    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: usize);
}

/// The progress receiver a build was given, if any.
#[derive(Clone, Default)]
pub struct ProgressSink(Option<Arc<dyn Progress>>);

impl ProgressSink {
    pub fn new(progress: Arc<dyn Progress>) -> ProgressSink {
        ProgressSink(Some(progress))
    }

    pub(crate) fn stage(&self, name: &'static str, total: usize) {
        if let Some(p) = &self.0 {
            p.stage(name, total);
        }
    }

    pub(crate) fn advance(&self, steps: usize) {
        if let Some(p) = &self.0 {
            p.advance(steps);
        }
    }
}

impl fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressSink(Some(..))"
        } else {
            "ProgressSink(None)"
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<(&'static str, usize)>>);

    impl Progress for Recorder {
        fn stage(&self, name: &'static str, total: usize) {
            self.0.lock().unwrap().push((name, total));
        }
        fn advance(&self, steps: usize) {
            self.0.lock().unwrap().push(("+", steps));
        }
    }

    #[test]
    fn passes_stages_and_steps_on_and_is_silent_without_a_receiver() {
        let recorder = Arc::new(Recorder::default());
        let sink = ProgressSink::new(recorder.clone());
        sink.stage("Rendering", 3);
        sink.advance(2);
        ProgressSink::default().advance(5);
        assert_eq!(*recorder.0.lock().unwrap(), [("Rendering", 3), ("+", 2)]);
    }
}
