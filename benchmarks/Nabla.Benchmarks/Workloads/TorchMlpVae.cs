using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Nabla.Models.MlpVae in TorchSharp, PyTorch's VAE example under the same names (fc1, fc21, fc22, fc3, fc4),
/// returning (logits, μ, logσ²) with ε drawn by TorchSharp.</summary>
internal sealed class TorchMlpVae : nn.Module<Tensor, (Tensor Logits, Tensor Mu, Tensor LogVar)>
{
    private readonly Linear fc1, fc21, fc22, fc3, fc4;

    public TorchMlpVae(int features = 784, int hidden = 400, int latent = 20) : base("MlpVae")
    {
        fc1 = nn.Linear(features, hidden);
        fc21 = nn.Linear(hidden, latent);
        fc22 = nn.Linear(hidden, latent);
        fc3 = nn.Linear(latent, hidden);
        fc4 = nn.Linear(hidden, features);
        RegisterComponents();
    }

    public override (Tensor Logits, Tensor Mu, Tensor LogVar) forward(Tensor x)
    {
        var h = nn.functional.relu(fc1.call(x.flatten(1)));
        var mu = fc21.call(h);
        var logVar = fc22.call(h);
        var z = mu + torch.randn_like(mu) * torch.exp(0.5 * logVar);
        return (fc4.call(nn.functional.relu(fc3.call(z))), mu, logVar);
    }
}
