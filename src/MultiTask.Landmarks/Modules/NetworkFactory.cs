namespace MultiTask.Landmarks.Modules;

/// <summary>Builds networks from their serialisable description.</summary>
public static class NetworkFactory
{
    /// <summary>
    /// Creates the network a configuration describes. The same configuration always gives the same parameter shapes
    /// and <c>state_dict</c> keys, so a model file can store <see cref="NetworkConfig.ToJson"/> and its weights.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <returns>A new network with freshly initialised weights.</returns>
    /// <exception cref="ArgumentException">The configuration is inconsistent (see the message).</exception>
    public static ColumnNetwork Create(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Architecture switch
        {
            ArchitectureKind.SingleTask or ArchitectureKind.Shared => new SharedTrunkNetwork(config),
            ArchitectureKind.Split => new SplitNetwork(config),
            ArchitectureKind.CrossStitch => new CrossStitchNetwork(config),
            _ => throw new ArgumentException($"Unknown architecture {config.Architecture}.", nameof(config)),
        };
    }
}
