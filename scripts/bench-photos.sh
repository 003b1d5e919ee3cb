#!/usr/bin/env bash
# The photo benchmark of issue #19; the figures and how to read them are in BENCHMARKS.md.
#
#   scripts/bench-photos.sh                  # 50 photos of 12 megapixels
#   PHOTOS=10 RUNS=3 scripts/bench-photos.sh
#
# It copies the sample site twice into a temporary folder, adds PHOTOS articles to both,
# and gives each article of the second copy a 12-megapixel hero photo. It times:
#   - the site without photos (warm: its second build),
#   - the first build with photos (every copy encoded; its cache emptied first),
#   - the second build with photos (every copy from .hearth-cache/images/).
# Environment: PHOTOS (default 50), RUNS (timed runs of each warm build, default 5),
# PROFILE (debug or release, default debug), CARGO_FLAGS (e.g. --no-default-features: a
# release build without Typst takes minutes, not a quarter of an hour; these sites have no
# worksheets), CARGO_TARGET_DIR as for cargo. Each warm build replaces the output of the
# one before (as a second build does), and the median of the runs counts.
set -euo pipefail

PHOTOS=${PHOTOS:-50}
RUNS=${RUNS:-5}
PROFILE=${PROFILE:-debug}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
HEARTH=$TARGET/$PROFILE/hearth
WORK=$(mktemp -d /tmp/hearth-photos.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

read -r -a cargo_flags <<<"${CARGO_FLAGS:-}"
[ "$PROFILE" = release ] && cargo_flags+=(--release)
(cd "$ROOT" && cargo build -q "${cargo_flags[@]}" --bin hearth --example sample-photos)

make_site() { # folder, with photos (1) or not (0)
    mkdir -p "$1"
    cp -r "$ROOT/content" "$ROOT/templates" "$ROOT/site.toml" "$1/"
    for i in $(seq 0 $((PHOTOS - 1))); do
        local n hero=""
        n=$(printf %02d "$i")
        [ "$2" = 1 ] && hero=$'image: photos/bench-'"$n"$'.jpg\nimage_alt: "Soft light, photo '"$n"$'"\n'
        printf -- '---\ntitle: Benchmark article %s\ndate: 2024-01-01\n%s---\nA paragraph of text.\n' \
            "$n" "$hero" >"$1/content/articles/bench-$n.md"
    done
}

make_site "$WORK/plain" 0
make_site "$WORK/photos" 1
"$TARGET/$PROFILE/examples/sample-photos" "$WORK/photos/content/articles/photos" "$PHOTOS" >/dev/null
du -sh "$WORK/photos/content/articles/photos" | sed 's/\t.*/ of photos/'

# Seconds of one build of site $1 into $2.
build() {
    local started ended
    started=$(date +%s.%N)
    "$HEARTH" build --root "$1" --output "$2" >"$WORK/last.log"
    ended=$(date +%s.%N)
    echo "$ended - $started" | bc
}

cores=$(nproc)
# Warm the site without photos (it encodes the sample site's own photos once).
build "$WORK/plain" "$WORK/out-warmup" >/dev/null
# The sample site's own photos (book covers, three articles) are already encoded in the
# site without benchmark photos: the first build with photos encodes only the new ones.
rm -rf "$WORK/photos/.hearth-cache"
cp -r "$WORK/plain/.hearth-cache" "$WORK/photos/.hearth-cache"
first=$(build "$WORK/photos" "$WORK/out-first")
grep -o 'photos: [^)]*' "$WORK/last.log"
# Then both sites in turn, so that other work on the machine weighs on both alike; the
# median of each counts.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
plain_runs="" second_runs=""
for _ in $(seq "$RUNS"); do
    plain_runs+="$(build "$WORK/plain" "$WORK/out-plain")"$'\n'
    second_runs+="$(build "$WORK/photos" "$WORK/out-first")"$'\n'
done
plain=$(printf %s "$plain_runs" | median)
second=$(printf %s "$second_runs" | median)
grep -o 'photos: [^)]*' "$WORK/last.log"

echo "profile: $PROFILE, $PHOTOS photos of 4000x3000, $cores cores"
printf 'site without photos (warm):   %.2f s\n' "$plain"
printf 'first build with photos:      %.2f s  (%.2f s a photo a core, all widths, WebP + JPEG)\n' \
    "$first" "$(echo "($first - $plain) * $cores / $PHOTOS" | bc -l)"
printf 'second build with photos:     %.2f s  (+%.1f %% over the site without photos)\n' \
    "$second" "$(echo "($second - $plain) * 100 / $plain" | bc -l)"
