//! Running the system's `git` on hearth's own bare repository: never the practice's
//! repository, never a prompt for a password (credentials are git's own: an ssh agent or a
//! credential helper).

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::error::PublishError;

/// Who signs a publish commit when git has no identity configured (a fresh machine).
const FALLBACK_NAME: &str = "hearth";
const FALLBACK_EMAIL: &str = "hearth@localhost";

/// A bare repository of hearth's, and the index file its trees are built in.
#[derive(Debug)]
pub(crate) struct Git {
    dir: PathBuf,
    index: PathBuf,
}

impl Git {
    /// Opens the bare repository at `dir`, creating it if it is not there yet.
    pub fn open_or_init(dir: &Path) -> Result<Git, PublishError> {
        let git = Git {
            dir: dir.to_path_buf(),
            // One index file per process, so two publishes at once cannot mix their trees.
            index: dir.join(format!("hearth-index-{}", std::process::id())),
        };
        if !dir.join("HEAD").is_file() {
            std::fs::create_dir_all(dir).map_err(|e| PublishError::io("create", dir, e))?;
            git.run(
                "create hearth's publish repository",
                ["init", "--bare", "--quiet"],
                None,
            )?;
        }
        Ok(git)
    }

    /// Lets this repository read the objects of `other` (a dry run's scratch repository
    /// borrows the cache's, so it fetches little and writes nothing there).
    pub fn borrow_objects_of(&self, other: &Path) -> Result<(), PublishError> {
        let objects = other.join("objects");
        if !objects.is_dir() {
            return Ok(());
        }
        let file = self.dir.join("objects/info/alternates");
        let line = format!("{}\n", objects.display());
        std::fs::write(&file, line).map_err(|e| PublishError::io("write", file, e))
    }

    /// Runs `git ARGS` and returns its standard output; `action` says what failed.
    pub fn run<I, S>(
        &self,
        action: &str,
        args: I,
        input: Option<&[u8]>,
    ) -> Result<String, PublishError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_with(action, args, input, &[])
    }

    /// As [`Git::run`], with extra environment variables.
    pub fn run_with<I, S>(
        &self,
        action: &str,
        args: I,
        input: Option<&[u8]>,
        env: &[(&str, &str)],
    ) -> Result<String, PublishError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = self.command(args);
        command.envs(env.iter().copied());
        command.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PublishError::GitMissing,
            _ => PublishError::io("run git in", &self.dir, e),
        })?;
        let stdin = child.stdin.take();
        // Written from a thread of its own: git answers while it reads, and a long answer
        // would fill its pipe and stop it while we were still writing.
        let output = std::thread::scope(|scope| {
            if let (Some(mut stdin), Some(input)) = (stdin, input) {
                scope.spawn(move || stdin.write_all(input));
            }
            child.wait_with_output()
        })
        .map_err(|e| PublishError::io("run git in", &self.dir, e))?;
        if !output.status.success() {
            let detail = String::from_utf8_lossy(&output.stderr).trim().to_string();
            return Err(PublishError::Git {
                action: action.to_string(),
                detail: if detail.is_empty() {
                    output.status.to_string()
                } else {
                    detail
                },
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new("git");
        command
            .arg("--git-dir")
            .arg(&self.dir)
            .args(args)
            // A password prompt would hang a publish run from the editor or CI: git must
            // find its credentials itself or fail.
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_INDEX_FILE", &self.index)
            .env("LC_ALL", "C")
            // hearth may run inside a git hook of the practice's repository.
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// The index file trees are built in; emptied before each tree.
    pub fn index(&self) -> &Path {
        &self.index
    }

    /// The author and committer for a commit: the user's git identity where there is one,
    /// otherwise hearth's fallback, so a publish works on a machine that never set one.
    pub fn identity_env(&self) -> Vec<(&'static str, &'static str)> {
        let configured = |key: &str| {
            self.run("read the git identity", ["config", "--get", key], None)
                .is_ok_and(|value| !value.trim().is_empty())
        };
        let mut env = Vec::new();
        if !configured("user.name") {
            env.extend([
                ("GIT_AUTHOR_NAME", FALLBACK_NAME),
                ("GIT_COMMITTER_NAME", FALLBACK_NAME),
            ]);
        }
        if !configured("user.email") {
            env.extend([
                ("GIT_AUTHOR_EMAIL", FALLBACK_EMAIL),
                ("GIT_COMMITTER_EMAIL", FALLBACK_EMAIL),
            ]);
        }
        env
    }
}
