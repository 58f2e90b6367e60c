namespace MultiTask.Landmarks.Data.Boxes;

/// <summary>
/// How boxes derived by a <see cref="LandmarkBoxRule"/> compare with listed (detector) boxes over a set of faces.
/// Offsets are the derived centre minus the listed centre, as a share of the listed box's side; the scale ratio is the
/// derived side over the listed side. A calibrated rule has mean offsets near 0 and a mean ratio near 1.
/// </summary>
/// <param name="Count">The number of faces compared.</param>
/// <param name="MeanOffsetX">The mean horizontal centre offset, as a share of the listed side.</param>
/// <param name="MeanOffsetY">The mean vertical centre offset, as a share of the listed side.</param>
/// <param name="StdOffsetX">The standard deviation of the horizontal centre offset, as a share of the listed side.
/// </param>
/// <param name="StdOffsetY">The standard deviation of the vertical centre offset, as a share of the listed side.
/// </param>
/// <param name="MeanScaleRatio">The mean of derived side over listed side.</param>
/// <param name="StdScaleRatio">The standard deviation of derived side over listed side.</param>
/// <param name="MeanIntersectionOverUnion">The mean intersection over union of the derived and listed boxes.</param>
public sealed record BoxRuleSpread(
    int Count,
    double MeanOffsetX,
    double MeanOffsetY,
    double StdOffsetX,
    double StdOffsetY,
    double MeanScaleRatio,
    double StdScaleRatio,
    double MeanIntersectionOverUnion);
