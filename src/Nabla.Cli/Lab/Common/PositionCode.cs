namespace Nabla.Cli.Lab.Common;

/// <summary>How a <see cref="TokenTagger"/> tells its positions apart.</summary>
internal enum PositionCode
{
    /// <summary>No position code: the encoder sees a bag of tokens.</summary>
    None,

    /// <summary>The fixed sine/cosine code of "Attention Is All You Need".</summary>
    Sinusoidal,

    /// <summary>A learned vector per position (BERT, GPT-2).</summary>
    Learned,
}
