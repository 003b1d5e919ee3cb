#!/usr/bin/env bash
# Whole-site build timings for hearth (issue #9); the figures and how to read them are in
# BENCHMARKS.md.
#
#   scripts/bench.sh                 # 1k and 10k sites, search off and on, Hugo if installed
#   RUNS=5 SIZES="1000" scripts/bench.sh
#
# Environment:
#   RUNS          timed runs per measurement after one warm-up run (default 3)
#   SEARCH_RUNS   timed runs with the search index on (default 1: it is the slow one); 0 also
#                 leaves the search-on build out of the Hugo comparison
#   SIZES         article counts for gen-site (default "1000 10000")
#   HUGO_SIZES    article counts for the Hugo comparison (default: the largest of SIZES)
#   GEN_SITE_PY   the shared gen_site.py (default: looked for in ../shared/bench/ and
#                 ../../shared/bench/ from the repository, then /work/shared/bench/)
#   RM_INSIDE     1 (the default): in the Hugo comparison, each timed run is
#                 `rm -rf OUT && tool … OUT`, as issue #21 quotes its figures; 0: each run
#                 writes into a new folder instead (see below)
#   BASELINE      another hearth binary (e.g. main's) timed in the same alternating runs of
#                 the Hugo comparison, search off and on, for a paired before/after
#   PDF           1 builds hearth with the default `pdf` feature (Typst's release build takes
#                 about 15 minutes); by default without it: no bench site has worksheets
#   CARGO_TARGET_DIR  as for cargo
#
# Outside the Hugo comparison (and in it with RM_INSIDE=0), every run writes into a folder
# of its own, and the outputs are deleted only at the end: on this machine's ext4,
# creating files right after deleting tens of thousands of them costs several seconds more
# (the kernel skips recently freed inodes one by one), which measures the previous run's
# `rm -rf` as much as the build. That is what a user's `rm -rf public && build` costs,
# though, so the Hugo comparison times it by default, for every tool alike. Hugo and
# `cp -r` get the same treatment as hearth either way.
set -euo pipefail

RUNS=${RUNS:-3}
RM_INSIDE=${RM_INSIDE:-1}
BASELINE=${BASELINE:-}
[[ -z $BASELINE || -x $BASELINE ]] || { echo "bench.sh: BASELINE is not an executable: $BASELINE" >&2; exit 1; }
SEARCH_RUNS=${SEARCH_RUNS:-1}
SIZES=${SIZES:-"1000 10000"}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

command -v python3 >/dev/null || die "python3 is needed (timing, and the shared gen_site.py)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
[[ $SEARCH_RUNS =~ ^[0-9]+$ ]] || die "SEARCH_RUNS must be a number"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hearth-bench.XXXXXX")
cleanup() {
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building the release binary and gen-site"
features=(--no-default-features)
[[ ${PDF:-0} == 1 ]] && features=()
(cd "$ROOT" && cargo build --release --quiet "${features[@]}" --bin hearth --example gen-site)
# Copies, so another build in a shared target folder cannot swap them mid-run.
mkdir -p "$WORK/bin"
cp "$TARGET/release/hearth" "$TARGET/release/examples/gen-site" "$WORK/bin/"
[[ -n $BASELINE ]] && cp "$BASELINE" "$WORK/bin/baseline"
HEARTH=$WORK/bin/hearth
GEN=$WORK/bin/gen-site

# timed LOG CMD...: runs CMD with no input, appends "wall_s cpu_s peak_MiB" to LOG.
# Peak memory is the child's maximum resident set (ru_maxrss).
timed() {
    local log=$1
    shift
    python3 - "$log" "$WORK/last-stderr" "$@" <<'PY'
import os, subprocess, sys, time
log, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(err, "w") as e:
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=e)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
code = os.waitstatus_to_exitcode(status)
if code != 0:
    sys.stderr.write(open(err).read())
    sys.exit("bench.sh: failed (exit %d): %s" % (code, " ".join(argv)))
with open(log, "a") as f:
    f.write("%.3f %.3f %.1f\n" % (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024))
PY
}

