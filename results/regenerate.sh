#!/usr/bin/env bash
# Regenerates results/<study>/ for every shipped study: CSV, run.json and charts.
# --deterministic writes 0 for wall-clock fields, so the reference files change only when the model does.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Scenarios -c Release
for study in service-scaling pod-scaling conntrack-pressure nat-gateway-sizing nat-presets overlay-cost ingress-tier; do
  dotnet run --project src/Scenarios -c Release --no-build -- sweep "$study" --deterministic --out "results/$study"
done
