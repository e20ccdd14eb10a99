using System.Globalization;

namespace Nabla.Optim;

/// <summary>The flat names of an optimizer state dict: PyTorch's nested <c>optimizer.state_dict()</c> joined with dots.</summary>
/// <remarks>PyTorch's <c>{"state": {i: {"exp_avg": …}}, "param_groups": [{"lr": …, "params": [i, …]}]}</c> becomes
/// "state.{i}.exp_avg" and "param_groups.{g}.lr", "param_groups.{g}.params"; i counts parameters across groups in order.</remarks>
internal static class OptimizerStateKeys
{
    public const string StatePrefix = "state.";
    public const string GroupPrefix = "param_groups.";

    public static string State(int parameter, string name) => string.Create(CultureInfo.InvariantCulture, $"{StatePrefix}{parameter}.{name}");

    public static string Group(int group, string name) => string.Create(CultureInfo.InvariantCulture, $"{GroupPrefix}{group}.{name}");

    /// <summary>Splits "state.3.exp_avg" into (true, 3, "exp_avg") and "param_groups.0.lr" into (false, 0, "lr").</summary>
    public static bool TryParse(string key, out bool isState, out int index, out string name)
    {
        (isState, index, name) = (false, -1, "");
        string rest;
        if (key.StartsWith(StatePrefix, StringComparison.Ordinal)) { isState = true; rest = key[StatePrefix.Length..]; }
        else if (key.StartsWith(GroupPrefix, StringComparison.Ordinal)) rest = key[GroupPrefix.Length..];
        else return false;
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == rest.Length - 1 || rest.IndexOf('.', dot + 1) >= 0) return false;
        if (!int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out index)) return false;
        name = rest[(dot + 1)..];
        return true;
    }
}
