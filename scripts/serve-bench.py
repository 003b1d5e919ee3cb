#!/usr/bin/env python3
"""Time `hearth serve` from saving an article to the browser being told to reload.

Starts `hearth serve --port 0` on a site, listens on the live-reload event stream as a
browser does, then edits one article at a time and measures, for each save, the time
from just before the file is written until the `reload` event arrives. Two kinds of
edit are timed: a sentence added to the body (the common case) and a changed title in
the front matter (a change every list showing the article must follow). With search on,
`--index-edits N` also times N body edits from the save until the search index that
includes it is served (the server's status stops saying `search_pending`).

    python3 scripts/serve-bench.py --hearth target/release/hearth --site /tmp/site --edits 20

Standard library only. The site is left as it was found: edited files are restored.
"""

import argparse
import http.client
import json
import pathlib
import statistics
import subprocess
import sys
import threading
import time


def start_server(hearth, site):
    proc = subprocess.Popen(
        [hearth, "serve", "--port", "0", "--root", site],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    while True:
        line = proc.stdout.readline()
        if not line:
            sys.exit("hearth serve stopped:\n" + "".join(lines))
        lines.append(line)
        if " at http://" in line:
            address = line.split(" at http://")[1].split()[0].rstrip("/")
            host, port = address.rsplit(":", 1)
            break
    # Keep the server's terminal lines (one per rebuild) for the report.
    log = []
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    return proc, host, int(port), line.strip(), log


def status(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/__hearth/status")
    return json.loads(conn.getresponse().read())


def wait_for(host, port, done, what, timeout=600):
    started = time.monotonic()
    while not done(status(host, port)):
        if time.monotonic() - started > timeout:
            sys.exit(f"gave up waiting for {what}")
        time.sleep(0.2)


class Events:
    """The live-reload stream, read on a thread; `wait` returns when the next event comes."""

    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port)
        self.conn.request("GET", "/__hearth/events")
        self.response = self.conn.getresponse()
        self.cond = threading.Condition()
        self.events = []
        self.errors = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            line = self.response.readline()
            if not line:
                return
            line = line.decode().strip()
            if line.startswith("event:"):
                with self.cond:
                    self.events.append((time.perf_counter(), line[6:].strip()))
                    self.cond.notify_all()
            elif line.startswith("data:") and self.events and self.events[-1][1] != "reload":
                self.errors.append(line[5:].strip())

    def next_after(self, count, timeout=120):
        with self.cond:
            if not self.cond.wait_for(lambda: len(self.events) > count, timeout):
                raise TimeoutError("no event from the server")
            return self.events[count]


def timed_edits(events, path, original, edits, change):
    times = []
    for i in range(edits):
        seen = len(events.events)
        text = change(original, i)
        started = time.perf_counter()
        path.write_text(text)
        at, kind = events.next_after(seen)
        if kind != "reload":
            time.sleep(0.5)
            sys.exit(f"the edit did not build: {kind}\n" + "\n".join(events.errors))
        times.append((at - started) * 1000)
        # Let any second event of the same save (truncate, then write) arrive first.
        time.sleep(0.3)
        while len(events.events) > seen + 1:
            seen += 1
    return times


def timed_index_edits(events, host, port, path, original, edits):
    """Save → the search index of that save served, in ms, for each of `edits` saves."""
    times = []
    for i in range(edits):
        seen = len(events.events)
        text = original.rstrip("\n") + f"\n\nA sentence to find, number {i}.\n"
        started = time.perf_counter()
        path.write_text(text)
        at, kind = events.next_after(seen)
        if kind != "reload":
            sys.exit(f"the edit did not build: {kind}\n" + "\n".join(events.errors))
        # The reload came after the rebuild that asked for the new index.
        while status(host, port).get("search_pending"):
            if time.perf_counter() - started > 120:
                sys.exit("the search index was not made within 120 s")
            time.sleep(0.01)
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.5)
        while len(events.events) > seen + 1:
            seen += 1
    return times


def summary(name, times):
    times = sorted(times)
    return (
        f"{name}: median {statistics.median(times):.1f} ms, "
        f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms ({len(times)} saves)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hearth", required=True)
    parser.add_argument("--site", required=True)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--index-edits", type=int, default=0)
    args = parser.parse_args()

    articles = sorted(pathlib.Path(args.site, "content", "articles").glob("*.md"))
    articles = [a for a in articles if a.name != "_index.md"]
    if not articles:
        sys.exit("no articles under content/articles")
    article = articles[len(articles) // 2]
    original = article.read_text()

    proc, host, port, first_line, log = start_server(args.hearth, args.site)
    try:
        print(first_line)
        wait_for(host, port, lambda s: not s.get("search_pending"), "the first search index")
        events = Events(host, port)
        time.sleep(0.5)

        def body_edit(text, i):
            return text.rstrip("\n") + f"\n\nOne more sentence, number {i}.\n"

        def title_edit(text, i):
            head, title, rest = text.partition("\ntitle: ")
            quote = rest[:1] if rest[:1] in "\"'" else ""
            return f"{head}{title}{quote}Revised {i}: {rest[len(quote):]}"

        body = timed_edits(events, article, original, args.edits, body_edit)
        article.write_text(original)
        time.sleep(1)
        title = timed_edits(events, article, original, max(3, args.edits // 4), title_edit)
        print(f"article edited: {article}")
        print(summary("body edit → reload", body))
        print(summary("title edit → reload", title))
        if args.index_edits:
            article.write_text(original)
            time.sleep(1)
            index = timed_index_edits(events, host, port, article, original, args.index_edits)
            print(summary("body edit → search index served", index))
        rebuilds = [line.strip() for line in log if line.startswith("Rebuilt")]
        if rebuilds:
            print("server's last lines:")
            for line in rebuilds[-3:]:
                print("  " + line)
    except TimeoutError as e:
        print(f"{e}; the server said:\n" + "".join(log[-10:]))
        sys.exit(1)
    finally:
        article.write_text(original)
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
