#!/usr/bin/env bash
# make mutate: applies each mutant of tests/mutate/mutants, one at a time, to
# a scratch copy of the tracked tree, runs `make test` there at the
# mutant's level, and reports whether the suite caught it (killed) and by
# which test. Ends with the score. Not part of make test; CI does not run it.
#
#   tests/mutate/run.sh [--only TEXT]    (mutants whose description has TEXT)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
only=""
[[ ${1:-} == --only ]] && only=${2:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Every mutant as "file<TAB>level<TAB>description<TAB>old<TAB>new", one a line.
mutants=$(python3 - "$root/tests/mutate/mutants" <<'PY'
import sys
block = None
for line in open(sys.argv[1]).read().splitlines():
    if line.startswith('@ '):
        block = line[2:].split(' ', 2) + [None, None]
    elif line.startswith('- ') and block:
        block[3] = line[2:]
    elif line.startswith('+ ') and block:
        block[4] = line[2:]
        print('\t'.join(block))
        block = None
PY
)

killed=0
survived=0
broken=0
while IFS=$'\t' read -r file level what old new; do
    [[ -z $only || $what == *"$only"* ]] || continue
    tree=$scratch/tree
    rm -rf "$tree" && mkdir -p "$tree"
    (cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$tree")
    if ! python3 - "$tree/$file" "$old" "$new" <<'PY'
import sys
path, old, new = sys.argv[1:4]
text = open(path).read()
if text.count(old) != 1:
    sys.exit(1)
open(path, 'w').write(text.replace(old, new))
PY
    then
        broken=$((broken + 1))
        echo "does not apply  $what ($file: the line is not there exactly once)"
        continue
    fi
    start=$(date +%s)
    # A level such as O3-lto-smp2: that optimisation, an image for 2 CPUs.
    opt=${level%-smp*}
    cpus=1
    [[ $level == *-smp* ]] && cpus=${level##*-smp}
    if RUN_FAIL_FAST=1 make -C "$tree" --no-print-directory OPT="$opt" SMP="$cpus" test >"$scratch/log" 2>&1; then
        survived=$((survived + 1))
        echo "SURVIVED        $what ($file, $level)"
    elif ! grep -Eq '[0-9]+ passed, [0-9]+ failed' "$scratch/log"; then
        # Not a bug the suite caught: the mutant is not a program.
        broken=$((broken + 1))
        echo "does not build  $what: $(grep -m1 'error' "$scratch/log")"
    else
        killed=$((killed + 1))
        by=$(grep -m1 '^not ok' "$scratch/log" | sed 's/^not ok [0-9]* //; s/ #.*//')
        echo "killed          $what (by $by; $(($(date +%s) - start)) s)"
    fi
done <<<"$mutants"

total=$((killed + survived))
echo "mutate: $killed killed, $survived survived, $broken did not apply or build; score $((total > 0 ? 100 * killed / total : 0))%"
[[ $survived -eq 0 && $broken -eq 0 ]]
