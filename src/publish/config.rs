//! `[publish]` in site.toml: where `hearth publish` sends the built site, checked as it is
//! read so every mistake points at site.toml's line and column.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize};

/// `[publish]`, validated: a git target has a remote and a branch, a folder target a path.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "RawPublish")]
pub struct PublishConfig {
    pub target: Target,
    /// The share of published pages (`.html` files) one publish may remove.
    pub max_deletions: Share,
}

/// Where the site goes.
#[derive(Debug, Clone, Serialize)]
pub enum Target {
    /// A branch of a git repository, pushed with the system's `git`.
    Git { remote: Remote, branch: BranchName },
    /// A folder on this computer (a mounted drive, a synced folder).
    Folder { path: PathBuf },
}

/// `[publish]` as written, before the keys that belong together are checked together.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublish {
    target: TargetKind,
    #[serde(default)]
    remote: Option<Remote>,
    #[serde(default)]
    branch: Option<BranchName>,
    #[serde(default)]
    path: Option<PathBuf>,
    #[serde(default)]
    max_deletions: Share,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum TargetKind {
    Git,
    Folder,
}

impl TryFrom<RawPublish> for PublishConfig {
    type Error = String;

    fn try_from(raw: RawPublish) -> Result<Self, String> {
        let target = match raw.target {
            TargetKind::Git => {
                if raw.path.is_some() {
                    return Err("[publish] `path` is for target = \"folder\"; a git target uses remote and branch, so remove path".into());
                }
                let remote = raw.remote.ok_or(
                    "[publish] target = \"git\" needs a remote: add remote = \"…\" with the address you would give `git push`, e.g. remote = \"git@codeberg.org:you/pages.git\"",
                )?;
                let branch = raw.branch.ok_or(
                    "[publish] target = \"git\" needs a branch: add branch = \"pages\" (or the branch your host serves, such as gh-pages)",
                )?;
                Target::Git { remote, branch }
            }
            TargetKind::Folder => {
                if raw.remote.is_some() || raw.branch.is_some() {
                    return Err("[publish] `remote` and `branch` are for target = \"git\"; a folder target uses path, so remove them".into());
                }
                let path = raw.path.filter(|p| !p.as_os_str().is_empty()).ok_or(
                    "[publish] target = \"folder\" needs a path: add path = \"…\" naming the folder to copy the site into",
                )?;
                Target::Folder { path }
            }
        };
        Ok(PublishConfig {
            target,
            max_deletions: raw.max_deletions,
        })
    }
}

/// A share between 0 and 1 (`max_deletions`); 0.5 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share(f64);

impl Share {
    pub fn get(self) -> f64 {
        self.0
    }
}

impl Default for Share {
    fn default() -> Self {
        Share(0.5)
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if (0.0..=1.0).contains(&value) {
            Ok(Share(value))
        } else {
            Err(serde::de::Error::custom(format!(
                "max_deletions {value} is not a share between 0 and 1: write e.g. 0.5 to let a publish remove at most half of the published pages"
            )))
        }
    }
}

/// A git remote: a URL, an ssh address or a local path, never an option to git and never
/// with a password in it (git's own credential helpers and ssh keys keep those).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remote(String);

impl Remote {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn check(value: &str) -> Result<(), String> {
        if value.trim().is_empty() {
            return Err("remote is empty: write the repository's address, e.g. \"git@codeberg.org:you/pages.git\"".into());
        }
        if value.starts_with('-') || value.chars().any(char::is_control) {
            return Err(format!(
                "remote `{value}` is not a repository address: write it as you would give it to `git push`"
            ));
        }
        if let Some((_, rest)) = value.split_once("://")
            && rest
                .split('/')
                .next()
                .is_some_and(|host| host.contains(':') && host.contains('@'))
        {
            return Err("remote has a password or token in it, and site.toml is no place for one: remove it from the address and let git keep it (a credential helper, or an ssh key)".into());
        }
        Ok(())
    }
}

