namespace Nabla.NN;

/// <summary>The options PyTorch's nn.RNN, nn.LSTM and nn.GRU share.</summary>
/// <param name="NumLayers">Stacked layers; layer l &gt; 0 reads layer l − 1's output sequence.</param>
/// <param name="Bias">Whether each layer has b_ih and b_hh.</param>
/// <param name="BatchFirst">Input and output are [B, T, features] instead of [T, B, features] (states stay [L·D, B, H]).</param>
/// <param name="Dropout">Dropout probability on each layer's output except the last's, while training.</param>
/// <param name="Bidirectional">Adds a reversed direction per layer; outputs concatenate [forward, reverse].</param>
public sealed record RecurrentOptions(int NumLayers = 1, bool Bias = true, bool BatchFirst = false, double Dropout = 0,
    bool Bidirectional = false);
