#!/usr/bin/env bash
# Regenerates results/<study>/ for every shipped study: CSV, run.json and charts. The CSVs are
# byte-identical for an unchanged model; run.json carries this machine's wall-clock figures.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Scenarios -c Release
for study in service-scaling pod-scaling conntrack-pressure nat-gateway-sizing nat-presets network-programming overlay-cost ingress-tier; do
  dotnet run --project src/Scenarios -c Release --no-build -- sweep "$study" --out "results/$study"
done
