using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Specs;
using SharpFuzz;

// AFL++ feeds each input on standard input; the loader must resolve it or report located problems.
// Any other exception escapes and AFL records the input as a crash (see docs/fuzzing.md).
ScenarioLoader loader = ClusterRunner.CreateLoader();
Fuzzer.OutOfProcess.Run(stream =>
{
    using var reader = new StreamReader(stream);
    string text = reader.ReadToEnd();
    try
    {
        loader.ResolveText(text, "fuzz.yaml", []);
    }
    catch (ScenarioException)
    {
        // A located problem is the contract for bad input.
    }
});
