using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>Savitzky–Golay delta features along time (<c>librosa.feature.delta</c>): see <see cref="AudioFunctional.Delta"/>.</summary>
/// <param name="width">Frames in the window (odd, ≥ 3).</param>
/// <param name="order">The derivative's order.</param>
public sealed class Delta(int width = 9, int order = 1) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => AudioFunctional.Delta(input, width, order);
}
