using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Nabla.Kernels;

/// <summary>A long-lived background thread that helps one caller at a time through a <see cref="ParallelWork"/>.</summary>
/// <remarks>
/// Hand-off is a state word: each side spins a while (kernel calls come in bursts microseconds apart) and then
/// sleeps on a monitor, so an idle worker costs no CPU; a side only signals the monitor when the other is asleep,
/// so a hand-off between spinning threads makes no system call. A posted job the worker has not yet begun can be
/// withdrawn: when the worker's core is busy (on a shared host it can vanish for milliseconds), the caller does
/// all parts itself instead of waiting for it.
/// </remarks>
internal sealed unsafe class KernelWorker
{
    private const int Idle = 0, Posted = 1, Running = 2, Finished = 3, Withdrawn = 4;

    // Spin budgets in Stopwatch ticks: an idle worker watches for a follow-up job for ~200 µs before sleeping
    // (a training step puts element-wise work of that order between its matrix products); a caller waits ~200 µs
    // for the worker to finish its part before sleeping.
    private static readonly long s_workerSpinTicks = Stopwatch.Frequency / 5_000;
    private static readonly long s_callerSpinTicks = Stopwatch.Frequency / 5_000;

    // A sleeping worker is woken for small jobs at most once a millisecond (see TryClaim).
    private static readonly long s_wakeIntervalTicks = Stopwatch.Frequency / 1_000;

    private readonly object _gate = new();  // a monitor: Monitor.Wait needs one
    private int _state;
    private int _claimed;
    private int _workerAsleep, _callerAsleep;
    private long _lastWake;
    private ParallelWork* _work;
    private ExceptionDispatchInfo? _error;

    public KernelWorker(int index)
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = $"Nabla kernel worker {index}" };
        thread.Start();
    }

    /// <summary>
    /// Reserves the worker for the calling thread; false if another caller holds it. A sleeping worker is only
    /// taken if <paramref name="wakeIfAsleep"/> (waking costs the caller a system call, and the worker tens of
    /// microseconds before it runs) or if it was last woken over a millisecond ago: then this call most likely
    /// finishes alone, but the worker is spinning again for the calls that follow.
    /// </summary>
    public bool TryClaim(bool wakeIfAsleep)
    {
        if (!wakeIfAsleep && Volatile.Read(ref _workerAsleep) != 0)
        {
            long now = Stopwatch.GetTimestamp();
            if (now - Volatile.Read(ref _lastWake) < s_wakeIntervalTicks) return false;
            Volatile.Write(ref _lastWake, now);   // racing callers may both pass: one extra wake at most
        }

        return Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;
    }

    /// <summary>Lets the worker join <paramref name="work"/>. The caller must hold the claim.</summary>
    public void Post(ParallelWork* work)
    {
        _work = work;
        Interlocked.Exchange(ref _state, Posted);
        if (Volatile.Read(ref _workerAsleep) != 0) Wake();
    }

    /// <summary>
    /// Withdraws the job if the worker has not begun it, else waits until it is done; then rethrows what the
    /// worker's parts threw. After this the worker no longer touches the job.
    /// </summary>
    public void Finish()
    {
        if (Interlocked.CompareExchange(ref _state, Withdrawn, Posted) == Posted) return;  // the worker releases the claim
        WaitWhile(1 << Running, s_callerSpinTicks, ref _callerAsleep);
        ExceptionDispatchInfo? error = _error;
        _error = null;
        Volatile.Write(ref _state, Idle);
        Volatile.Write(ref _claimed, 0);
        error?.Throw();
    }

    private void Loop()
    {
        while (true)
        {
            // Finished counts as idle until the caller has collected the result and released the claim.
            WaitWhile(1 << Idle | 1 << Finished, s_workerSpinTicks, ref _workerAsleep);
            if (Interlocked.CompareExchange(ref _state, Running, Posted) != Posted)
            {
                // Withdrawn before we began: the caller has finished without us.
                Volatile.Write(ref _state, Idle);
                Volatile.Write(ref _claimed, 0);
                continue;
            }

            try
            {
                _work->RunParts();
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }

            Interlocked.Exchange(ref _state, Finished);
            if (Volatile.Read(ref _callerAsleep) != 0) Wake();
        }
    }

    private void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    /// <summary>Spins, then sleeps (flagging <paramref name="asleep"/>), while the state is one of the bits of <paramref name="states"/>.</summary>
    /// <remarks>The flag is set with a full fence before the state is read again, and the other side writes the
    /// state with a full fence before reading the flag, so one of the two always sees the other: no lost wake-up.</remarks>
    private void WaitWhile(int states, long spinTicks, ref int asleep)
    {
        long deadline = Stopwatch.GetTimestamp() + spinTicks;
        while (Waiting(states))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                lock (_gate)
                {
                    Interlocked.Exchange(ref asleep, 1);
                    while (Waiting(states)) Monitor.Wait(_gate);
                    Volatile.Write(ref asleep, 0);
                }

                return;
            }

            Thread.SpinWait(4);
        }
    }

    private bool Waiting(int states) => (states >> Volatile.Read(ref _state) & 1) != 0;
}
