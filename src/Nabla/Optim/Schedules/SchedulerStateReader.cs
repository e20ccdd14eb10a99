using System.Globalization;

namespace Nabla.Optim;

/// <summary>Checks a scheduler state dict: exactly the expected names, each value in range.</summary>
internal sealed class SchedulerStateReader
{
    private readonly string op;
    private readonly IReadOnlyDictionary<string, double> state;

    /// <summary>Refuses a dict whose names differ from <paramref name="names"/>.</summary>
    public SchedulerStateReader(string scheduler, IReadOnlyDictionary<string, double> state, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(state);
        op = $"{scheduler}.LoadStateDict";
        this.state = state;
        var missing = names.Where(n => !state.ContainsKey(n)).ToList();
        var unexpected = state.Keys.Where(k => !names.Contains(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException($"{op}: missing [{string.Join(", ", missing)}]; unexpected [{string.Join(", ", unexpected)}]; expected exactly [{string.Join(", ", names)}].");
    }

    /// <summary>A whole number from 0 to int.MaxValue.</summary>
    public int Count(string name)
    {
        double v = state[name];
        if (!(v >= 0 && v <= int.MaxValue && v == Math.Floor(v)))
            throw new ArgumentException($"{op}: '{name}' is {v.ToString(CultureInfo.InvariantCulture)}; expected a whole number ≥ 0.");
        return (int)v;
    }

    /// <summary>Any number but NaN (infinities mark "nothing seen yet").</summary>
    public double Number(string name)
    {
        double v = state[name];
        return double.IsNaN(v) ? throw new ArgumentException($"{op}: '{name}' is NaN; expected a number.") : v;
    }

    /// <summary>A finite number ≥ 0.</summary>
    public double Rate(string name)
    {
        double v = state[name];
        return double.IsFinite(v) && v >= 0 ? v
            : throw new ArgumentException($"{op}: '{name}' is {v.ToString(CultureInfo.InvariantCulture)}; expected a finite learning rate ≥ 0.");
    }
}
