using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Tests.Runtime;

/// <summary>Barrier alignment on its own: barriers and ends of input by hand, no threads.</summary>
public sealed class BarrierAlignerTests
{
    private static readonly CheckpointBarrier First = new(1, 1_000, "chk-1");
    private static readonly CheckpointBarrier Second = new(2, 2_000, "chk-2");

    [Fact]
    public void A_channel_that_delivered_the_barrier_waits_until_every_channel_did()
    {
        var aligner = new BarrierAligner(3);
        Assert.Null(aligner.OnBarrier(0, First));
        Assert.True(aligner.IsBlocked(0));
        Assert.False(aligner.IsBlocked(1));
        Assert.Null(aligner.OnBarrier(2, First));

        Assert.Same(First, aligner.OnBarrier(1, First));
        Assert.False(aligner.IsBlocked(0));
        Assert.False(aligner.IsBlocked(2));
        Assert.Null(aligner.Aligning);
    }

    [Fact]
    public void An_ended_channel_does_not_hold_an_alignment_back()
    {
        var aligner = new BarrierAligner(2);
        Assert.Null(aligner.OnBarrier(0, First));
        Assert.Same(First, aligner.OnEnded(1));

        // Ended channels are left out of later alignments too.
        Assert.Same(Second, aligner.OnBarrier(0, Second));
    }

    [Fact]
    public void A_newer_barrier_abandons_the_older_alignment_and_older_barriers_are_ignored()
    {
        var aligner = new BarrierAligner(2);
        Assert.Null(aligner.OnBarrier(0, First));
        Assert.Null(aligner.OnBarrier(1, Second)); // checkpoint 1 can no longer complete
        Assert.False(aligner.IsBlocked(0));
        Assert.True(aligner.IsBlocked(1));
        Assert.Same(Second, aligner.Aligning);

        Assert.Null(aligner.OnBarrier(0, First)); // late barrier of the abandoned checkpoint
        Assert.False(aligner.IsBlocked(0));
        Assert.Same(Second, aligner.OnBarrier(0, Second));
    }

    [Fact]
    public void One_channel_aligns_at_once()
    {
        var aligner = new BarrierAligner(1);
        Assert.Same(First, aligner.OnBarrier(0, First));
        Assert.False(aligner.IsBlocked(0));
    }
}
