#!/usr/bin/env bash
# Fuzzes the scenario loader with AFL++ through SharpFuzz for a bounded time (not run by CI).
# Usage: scripts/fuzz-loader.sh [seconds]   (default 600). Findings land in fuzz-out/default/crashes/.
# Needs: afl++ (apt-get install afl++) and the SharpFuzz tool (installed below into ./.tools).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
out="fuzz-out"
bin="tests/Fuzz/bin/Release/net10.0"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
[ -x .tools/sharpfuzz ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path .tools

dotnet build tests/Fuzz -c Release
# Instrument the code under test: the loader and the YAML parser it drives.
for assembly in clusternetperf.dll YamlDotNet.dll; do .tools/sharpfuzz "$bin/$assembly"; done

# Seeds: the shipped studies and the hostile-input corpus.
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
cp src/Scenarios/Studies/*.yaml tests/Scenarios.Tests/Corpus/*.yaml "$seeds"/

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1
timeout --preserve-status "$seconds" afl-fuzz -i "$seeds" -o "$out" -t 5000 -m none -- dotnet "$bin/ClusterNetPerf.Fuzz.dll" || true
crashes=$(find "$out" -path '*crashes/id*' 2>/dev/null | wc -l)
echo "fuzzed for ${seconds}s: $crashes crashing inputs in $out/*/crashes"
[ "$crashes" -eq 0 ]
