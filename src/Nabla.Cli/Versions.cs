using System.Reflection;

namespace Nabla.Cli;

/// <summary>The tool's and the library's versions, as built (without the source-revision suffix).</summary>
internal static class Versions
{
    /// <summary>The version of the <c>nabla</c> tool.</summary>
    public static string Tool => Of(typeof(Versions).Assembly);

    /// <summary>The version of the Nabla library it runs on.</summary>
    public static string Library => Of(typeof(Nabla.Tensors.Tensor).Assembly);

    private static string Of(Assembly assembly)
    {
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString();
        return version is null ? "unknown" : version.Split('+')[0];
    }
}
