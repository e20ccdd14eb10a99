namespace Nabla.Tensors;

/// <summary>Thrown when an operation receives tensors whose shapes break its rule.</summary>
/// <remarks>The message names the operation, the shapes and the rule; <see cref="Op"/>, <see cref="Expected"/>
/// and <see cref="Actual"/> let tests and callers inspect them.</remarks>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public ShapeMismatchException(string op, string expected, string actual, string message) : base(message)
    {
        Op = op;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Creates the exception with only a message.</summary>
    public ShapeMismatchException() : this("", "", "", "Shape mismatch.") { }

    /// <summary>Creates the exception with only a message.</summary>
    public ShapeMismatchException(string message) : this("", "", "", message) { }

    /// <summary>Creates the exception with only a message and an inner exception.</summary>
    public ShapeMismatchException(string message, Exception innerException) : base(message, innerException)
    {
        Op = Expected = Actual = "";
    }

    /// <summary>The operation that refused its inputs (e.g. "MatMul").</summary>
    public string Op { get; }

    /// <summary>What the operation needed.</summary>
    public string Expected { get; }

    /// <summary>What it was given.</summary>
    public string Actual { get; }
}
