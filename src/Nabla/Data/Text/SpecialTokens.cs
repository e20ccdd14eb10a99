namespace Nabla.Data.Text;

/// <summary>The special tokens every <see cref="Vocabulary"/> starts with, at fixed ids: padding 0, beginning of
/// sequence 1, end of sequence 2, unknown 3 (the torchtext and fairseq conventions, so a pad id of 0 works with
/// <c>Embedding(paddingIdx: 0)</c> and zero-filled batches).</summary>
public static class SpecialTokens
{
    /// <summary>Fills batches to a common length; never predicted.</summary>
    public const string Pad = "<pad>";

    /// <summary>Starts a sequence a decoder generates.</summary>
    public const string Bos = "<bos>";

    /// <summary>Ends a sequence; generation stops when it is produced.</summary>
    public const string Eos = "<eos>";

    /// <summary>Stands for any token outside the vocabulary.</summary>
    public const string Unk = "<unk>";

    /// <summary>Id of <see cref="Pad"/>.</summary>
    public const int PadId = 0;

    /// <summary>Id of <see cref="Bos"/>.</summary>
    public const int BosId = 1;

    /// <summary>Id of <see cref="Eos"/>.</summary>
    public const int EosId = 2;

    /// <summary>Id of <see cref="Unk"/>.</summary>
    public const int UnkId = 3;

    /// <summary>The four, in id order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pad, Bos, Eos, Unk];
}
