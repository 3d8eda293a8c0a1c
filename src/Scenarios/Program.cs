using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;

// Cost names under cluster.costs are the model's calibrated parameters.
var loader = new ScenarioLoader(isKnownCost: DataPlaneCosts.ParameterNames.Contains);
return new CliApplication(new ClusterRunner(), loader, ConsoleService.ForProcess(), Environment.GetEnvironmentVariable).Run(args);
