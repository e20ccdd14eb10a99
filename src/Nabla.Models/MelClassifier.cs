using System.Globalization;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>A small CNN that classifies log-mel spectrograms [N, 1, mels, frames] (spoken words): three 3×3 convolution
/// blocks, average pooling over time and a linear layer.  conv1 (1 → 16) → bn1 → ReLU → max-pool 2 → conv2 (16 → 32) →
/// bn2 → ReLU → max-pool 2 → conv3 (32 → 64) → bn3 → ReLU → mean over time → flatten [64·⌊mels/4⌋] → dropout 0.3 →
/// fc (→ classes).</summary>
/// <remarks>
/// <para>Averaging over time makes the network indifferent to where in the clip the word falls and to the clip's length;
/// keeping the frequency rows keeps where the formants are, which tells vowels apart. The children carry PyTorch's
/// names, so the state dict is that of this module:</para>
/// <code>
/// class MelClassifier(nn.Module):
///     def __init__(self, classes=10, mels=40):
///         super().__init__()
///         self.conv1, self.bn1 = nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16)
///         self.conv2, self.bn2 = nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32)
///         self.conv3, self.bn3 = nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64)
///         self.dropout = nn.Dropout(0.3)
///         self.fc = nn.Linear(64 * (mels // 4), classes)
///     def forward(self, x):
///         x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
///         x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
///         x = F.relu(self.bn3(self.conv3(x))).mean(3).flatten(1)
///         return self.fc(self.dropout(x))
/// </code>
/// <para>29,930 parameters for 10 classes and 40 mels, whatever the clip's length.</para>
/// </remarks>
public sealed class MelClassifier : Module<Tensor, Tensor>
{
    /// <summary>Channels of conv1, conv2 and conv3.</summary>
    public static readonly int[] Channels = [16, 32, 64];

    /// <summary>The dropout probability before fc.</summary>
    public const double DropoutProbability = 0.3;

    /// <summary>Builds the network.</summary>
    /// <param name="classes">Outputs; at least 2.</param>
    /// <param name="mels">Mel bands of the input; at least 4.</param>
    /// <param name="generator">Draws the initial weights; <see cref="Generator.Default"/> if null.</param>
    public MelClassifier(int classes = 10, int mels = 40, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(mels, 4);
        Classes = classes;
        Mels = mels;
        Conv1 = RegisterModule("conv1", new Conv2d(1, Channels[0], 3, padding: 1, generator: generator));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(Channels[0]));
        Conv2 = RegisterModule("conv2", new Conv2d(Channels[0], Channels[1], 3, padding: 1, generator: generator));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(Channels[1]));
        Conv3 = RegisterModule("conv3", new Conv2d(Channels[1], Channels[2], 3, padding: 1, generator: generator));
        Bn3 = RegisterModule("bn3", new BatchNorm2d(Channels[2]));
        Dropout = RegisterModule("dropout", new Dropout(DropoutProbability));
        Fc = RegisterModule("fc", new Linear(Channels[2] * (mels / 4), classes, generator: generator));
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Mel bands of the input.</summary>
    public int Mels { get; }

    /// <summary>conv1: 1 → 16, 3×3, padding 1.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>bn1: BatchNorm2d(16).</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>conv2: 16 → 32, 3×3, padding 1.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>bn2: BatchNorm2d(32).</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>conv3: 32 → 64, 3×3, padding 1.</summary>
    public Conv2d Conv3 { get; }

    /// <summary>bn3: BatchNorm2d(64).</summary>
    public BatchNorm2d Bn3 { get; }

    /// <summary>Dropout with p = 0.3, active in training mode only.</summary>
    public Dropout Dropout { get; }

    /// <summary>fc: 64·⌊mels/4⌋ → classes.</summary>
    public Linear Fc { get; }

    /// <summary>Logits [N, classes] of log-mel spectrograms [N, 1, mels, frames] (frames at least 4).</summary>
    /// <exception cref="ShapeMismatchException">The input is not [N, 1, mels, frames].</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Count != 4 || shape[1] != 1 || shape[2] != Mels || shape[3] < 4)
        {
            string expected = string.Create(CultureInfo.InvariantCulture, $"[N, 1, {Mels}, frames ≥ 4]"), actual = "[" + string.Join(", ", shape) + "]";
            throw new ShapeMismatchException(Describe(), expected, actual, $"{Describe()}: input {actual} must be log-mel spectrograms {expected}.");
        }
        var x = Functional.MaxPool2d(Bn1.Call(Conv1.Call(input)).Relu(), 2);   // [N, 16, mels/2, frames/2]
        x = Functional.MaxPool2d(Bn2.Call(Conv2.Call(x)).Relu(), 2);           // [N, 32, mels/4, frames/4]
        x = Bn3.Call(Conv3.Call(x)).Relu();                                   // [N, 64, mels/4, frames/4]
        x = x.Mean(3).Flatten(1);                                             // [N, 64·(mels/4)]
        return Fc.Call(Dropout.Call(x));                                      // [N, classes]
    }

    /// <inheritdoc/>
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"MelClassifier(conv 16-32-64, mels={Mels}, classes={Classes})");
}
