using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Specs;

// Cost names are checked against the model's list once the library publishes it
// (DataPlaneCosts.ParameterNames); this is the one place that wires it.
var loader = new ScenarioLoader(isKnownCost: _ => true);
return new CliApplication(new ClusterRunner(), loader, ConsoleService.ForProcess(), Environment.GetEnvironmentVariable).Run(args);
