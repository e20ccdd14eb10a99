using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>Delta coefficients along time (<c>torchaudio.transforms.ComputeDeltas</c>): see <see cref="AudioFunctional.ComputeDeltas"/>.</summary>
/// <param name="winLength">Frames in the regression window.</param>
/// <param name="mode">How the time axis is padded.</param>
public sealed class ComputeDeltas(int winLength = 5, PadMode mode = PadMode.Replicate) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => AudioFunctional.ComputeDeltas(input, winLength, mode);
}
