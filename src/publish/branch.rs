//! The git target: the built site becomes one tree, committed on the publish branch as a
//! child of its tip (or as the first commit of a new, orphan branch) and pushed.

use std::path::Path;

use super::Changes;
use super::error::PublishError;
use super::files::{SiteFile, is_page};
use super::git::Git;

/// Where hearth keeps the last fetched tip of the branch in its own repository.
const TIP_REF: &str = "refs/hearth/tip";

/// A tree ready to be committed and pushed.
#[derive(Debug)]
pub(crate) struct Prepared {
    git: Git,
    remote: String,
    branch: String,
    tree: String,
    parent: Option<String>,
}

/// What the plan learned from the remote.
pub(crate) struct Planned {
    pub prepared: Prepared,
    pub changes: Changes,
    pub published_pages: usize,
}

/// Fetches the branch's tip, builds the tree of `files` and compares the two.
pub(crate) fn plan(
    git: Git,
    remote: &str,
    branch: &str,
    files: &[SiteFile],
) -> Result<Planned, PublishError> {
    let parent = fetch_tip(&git, remote, branch)?;
    let tree = write_tree(&git, files)?;
    let (changes, published_pages) = match &parent {
        Some(tip) => (diff(&git, tip, &tree)?, count_pages(&git, tip)?),
        None => (Changes::all_added(files), 0),
    };
    let prepared = Prepared {
        git,
        remote: remote.to_string(),
        branch: branch.to_string(),
        tree,
        parent,
    };
    Ok(Planned {
        prepared,
        changes,
        published_pages,
    })
}

/// Commits the tree with `message` and pushes it; returns the new commit's id.
pub(crate) fn apply(prepared: Prepared, message: &str) -> Result<String, PublishError> {
    let Prepared {
        git,
        remote,
        branch,
        tree,
        parent,
    } = prepared;
    let mut args = vec!["commit-tree".to_string(), tree];
    if let Some(parent) = parent {
        args.extend(["-p".to_string(), parent]);
    }
    args.extend(["-m".to_string(), message.to_string()]);
    let commit = git
        .run_with("make the publish commit", &args, None, &git.identity_env())?
        .trim()
        .to_string();
    // No --force: if someone pushed to the branch since the plan, git refuses and the
    // next publish starts from their commit.
    let refspec = format!("{commit}:refs/heads/{branch}");
    git.run(
        &format!("push to branch `{branch}` of {remote}"),
        ["push", "--quiet", &remote, &refspec],
        None,
    )?;
    git.run(
        "remember the published commit",
        ["update-ref", TIP_REF, &commit],
        None,
    )?;
    Ok(commit)
}

/// The commit at the tip of `branch` on the remote, fetched into hearth's repository, or
/// `None` when the branch does not exist yet.
fn fetch_tip(git: &Git, remote: &str, branch: &str) -> Result<Option<String>, PublishError> {
    let full = format!("refs/heads/{branch}");
    let listed = git.run(
        &format!("reach {remote}"),
        ["ls-remote", remote, &full],
        None,
    )?;
    let exists = listed
        .lines()
        .any(|line| line.split('\t').nth(1) == Some(full.as_str()));
    if !exists {
        return Ok(None);
    }
    let refspec = format!("+{full}:{TIP_REF}");
    git.run(
        &format!("fetch branch `{branch}` of {remote}"),
        [
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            remote,
            &refspec,
        ],
        None,
    )?;
    let tip = git.run(
        "read the fetched branch",
        ["rev-parse", "--verify", TIP_REF],
        None,
    )?;
    Ok(Some(tip.trim().to_string()))
}

/// Stores every file as a blob and writes the tree that holds exactly these files.
fn write_tree(git: &Git, files: &[SiteFile]) -> Result<String, PublishError> {
    let index = git.index();
    if index.exists() {
        std::fs::remove_file(index).map_err(|e| PublishError::io("remove", index, e))?;
    }
    let paths: String = files
        .iter()
        .map(|f| format!("{}\n", f.abs.display()))
        .collect();
    // --no-filters: the bytes hearth built are published as they are.
    let ids = git.run(
        "store the site's files",
        ["hash-object", "-w", "--no-filters", "--stdin-paths"],
        Some(paths.as_bytes()),
    )?;
    let entries: String = ids
        .lines()
        .zip(files)
        .map(|(id, file)| format!("100644 blob {id}\t{}\n", file.rel))
        .collect();
    git.run(
        "list the site's files",
        ["update-index", "--add", "--index-info"],
        Some(entries.as_bytes()),
    )?;
    let tree = git.run("write the site's tree", ["write-tree"], None)?;
    let _ = std::fs::remove_file(index);
    Ok(tree.trim().to_string())
}

/// What differs between the published commit and the new tree.
fn diff(git: &Git, tip: &str, tree: &str) -> Result<Changes, PublishError> {
    let out = git.run(
        "compare with the published site",
        [
            "diff-tree",
            "-r",
            "-z",
            "--no-renames",
            "--name-status",
            tip,
            tree,
        ],
        None,
    )?;
    let mut changes = Changes::default();
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let list = match status {
            "A" => &mut changes.added,
            "D" => &mut changes.removed,
            _ => &mut changes.changed,
        };
        list.push(path.to_string());
    }
    Ok(changes)
}

/// How many pages the published commit holds.
fn count_pages(git: &Git, tip: &str) -> Result<usize, PublishError> {
    let out = git.run(
        "list the published site",
        ["ls-tree", "-r", "-z", "--name-only", tip],
        None,
    )?;
    Ok(out.split('\0').filter(|p| is_page(p)).count())
}

/// The remote as git should be given it: a relative local path is taken from the site
/// folder, not from hearth's repository where git runs.
pub(crate) fn remote_address(root: &Path, remote: &str) -> String {
    let local = root.join(remote);
    if !Path::new(remote).is_absolute() && !remote.contains(':') && local.exists() {
        std::path::absolute(&local)
            .unwrap_or(local)
            .display()
            .to_string()
    } else {
        remote.to_string()
    }
}
