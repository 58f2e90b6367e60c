namespace MultiTask.Landmarks.Evaluation;

/// <summary>Running sums of one point's normalised errors.</summary>
internal struct PointErrorSums
{
    public int Faces;
    public double InterOcularSum;
    public int InterOcularFaces;
    public int InterOcularFailures;
    public double BoxWidthSum;
    public int BoxWidthFaces;
    public int BoxWidthFailures;

    public void Add(double error, bool failed, bool boxWidth)
    {
        if (boxWidth)
        {
            BoxWidthSum += error;
            BoxWidthFaces++;
            BoxWidthFailures += failed ? 1 : 0;
        }
        else
        {
            InterOcularSum += error;
            InterOcularFaces++;
            InterOcularFailures += failed ? 1 : 0;
        }
    }
}
