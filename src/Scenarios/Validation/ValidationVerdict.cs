namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>How a model figure compares with the published one.</summary>
public enum ValidationVerdict
{
    /// <summary>Within the row's tolerance.</summary>
    Agrees,
    /// <summary>Outside the tolerance, with the reason written in the row's note.</summary>
    ExplainedDisagreement,
    /// <summary>Outside the tolerance and not explained: a defect of the model or of the row.</summary>
    Disagrees,
}
