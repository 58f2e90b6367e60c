using System.Reflection;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Modules;

namespace MultiTask.Landmarks.Tests.Logging;

/// <summary>Event ids are a contract with whoever filters the library's logs: each must mean one thing.</summary>
public sealed class EventIdTests
{
    [Fact]
    public void LoggerMessages_AcrossTheLibrary_HaveDistinctIdsAndNames()
    {
        LoggerMessageAttribute[] messages = typeof(NetworkConfig).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToArray();

        Assert.True(messages.Length >= 15, $"Expected the library's logger messages, found {messages.Length}.");
        Assert.Empty(messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(messages.GroupBy(m => m.EventName).Where(g => g.Count() > 1).Select(g => g.Key));
    }
}
