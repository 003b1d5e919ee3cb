#!/usr/bin/env bash
# Replaces the vendored Decap CMS (vendor/decap-cms/) with a given version of its npm
# package: `npm pack` fetches the tarball, its sha512 is checked against the integrity
# npm's registry publishes, and only the browser bundle (decap-cms.js and the chunks it
# loads on demand, without source maps) is copied. hearth serves these files from its own
# binary; nothing is fetched when `hearth edit` runs.
#
# Usage: scripts/update-decap.sh 3.16.3
set -euo pipefail

version="${1:?usage: scripts/update-decap.sh VERSION (for example 3.16.3)}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/vendor/decap-cms"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
expected="$(npm view "decap-cms@$version" dist.integrity)"
tarball="$(npm pack --silent "decap-cms@$version")"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$expected" != "$actual" ]; then
  echo "integrity mismatch for decap-cms@$version: registry says $expected, tarball is $actual" >&2
  exit 1
fi
tar xzf "$tarball"
license="$(node -p "require('./package/package.json').license")"
if [ "$license" != "MIT" ]; then
  echo "decap-cms@$version is licensed $license, not MIT: review before vendoring" >&2
  exit 1
fi

# Keep LICENSE (the package ships none; ours is the repository's MIT licence) and README.
# decap-cms.js.LICENSE.txt holds the notices of the libraries bundled into it.
find "$dest" -maxdepth 1 \( -name '*.js' -o -name '*.wasm' \) -delete
cp package/dist/decap-cms.js package/dist/decap-cms.js.LICENSE.txt "$dest/"
# WebAssembly modules some chunks load (named by content hash).
cp package/dist/*.wasm "$dest/"
for chunk in package/dist/[0-9]*.decap-cms.js; do
  cp "$chunk" "$dest/"
done
printf '%s\n' "$version" > "$dest/VERSION"
printf '%s\n' "$expected" > "$dest/INTEGRITY"
echo "vendored decap-cms@$version ($(du -sh "$dest" | cut -f1)) into vendor/decap-cms/"
