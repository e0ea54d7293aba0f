#!/usr/bin/env bash
# Instructions executed (callgrind's Ir) per shared benchmark input, on revm and on Lamina.
#
#   crates/bench/callgrind.sh [NAME...]
#
# NAME selects cases as the side-by-side binary does (a case, or a prefix of names as a path:
# revm/snailtracer, evmone/main); none selects every case but the optional revm-gce ones.
# Instruction counts do not depend on the machine's load, so they complement the wall-time
# table on a shared, noisy machine.
#
# For each case and EVM it runs `side-by-side --only EVM --repeat 1 CASE` under callgrind,
# counting only inside `lamina_bench::timing::measured` (building the state and the EVM and
# running the transactions: exactly what the wall-time table times), so loading the suite,
# hashing the final state and freeing it are left out. That function runs twice (the warm-up
# and the one timed run); the table shows Ir per run. The profiles stay in OUT (default
# $CARGO_TARGET_DIR/callgrind, else target/callgrind) for
# `callgrind_annotate --inclusive=yes OUT/<evm>-<case>.out`.
#
# Costly: callgrind runs ~50x slower than native (revm/snailtracer takes minutes per EVM).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

for tool in valgrind cargo; do
    command -v "$tool" >/dev/null || { echo "callgrind.sh: $tool is not installed" >&2; exit 2; }
done

target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}"
out="${OUT:-$target_dir/callgrind}"
mkdir -p "$out"

# The release profile (fat LTO) keeps line tables and symbol names, which callgrind needs.
cargo build --release --quiet -p lamina-bench --bin side-by-side
bin="$target_dir/release/side-by-side"

mapfile -t cases < <("$bin" --list "$@")

# Ir counted in one profile, divided by the runs it covers (warm-up + 1).
count() {
    local evm="$1" case="$2" file="$3"
    valgrind --tool=callgrind --callgrind-out-file="$file" --collect-atstart=no \
        --toggle-collect='*lamina_bench::timing::measured*' \
        "$bin" --only "$evm" --repeat 1 "$case" >/dev/null 2>"$file.log" || {
        echo "callgrind.sh: $evm on $case failed, see $file.log" >&2
        return 1
    }
    local total
    total="$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file")"
    if [[ -z "$total" || "$total" == 0 ]]; then
        echo "callgrind.sh: nothing counted for $evm on $case (is measured() in $bin?)" >&2
        return 1
    fi
    echo $((total / 2))
}

width=5
for case in "${cases[@]}"; do ((${#case} > width)) && width=${#case}; done
printf "Ir per run (callgrind, counted inside lamina_bench::timing::measured)\n"
printf "%-${width}s  %15s  %15s  %11s\n" input revm lamina lamina/revm
for case in "${cases[@]}"; do
    file="${case//\//_}"
    revm="$(count revm "$case" "$out/revm-$file.out")"
    lamina="$(count lamina "$case" "$out/lamina-$file.out")"
    ratio="$(awk -v l="$lamina" -v r="$revm" 'BEGIN { printf "%.2f", l / r }')"
    printf "%-${width}s  %15s  %15s  %11s\n" "$case" "$revm" "$lamina" "$ratio"
done
echo "profiles: $out/{revm,lamina}-<case>.out"