# stat LOG COLUMN min|median: the minimum or median of one column.
stat() {
    sort -g -k"$2","$2" "$1" | awk -v c="$2" -v w="$3" '
        { v[NR] = $c }
        END {
            if (NR == 0) { print "nan"; exit }
            if (w == "min") { print v[1]; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

ROWS=$WORK/rows
row() { printf '%-54s %9s %9s %9s %9s %10s\n' "$@" | tee -a "$ROWS" >/dev/null; }
row "what" "min s" "median s" "cpu s" "peak MiB" "pages/s"

# build_runs NAME SITE N_RUNS [WARM]: times `hearth build` of SITE, each run into a new
# folder, after one untimed warm-up run unless WARM is "no".
build_runs() {
    local name=$1 site=$2 runs=$3 log=$WORK/$1.log i
    : >"$log"
    if [[ ${4:-yes} != no ]]; then
        "$HEARTH" build --root "$site" --output "$WORK/out-$name-warm" >/dev/null ||
            die "hearth build of $site failed"
    fi
    for ((i = 1; i <= runs; i++)); do
        timed "$log" "$HEARTH" build --root "$site" --output "$WORK/out-$name-$i"
    done
    local pages
    pages=$(find "$WORK/out-$name-1" -name '*.html' -not -path '*/pagefind/*' | wc -l)
    local med
    med=$(stat "$log" 1 median)
    row "hearth $name ($pages pages)" "$(stat "$log" 1 min)" "$med" "$(stat "$log" 2 median)" \
        "$(stat "$log" 3 median)" "$(div "$pages" "$med" | awk '{ printf "%.0f", $1 }')"
}

# copy_floor NAME [FROM LABEL]: times `cp -r` of FROM (default: the first output of NAME)
# into new folders; logs to cp-NAME.log.
copy_floor() {
    local name=$1 from=${2:-$WORK/out-$1-1} label=${3:-"that output"} log=$WORK/cp-$1.log i
    : >"$log"
    for ((i = 1; i <= RUNS; i++)); do
        timed "$log" cp -r "$from" "$WORK/cp-$name-$i"
    done
    row "cp -r of $label ($(du -sm "$from" | cut -f1) MB)" \
        "$(stat "$log" 1 min)" "$(stat "$log" 1 median)" "$(stat "$log" 2 median)" "-" "-"
}

for n in $SIZES; do
    echo "== $n articles (gen-site)"
    "$GEN" --articles "$n" --search off "$WORK/site-$n"
    build_runs "$n" "$WORK/site-$n" "$RUNS"
    copy_floor "$n"
    if ((SEARCH_RUNS > 0)); then
        "$GEN" --articles "$n" --search on "$WORK/site-$n-search" >/dev/null
        # No warm-up: the search build is the slow one, and gen-site just wrote (and so
        # cached) the same content.
        build_runs "$n-search" "$WORK/site-$n-search" "$SEARCH_RUNS" no
    fi
done

# The Hugo comparison: the shared generator's two flavours of the same content.
largest=$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -1)
HUGO_SIZES=${HUGO_SIZES:-$largest}
# shellcheck source=scripts/gen-site-py.sh
source "$ROOT/scripts/gen-site-py.sh"
if ! command -v hugo >/dev/null; then
    echo "== hugo is not on PATH: no Hugo comparison"
elif [[ -z ${GEN_SITE_PY:-} || ! -f $GEN_SITE_PY ]]; then
    echo "== gen_site.py not found (set GEN_SITE_PY): no Hugo comparison"
else
    for n in $HUGO_SIZES; do
        echo "== $n articles (gen_site.py): hearth and $(hugo version | cut -d' ' -f1-2)"
        python3 "$GEN_SITE_PY" --n "$n" --flavour hugo --out "$WORK/hugo-$n" >/dev/null
        python3 "$GEN_SITE_PY" --n "$n" --flavour hearth --out "$WORK/py-$n" >/dev/null
        # The default build (search on) of the same content, for issue #21's target.
        cp -r "$WORK/py-$n" "$WORK/pysearch-$n"
        # Hugo's flavour builds no search index: leave Pagefind out on both sides.
        printf '\n[search]\nenabled = false\n' >>"$WORK/py-$n/site.toml"
        hugo --quiet --source "$WORK/hugo-$n" --destination "$WORK/hugo-out-$n-warm" >/dev/null
        "$HEARTH" build --root "$WORK/py-$n" --output "$WORK/out-py-$n-warm" >/dev/null 2>&1
        : >"$WORK/py-$n.log"
        : >"$WORK/pysearch-$n.log"
        : >"$WORK/hugo-$n.log"
        : >"$WORK/base-py-$n.log"
        : >"$WORK/base-pysearch-$n.log"
        # fresh LOG OUT CMD...: times CMD, which writes into OUT; with RM_INSIDE=1 the same
        # OUT each run, removed inside the timed command, else a new OUT per run.
        fresh() {
            local log=$1 out=$2
            shift 2
            if [[ $RM_INSIDE == 1 ]]; then
                timed "$log" sh -c 'rm -rf -- "$0" && exec "$@"' "$out" "$@"
            else
                timed "$log" "$@"
            fi
        }
        # Alternating runs, so both see the same disk and load.
        for ((i = 1; i <= RUNS; i++)); do
            o() { if [[ $RM_INSIDE == 1 ]]; then echo "$WORK/out-$1-$n"; else echo "$WORK/out-$1-$n-$i"; fi; }
            fresh "$WORK/py-$n.log" "$(o py)" "$HEARTH" build --root "$WORK/py-$n" --output "$(o py)"
            fresh "$WORK/hugo-$n.log" "$(o hugo)" hugo --quiet --source "$WORK/hugo-$n" \
                --destination "$(o hugo)"
            if ((SEARCH_RUNS > 0)); then
                fresh "$WORK/pysearch-$n.log" "$(o pysearch)" "$HEARTH" build \
                    --root "$WORK/pysearch-$n" --output "$(o pysearch)"
            fi
            if [[ -n $BASELINE ]]; then
                fresh "$WORK/base-py-$n.log" "$(o base-py)" "$WORK/bin/baseline" build \
                    --root "$WORK/py-$n" --output "$(o base-py)"
                if ((SEARCH_RUNS > 0)); then
                    fresh "$WORK/base-pysearch-$n.log" "$(o base-pysearch)" "$WORK/bin/baseline" \
                        build --root "$WORK/pysearch-$n" --output "$(o base-pysearch)"
                fi
            fi
            echo "   run $i of $RUNS done (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
        done
        # The first output of each side, for counting pages and for `cp -r`.
        first() { if [[ $RM_INSIDE == 1 ]]; then echo "$WORK/out-$1-$n"; else echo "$WORK/out-$1-$n-1"; fi; }
        sides=("py-$n" "hugo-$n")
        ((SEARCH_RUNS > 0)) && sides+=("pysearch-$n")
        [[ -n $BASELINE ]] && sides+=("base-py-$n")
        [[ -n $BASELINE ]] && ((SEARCH_RUNS > 0)) && sides+=("base-pysearch-$n")
        for side in "${sides[@]}"; do
            case $side in
            py-*) out=$(first py) label="hearth, gen_site.py $n, search off" ;;
            pysearch-*) out=$(first pysearch) label="hearth, gen_site.py $n, search on" ;;
            base-py-*) out=$(first base-py) label="baseline, gen_site.py $n, search off" ;;
            base-pysearch-*) out=$(first base-pysearch) label="baseline, gen_site.py $n, search on" ;;
            *) out=$(first hugo) label="hugo, gen_site.py $n" ;;
            esac
            pages=$(find "$out" -name '*.html' -not -path '*/pagefind/*' | wc -l)
            med=$(stat "$WORK/$side.log" 1 median)
            row "$label ($pages pages)" "$(stat "$WORK/$side.log" 1 min)" "$med" \
                "$(stat "$WORK/$side.log" 2 median)" "$(stat "$WORK/$side.log" 3 median)" \
                "$(div "$pages" "$med" | awk '{ printf "%.0f", $1 }')"
        done
        copy_floor "py-$n" "$(first py)"
        # The issue's floor is a copy of the content; the copy of the output (more bytes,
        # a folder per page) is the stricter one, and the one the target is judged on here.
        copy_floor "content-$n" "$WORK/py-$n/content" "the content"
        HEARTH_WALL=$(stat "$WORK/py-$n.log" 1 median)
        HUGO_WALL=$(stat "$WORK/hugo-$n.log" 1 median)
        HUGO_CPU=$(stat "$WORK/hugo-$n.log" 2 median)
        CP_WALL=$(stat "$WORK/cp-py-$n.log" 1 median)
        CP_CONTENT_WALL=$(stat "$WORK/cp-content-$n.log" 1 median)
        {
            echo
            echo "ratios at $n articles (medians; rm -rf inside each timed run: $RM_INSIDE):"
            echo "  Hugo wall / hearth wall       $(div "$HUGO_WALL" "$HEARTH_WALL")  (target: at least 5)"
            echo "  hearth wall / cp -r floor     $(div "$HEARTH_WALL" "$CP_WALL")  (target: at most 1.5; cp -r of the output)"
            echo "  hearth wall / cp -r content   $(div "$HEARTH_WALL" "$CP_CONTENT_WALL")  (the same against a copy of the content)"
            echo "  hearth peak / Hugo peak       $(div "$(stat "$WORK/py-$n.log" 3 median)" "$(stat "$WORK/hugo-$n.log" 3 median)")  (target: under 0.5)"
            if ((SEARCH_RUNS > 0)); then
                echo "  hearth search on / Hugo wall  $(div "$(stat "$WORK/pysearch-$n.log" 1 median)" "$HUGO_WALL")  (issue #21 target: at most 1; peak under 1024 MiB)"
                echo "  hearth search on / Hugo CPU   $(div "$(stat "$WORK/pysearch-$n.log" 2 median)" "$HUGO_CPU")"
            fi
            echo "  hearth search off / Hugo wall $(div "$HEARTH_WALL" "$HUGO_WALL")  (issue #21 target: at most 0.2)"
            if [[ -n $BASELINE ]] && ((SEARCH_RUNS > 0)); then
                echo "  search on, this / baseline    $(div "$(stat "$WORK/pysearch-$n.log" 1 median)" "$(stat "$WORK/base-pysearch-$n.log" 1 median)") wall, $(div "$(stat "$WORK/pysearch-$n.log" 2 median)" "$(stat "$WORK/base-pysearch-$n.log" 2 median)") CPU"
            fi
        } >>"$ROWS"
    done
fi

echo
echo "== results ($(nproc) cores; $RUNS timed runs after a warm-up, search on: $SEARCH_RUNS)"
cat "$ROWS"
