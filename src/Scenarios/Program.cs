using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;

ScenarioLoader loader = ClusterRunner.CreateLoader();
return new CliApplication(new ClusterRunner(), loader, ConsoleService.ForProcess(), Environment.GetEnvironmentVariable).Run(args);
