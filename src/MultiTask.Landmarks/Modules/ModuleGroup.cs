using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// Named child modules in insertion order, registered so that their keys read <c>{group}.{name}.*</c>, the same
/// keys a <c>ModuleDict</c> gives.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>ModuleDict&lt;T&gt;</c> cannot be moved: <c>Module.to</c> indexes the module's public
/// properties by name, and the dictionary's two indexers are both named <c>Item</c>, so moving a network that holds
/// one to another device or dtype throws "An item with the same key has already been added. Key: Item". This
/// container has no indexer.
/// </remarks>
/// <typeparam name="T">The modules' type.</typeparam>
internal sealed class ModuleGroup<T> : nn.Module
    where T : nn.Module
{
    private readonly List<T> ordered = new();
    private readonly Dictionary<string, T> byName = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ModuleGroup{T}"/> class.</summary>
    /// <param name="name">The group's name.</param>
    public ModuleGroup(string name)
        : base(name)
    {
    }

    /// <summary>Gets the number of modules.</summary>
    public int Count => ordered.Count;

    /// <summary>Gets the modules, in the order they were added.</summary>
    public IReadOnlyList<T> Values => ordered;

    /// <summary>Adds and registers a module.</summary>
    /// <param name="name">Its key, unique within the group.</param>
    /// <param name="module">The module.</param>
    public void Add(string name, T module)
    {
        byName.Add(name, module);
        ordered.Add(module);
        register_module(name, module);
    }

    /// <summary>Gets a module by its key.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The module.</returns>
    public T Get(string name) => byName[name];
}
