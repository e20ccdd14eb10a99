using System.Diagnostics.CodeAnalysis;

namespace Nabla.Tensors;

/// <summary>Throw helpers: keeping the throw out of hot methods keeps them small enough to inline.</summary>
internal static class Throw
{
    [DoesNotReturn]
    public static void Shape(string op, string expected, string actual, string message) =>
        throw new ShapeMismatchException(op, expected, actual, message);

    [DoesNotReturn]
    public static void Argument(string message, string? paramName = null) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void OutOfRange(string message, string? paramName = null) => throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void DType(string op, DType given, string expected) =>
        throw new ArgumentException($"{op}: dtype {given.TorchName()} is not supported; expected {expected}.");

    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static T InvalidOperation<T>(string message) => throw new InvalidOperationException(message);
}
