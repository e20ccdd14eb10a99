using Nabla.Tensors;

namespace Nabla.Models.Tasks;

/// <summary>A synthetic long-range memory task: batches of sequences [B, T, inputs] whose target depends on inputs
/// far back in the sequence, drawn on the fly from a seeded <see cref="Generator"/>.</summary>
/// <remarks>A task also defines its objective (<see cref="Loss"/>) and what a correct answer is
/// (<see cref="CountCorrect"/>), so the trainer treats classification and regression tasks alike.
/// Used by <c>nabla train memory</c> with <see cref="RecurrentClassifier"/>.</remarks>
public abstract class MemoryTask
{
    /// <summary>Creates a task over sequences of <paramref name="length"/> steps.</summary>
    protected MemoryTask(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinLength);
        Length = length;
    }

    /// <summary>The shortest sequence a task accepts.</summary>
    public const int MinLength = 2;

    /// <summary>The sequence length T.</summary>
    public int Length { get; }

    /// <summary>The features per step, the last dimension of <see cref="Sample"/>'s input.</summary>
    public abstract int InputSize { get; }

    /// <summary>The model's outputs: classes for a classification task, 1 for a regression.</summary>
    public abstract int Outputs { get; }

    /// <summary>The accuracy of the best answer that ignores the input (the majority class, or the target's mean).</summary>
    public abstract double ChanceAccuracy { get; }

    /// <summary>The task's name, as <c>--task</c> spells it.</summary>
    public abstract string Name { get; }

    /// <summary>Draws <paramref name="count"/> sequences: input [count, T, <see cref="InputSize"/>] float32 and their targets.</summary>
    public abstract (Tensor Input, Tensor Target) Sample(int count, Generator generator);

    /// <summary>The training loss, a scalar, of the model's <paramref name="output"/> [B, <see cref="Outputs"/>].</summary>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>How many of the batch's answers count as correct.</summary>
    public abstract long CountCorrect(Tensor output, Tensor target);

    /// <summary>Whether a model with this test <paramref name="loss"/> and <paramref name="accuracy"/> has solved the task.</summary>
    public abstract bool IsSolved(double loss, double accuracy);
}
