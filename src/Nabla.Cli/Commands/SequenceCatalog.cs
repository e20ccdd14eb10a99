using Nabla.Cli.Arguments;
using Nabla.Cli.Data;

namespace Nabla.Cli.Commands;

/// <summary>The specifications of the sequence commands: <c>train charlm</c>, <c>train seq2seq</c> and <c>sample</c>
/// for text.</summary>
internal static class SequenceCatalog
{
    private static readonly OptionSpec Threads = new("--threads", "N", "kernel threads", "all cores");
    private static readonly OptionSpec Seed = new("--seed", "N", "seeds initialization, batches, dropout and sampling", "0");

    /// <summary><c>nabla train charlm</c>.</summary>
    public static readonly CommandSpec TrainCharLm = new("train charlm",
        "Trains a character-level language model on an English text (by default the King James Bible, written by scripts/fetch-text.sh) and reports the validation loss per character; ends with a sample.",
        [
            new("--arch", "NAME", "lstm (embedding → LSTM → linear) or transformer (decoder-only, pre-norm, causal)", "lstm"),
            new("--text", "FILE", "a UTF-8 text file; its last 10% is the validation split", TextSource.DefaultFile),
            new("--steps", "N", "optimizer steps", "2000"),
            new("--batch-size", "N", "windows per step", "32"),
            new("--seq-len", "N", "characters per window (and the Transformer's context)", "128"),
            new("--hidden", "N", "LSTM hidden size, or the Transformer's d_model", "256 (lstm), 128 (transformer)"),
            new("--layers", "N", "stacked LSTM or Transformer layers", "2 (lstm), 3 (transformer)"),
            new("--embedding", "N", "LSTM embedding size", "64"),
            new("--heads", "N", "Transformer attention heads", "4"),
            new("--dropout", "X", "dropout probability", "0.1"),
            new("--lr", "X", "Adam's peak learning rate (warm-up over 100 steps, then cosine decay to 0)", "0.002 (lstm), 0.001 (transformer)"),
            new("--clip", "X", "gradient-norm clipping threshold (0: off)", "1"),
            new("--eval-every", "N", "steps between validation passes and checkpoints", "250"),
            new("--sample-length", "N", "characters of the closing sample", "400"),
            Seed,
            Threads,
            new("--out", "DIR", "run folder for metrics.csv, model.safetensors, loss.png, sample.txt", "runs/charlm-YYYYMMDD-HHMMSS"),
        ]);

    /// <summary><c>nabla train seq2seq</c>.</summary>
    public static readonly CommandSpec TrainSeq2Seq = new("train seq2seq",
        "Trains an encoder-decoder to translate free-form dates (\"tuesday, march 3, 1998\", \"3rd of mar 1998\", \"03/03/1998\" …) to ISO dates (1998-03-03), generating its data; reports exact match on held-out dates with greedy decoding and beam search, and draws the attention of one translation.",
        [
            new("--arch", "NAME", "lstm (bidirectional LSTM encoder, LSTM decoder with additive attention) or transformer (nn.Transformer, post-norm)", "lstm"),
            new("--steps", "N", "optimizer steps, each on a fresh batch of generated training dates", "3000"),
            new("--batch-size", "N", "examples per step", "64"),
            new("--hidden", "N", "LSTM hidden size, or the Transformer's d_model", "128"),
            new("--layers", "N", "Transformer encoder and decoder layers", "2"),
            new("--heads", "N", "Transformer attention heads", "4"),
            new("--dropout", "X", "dropout probability", "0.1"),
            new("--lr", "X", "Adam's peak learning rate (warm-up over 200 steps, then cosine decay)", "0.002 (lstm), 0.001 (transformer)"),
            new("--beam", "K", "beam size for the final beam-search evaluation", "4"),
            new("--test-size", "N", "held-out test dates (dates never used in training)", "2000"),
            new("--eval-every", "N", "steps between greedy evaluations on 500 test dates and checkpoints", "500"),
            Seed,
            Threads,
            new("--out", "DIR", "run folder for metrics.csv, model.safetensors, loss.png, accuracy.png, attention.png, errors.txt", "runs/seq2seq-ARCH-YYYYMMDD-HHMMSS"),
        ]);

    /// <summary><c>nabla sample</c> for a text model.</summary>
    public static readonly CommandSpec SampleText = new("sample",
        "Generates text with a character language model trained by 'nabla train charlm' (for images: 'nabla sample vae|gan').",
        [
            new("--checkpoint", "FILE", "model.safetensors written by nabla train charlm", Required: true),
            new("--prompt", "TEXT", "the text to continue", "\"And \""),
            new("--length", "N", "characters to generate", "500"),
            new("--temperature", "X", "softmax temperature; 0 takes the most likely character", "0.8"),
            new("--top-k", "K", "draw only among the K most likely characters (0: all)", "0"),
            Seed,
            Threads,
        ]);

    /// <summary>Every sequence command, for help lookup.</summary>
    public static IEnumerable<CommandSpec> All => [TrainCharLm, TrainSeq2Seq, SampleText];
}
