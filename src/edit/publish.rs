//! The editor's Publish button ("Put your site online", so that it is not mistaken for
//! Decap's own Publish, which saves one page): `/admin/publish` shows what a publish would change (the
//! same summary and deletion guard as `hearth publish`, from a dry run) and asks; the form
//! it posts back is the confirmation, and publishes. Plain HTML: it works without
//! JavaScript, and the guard in front of every POST checks the Origin.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::publish::{self, PublishOptions, Published};

/// The page that shows the plan and asks.
pub(crate) fn ask(root: &Path) -> String {
    let options = PublishOptions {
        root: root.to_path_buf(),
        dry_run: true,
        ..PublishOptions::default()
    };
    let plan = match publish::plan(&options) {
        Ok(plan) => plan,
        Err(problems) => return page("hearth cannot publish yet", &problems_html(&problems)),
    };
    let mut body = format!("<pre>{}</pre>", escape(&plan.summary()));
    if plan.changes.is_empty() {
        body.push_str(
            "<p>The published site is already up to date: there is nothing to publish.</p>",
        );
        return page("Put your site online", &body);
    }
    body.push_str(r#"<form method="post" action="/admin/publish">"#);
    if let Err(refused) = plan.guard() {
        body.push_str(&problems_html(&refused));
        body.push_str(
            r#"<p><label><input type="checkbox" name="allow_deletions" value="yes" required> Yes, remove these pages from the published site</label></p>"#,
        );
    }
    body.push_str(r#"<p><button type="submit">Put it online now</button></p></form>"#);
    page("Put your site online", &body)
}

/// Publishes, after the practice confirmed on the page [`ask`] made. The plan is made
/// again, so what is sent is the site as it is now, under the same guard.
pub(crate) fn publish(root: &Path, form: &str) -> String {
    let options = PublishOptions {
        root: root.to_path_buf(),
        allow_deletions: form.split('&').any(|pair| pair == "allow_deletions=yes"),
        ..PublishOptions::default()
    };
    let done = publish::plan(&options).and_then(|plan| {
        let summary = plan.summary();
        Ok((summary, publish::apply(plan)?))
    });
    match done {
        Ok((summary, published)) => {
            let outcome = match published {
                Published::Commit(id) => format!("Published: commit {}.", &id[..id.len().min(12)]),
                Published::Folder => "Published.".to_string(),
                Published::Nothing => "The published site was already up to date.".to_string(),
            };
            let body = format!(
                "<p role=\"status\">{}</p><pre>{}</pre>",
                escape(&outcome),
                escape(&summary)
            );
            page("Your site is published", &body)
        }
        Err(problems) => page("Nothing was published", &problems_html(&problems)),
    }
}

fn problems_html(problems: &Diagnostics) -> String {
    let text: String = problems.0.iter().map(|d| d.render(false) + "\n").collect();
    format!("<div role=\"alert\"><pre>{}</pre></div>", escape(&text))
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} (hearth)</title>
<style>
body {{ font: 1.0625rem/1.5 system-ui, sans-serif; margin: 0; color: #1f2a2a; background: #fbf8f3; }}
main {{ max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }}
pre {{ white-space: pre-wrap; background: #fff; border: 1px solid #b9b2a6; padding: 0.75rem; overflow-wrap: anywhere; }}
a {{ color: #1d5c57; }}
button {{ font: inherit; padding: 0.6rem 1.2rem; min-height: 2.75rem; background: #1d5c57; color: #fff; border: 0; border-radius: 0.3rem; cursor: pointer; }}
:focus-visible {{ outline: 3px solid #8a4b08; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
<p><a href="/admin/">Back to the editor</a> · <a href="/">Preview of the site</a></p>
</main>
</body>
</html>
"#
    )
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}
