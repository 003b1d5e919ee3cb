#!/usr/bin/env bash
# Instructions one build executes, counted by valgrind's callgrind (issue #9). Wall time on
# this machine varies by 10-20 % from run to run, so a change worth a few per cent cannot
# be seen in it; the instruction count of a build on one thread is the same every run.
# It does not see memory stalls or the kernel (bench.sh measures those), but it shows
# where the CPU work is and whether a change removed some. See BENCHMARKS.md.
#
#   scripts/instructions.sh                     # gen_site.py's 1k site, search off
#   ARTICLES=300 scripts/instructions.sh
#   HEARTH=/tmp/hearth-old scripts/instructions.sh   # another binary, on the same site
#
# Environment:
#   ARTICLES     articles in the site (default 1000; about 20 s under callgrind)
#   HEARTH       the binary to count (default: this checkout's release build)
#   TOP          how many of hearth's functions to list (default 15)
#   GEN_SITE_PY  the shared gen_site.py (looked for as bench.sh does)
set -euo pipefail

ARTICLES=${ARTICLES:-1000}
TOP=${TOP:-15}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
    echo "instructions.sh: $*" >&2
    exit 1
}

command -v valgrind >/dev/null || die "valgrind is needed (Debian: apt-get install valgrind)"
command -v python3 >/dev/null || die "python3 is needed (the shared gen_site.py)"
[[ $ARTICLES =~ ^[1-9][0-9]*$ ]] || die "ARTICLES must be a positive number"
# shellcheck source=scripts/gen-site-py.sh
source "$ROOT/scripts/gen-site-py.sh"
[[ -n ${GEN_SITE_PY:-} && -f $GEN_SITE_PY ]] || die "gen_site.py not found (set GEN_SITE_PY)"

if [[ -z ${HEARTH:-} ]]; then
    (cd "$ROOT" && cargo build --release --quiet --bin hearth)
    HEARTH=${CARGO_TARGET_DIR:-$ROOT/target}/release/hearth
fi
[[ -x $HEARTH ]] || die "$HEARTH is not an executable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hearth-instructions.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

python3 "$GEN_SITE_PY" --n "$ARTICLES" --flavour hearth --out "$WORK/site" >/dev/null
# As in bench.sh's Hugo comparison: no search index.
printf '\n[search]\nenabled = false\n' >>"$WORK/site/site.toml"

# One thread, so the count does not depend on how rayon shares out the work.
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$HEARTH" build --root "$WORK/site" --output "$WORK/public" >/dev/null 2>"$WORK/valgrind.log" ||
    {
        cat "$WORK/valgrind.log" >&2
        die "the build under valgrind failed"
    }

total=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$WORK/valgrind.log")
echo "$HEARTH, gen_site.py $ARTICLES articles, search off:"
printf '  %s instructions (%s per article)\n' "$total" "$((total / ARTICLES))"
echo "  hearth's functions, with what they call (inclusive):"
callgrind_annotate --inclusive=yes "$WORK/callgrind.out" 2>/dev/null |
    grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) +[^ ]*:hearth::' |
    grep -vE "'[0-9]|\{\{closure\}\}|_::<impl|hearth::(main|build)( |$)" |
    sed -E 's#  [^ ]*:(hearth::[^ ]*).*#  \1#' |
    awk -v top="$TOP" '!seen[$NF]++ && ++shown <= top'
