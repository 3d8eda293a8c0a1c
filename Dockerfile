# syntax=docker/dockerfile:1
# Build: docker build -t clusternetperf .
# Run:   docker run --rm -v "$PWD/results:/work/results" clusternetperf sweep service-scaling
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so the layer is reused until a dependency changes.
COPY Directory.Build.props ClusterNetPerf.sln ./
COPY src/Sim/ClusterNetPerf.Sim.csproj src/Sim/
COPY src/Scenarios/ClusterNetPerf.Scenarios.csproj src/Scenarios/
RUN dotnet restore src/Scenarios/ClusterNetPerf.Scenarios.csproj
COPY src/ src/
RUN dotnet publish src/Scenarios/ClusterNetPerf.Scenarios.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
# ScottPlot renders charts with SkiaSharp, whose native library needs fontconfig and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /work
COPY --from=build /app /app
# Results go to /work/results/<study>; mount a volume there (or pass --out).
USER app
ENTRYPOINT ["dotnet", "/app/clusternetperf.dll"]
CMD ["--help"]
