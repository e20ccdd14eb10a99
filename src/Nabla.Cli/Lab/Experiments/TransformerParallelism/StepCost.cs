namespace Nabla.Cli.Lab.Experiments.TransformerParallelism;

/// <summary>The arithmetic of one training step (forward, backward, no optimizer) of the two language models, counted
/// as multiply-adds × 2, and the length of their critical paths.</summary>
/// <remarks>A matrix product [m, k]·[k, n] costs 2mkn FLOPs forward and twice that backward (dX = dY·Wᵀ and
/// dW = Xᵀ·dY), so a step costs 3 × forward. Per token and layer, forward:
/// LSTM 2·(4d·d + 4d·d) = 16d² (input and recurrent projections of the four gates);
/// Transformer 2·4d² (Q, K, V, output projections) + 2·2·d·f (feed-forward of width f) + 2·2·T·d (the scores
/// Q·Kᵀ and the weighted sum A·V over all T positions; a dense kernel computes the masked half too).
/// Both add the output layer, 2·d·V per token. Element-wise work (gates, softmax, layer norm) is left out.</remarks>
internal static class StepCost
{
    /// <summary>FLOPs of one LSTM language-model training step on [batch, length] tokens.</summary>
    public static double Lstm(int batch, int length, int d, int layers, int vocabulary) =>
        3.0 * batch * length * (layers * 16.0 * d * d + 2.0 * d * vocabulary);

    /// <summary>FLOPs of one Transformer language-model training step on [batch, length] tokens.</summary>
    public static double Transformer(int batch, int length, int d, int feedForward, int layers, int vocabulary) =>
        3.0 * batch * length * (layers * (8.0 * d * d + 4.0 * d * feedForward + 4.0 * length * d) + 2.0 * d * vocabulary);

    /// <summary>Operations that must run one after another in a step (forward and backward): an LSTM layer's T cell
    /// updates each need the previous one's h, so 2·L·T; a Transformer layer is a fixed number of matrix products
    /// (projections, scores, softmax, weighted sum, output projection, feed-forward ×2) whatever T, taken as 8 per
    /// layer each way, so 2·8·L.</summary>
    public static (int Lstm, int Transformer) CriticalPath(int length, int layers) => (2 * layers * length, 2 * 8 * layers);
}
