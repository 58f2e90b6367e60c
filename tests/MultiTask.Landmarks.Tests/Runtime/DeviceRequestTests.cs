using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Tests.Runtime;

public sealed class DeviceRequestTests
{
    [Theory]
    [InlineData("auto", ComputeDeviceKind.Auto, 0)]
    [InlineData("CPU", ComputeDeviceKind.Cpu, 0)]
    [InlineData("cuda", ComputeDeviceKind.Cuda, 0)]
    [InlineData(" cuda:3 ", ComputeDeviceKind.Cuda, 3)]
    public void Parse_KnownForms_GiveKindAndIndex(string text, ComputeDeviceKind kind, int index)
    {
        DeviceRequest request = DeviceRequest.Parse(text);

        Assert.Equal(kind, request.Kind);
        Assert.Equal(index, request.Index);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("")]
    public void Parse_UnknownForms_ThrowNamingTheText(string text)
    {
        var error = Assert.Throws<FormatException>(() => DeviceRequest.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_RoundTripsThroughParse()
    {
        foreach (DeviceRequest request in new[] { DeviceRequest.Auto, DeviceRequest.Cpu, DeviceRequest.Cuda(2) })
        {
            Assert.Equal(request, DeviceRequest.Parse(request.ToString()));
        }
    }
}
