# Sourced by bench.sh and instructions.sh: sets GEN_SITE_PY to the shared gen_site.py
# (unless already set) by looking beside the repository, then in /work/shared; leaves it
# empty when there is none. Needs ROOT, the repository.
if [[ -z ${GEN_SITE_PY:-} ]]; then
    for candidate in "$ROOT/../shared/bench/gen_site.py" "$ROOT/../../shared/bench/gen_site.py" \
        /work/shared/bench/gen_site.py; do
        if [[ -f $candidate ]]; then
            GEN_SITE_PY=$candidate
            break
        fi
    done
fi
