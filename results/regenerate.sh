#!/usr/bin/env bash
# Regenerates results/<study>/ for every shipped study: CSV, run.json and charts.
# The CSVs and charts change only when the model does; run.json also records this machine's wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Scenarios -c Release
for study in service-scaling pod-scaling conntrack-pressure nat-gateway-sizing overlay-cost ingress-tier; do
  dotnet run --project src/Scenarios -c Release --no-build -- sweep "$study" --out "results/$study"
done
