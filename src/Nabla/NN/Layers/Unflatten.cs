using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Splits dimension <see cref="Dim"/> into <see cref="UnflattenedSize"/> (<c>nn.Unflatten</c>), the inverse of
/// <see cref="Flatten"/>: e.g. <c>new Unflatten(1, [1, 28, 28])</c> turns [N, 784] into [N, 1, 28, 28].</summary>
/// <remarks>One size may be −1 (inferred); the sizes must multiply to the dimension's length.</remarks>
public sealed class Unflatten : Module<Tensor, Tensor>
{
    private readonly int[] sizes;

    /// <summary>The dimension to split (negative counts from the end).</summary>
    public int Dim { get; }

    /// <summary>The sizes it is split into.</summary>
    public IReadOnlyList<int> UnflattenedSize => sizes;

    /// <summary>Creates the layer.</summary>
    public Unflatten(int dim, int[] unflattenedSize)
    {
        ArgumentNullException.ThrowIfNull(unflattenedSize);
        if (unflattenedSize.Length == 0) throw new ArgumentException("Unflatten: unflattened_size must not be empty.", nameof(unflattenedSize));
        (Dim, sizes) = (dim, (int[])unflattenedSize.Clone());
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Unflatten(Dim, sizes);
    }

    /// <inheritdoc/>
    public override string Describe() => $"Unflatten(dim={Dim}, unflattened_size=({string.Join(", ", sizes)}))";
}