impl fmt::Display for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Remote {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Remote::check(&value).map_err(serde::de::Error::custom)?;
        Ok(Remote(value))
    }
}

/// A branch name git accepts (the common rules of `git check-ref-format`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchName(String);

impl BranchName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn is_valid(name: &str) -> bool {
        !name.is_empty()
            && !name.starts_with(['-', '/', '.'])
            && !name.ends_with(['/', '.'])
            && !name.ends_with(".lock")
            && !name.contains("..")
            && !name.contains("//")
            && !name.contains("@{")
            && !name.contains("/.")
            && !name
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c))
    }
}

impl fmt::Display for BranchName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for BranchName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        if BranchName::is_valid(&value) {
            Ok(BranchName(value))
        } else {
            Err(serde::de::Error::custom(format!(
                "branch `{value}` is not a name git accepts: use letters, digits, `-`, `_` and `/`, e.g. branch = \"pages\""
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    const BASE: &str = "title = \"T\"\nbase_url = \"https://e.org\"\n";

    fn parse(publish: &str) -> Result<Config, Vec<crate::diagnostics::Diagnostic>> {
        Config::parse(
            &format!("{BASE}[publish]\n{publish}"),
            Path::new("site.toml"),
        )
    }

    #[test]
    fn a_git_target_reads_with_the_default_share() {
        let config = parse(
            "target = \"git\"\nremote = \"git@codeberg.org:a/pages.git\"\nbranch = \"pages\"\n",
        )
        .expect("valid");
        let publish = config.publish.expect("publish");
        assert_eq!(publish.max_deletions.get(), 0.5);
        assert!(
            matches!(publish.target, super::Target::Git { ref branch, .. } if branch.as_str() == "pages")
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_a_hint_and_its_line() {
        let err = parse("target = \"folder\"\npaht = \"/x\"\n").expect_err("typo");
        assert_eq!(err[0].location(), "site.toml:5:1");
        assert!(
            err[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("did you mean `path`"),
            "{:?}",
            err[0]
        );
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let cases = [
            (
                "target = \"git\"\nremote = \"r\"\nbranch = \"pa ges\"\n",
                6,
                "not a name git accepts",
            ),
            (
                "target = \"folder\"\npath = \"/x\"\nmax_deletions = 2.0\n",
                6,
                "between 0 and 1",
            ),
            (
                "target = \"git\"\nremote = \"--upload-pack=x\"\nbranch = \"p\"\n",
                5,
                "not a repository address",
            ),
            (
                "target = \"git\"\nremote = \"https://me:secret@host/r.git\"\nbranch = \"p\"\n",
                5,
                "password",
            ),
            ("target = \"ftp\"\n", 4, "unknown variant"),
        ];
        for (publish, line, fragment) in cases {
            let err = parse(publish).expect_err(publish);
            assert_eq!(err[0].line, Some(line), "{publish}: {:?}", err[0]);
            assert!(
                err[0].message.contains(fragment),
                "{publish}: {}",
                err[0].message
            );
        }
    }

    #[test]
    fn keys_of_the_other_target_and_missing_keys_are_explained() {
        for (publish, fragment) in [
            ("target = \"git\"\nbranch = \"p\"\n", "needs a remote"),
            ("target = \"git\"\nremote = \"r\"\n", "needs a branch"),
            ("target = \"folder\"\n", "needs a path"),
            (
                "target = \"folder\"\npath = \"/x\"\nbranch = \"p\"\n",
                "are for target = \"git\"",
            ),
            (
                "target = \"git\"\nremote = \"r\"\nbranch = \"p\"\npath = \"/x\"\n",
                "is for target = \"folder\"",
            ),
        ] {
            let err = parse(publish).expect_err(publish);
            assert!(
                err[0].message.contains(fragment),
                "{publish}: {}",
                err[0].message
            );
            assert_eq!(err[0].path, Path::new("site.toml"));
            assert!(err[0].line.is_some(), "{publish}: no line");
        }
    }
}
