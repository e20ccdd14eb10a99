using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Nabla.Models.Cnn in TorchSharp: the same layers under the same names (conv1, conv2, fc1, dropout, fc2), so the
/// two state dicts match key for key and Nabla's initial weights can be copied in.</summary>
internal sealed class TorchCnn : nn.Module<Tensor, Tensor>
{
    // Registered by RegisterComponents under their field names, which are PyTorch's state-dict prefixes.
    private readonly Conv2d conv1, conv2;
    private readonly Linear fc1, fc2;
    private readonly Dropout dropout;

    public TorchCnn(int classes = 10) : base("Cnn")
    {
        conv1 = nn.Conv2d(1, Models.Cnn.Channels1, 3, padding: 1);
        conv2 = nn.Conv2d(Models.Cnn.Channels1, Models.Cnn.Channels2, 3, padding: 1);
        fc1 = nn.Linear(Models.Cnn.Channels2 * 7 * 7, Models.Cnn.Hidden);
        dropout = nn.Dropout(Models.Cnn.DropoutProbability);
        fc2 = nn.Linear(Models.Cnn.Hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // Intermediates belong to the caller's dispose scope, as in any TorchSharp training loop. The ReLU follows the
        // pooling, as in Nabla's Cnn (the same values, a quarter of the ReLU work), so both libraries do the same work.
        x = nn.functional.relu(nn.functional.max_pool2d(conv1.call(x), 2));   // [N, 32, 14, 14]
        x = nn.functional.relu(nn.functional.max_pool2d(conv2.call(x), 2));   // [N, 64, 7, 7]
        x = nn.functional.relu(fc1.call(x.flatten(1)));                       // [N, 128]
        return fc2.call(dropout.call(x));                                     // [N, classes]
    }
}
