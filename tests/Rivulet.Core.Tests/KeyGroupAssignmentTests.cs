using Rivulet.Core.Runtime.IO;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Tests;

/// <summary>
/// Key groups are part of the snapshot format: a savepoint restored by a later version must find
/// each key in the key group it was written to. These values were produced by the first release
/// of the hasher and must never change.
/// </summary>
public sealed class KeyGroupAssignmentTests
{
    private static readonly int[] Ints = [0, 1, 2, 42, -1, int.MaxValue, int.MinValue];
    private static readonly long[] Longs = [0L, 1L, 42L, -1L, long.MaxValue, 1L << 40];
    private static readonly string[] Strings = ["", "k0", "k1", "key-17", "ünïcødé"];
    private static readonly Point[] Points = [new(0, 0), new(1, 2), new(-5, 7)];

    [Theory]
    [InlineData(128, new[] { 0, 55, 6, 92, 57, 40, 32 }, new[] { 0, 55, 92, 0, 32, 95 }, new[] { 11, 51, 114, 112, 55 }, new[] { 6, 41, 43 })]
    [InlineData(7, new[] { 0, 6, 6, 5, 6, 6, 2 }, new[] { 0, 6, 5, 0, 2, 3 }, new[] { 4, 3, 4, 6, 1 }, new[] { 5, 1, 3 })]
    [InlineData(1, new[] { 0, 0, 0, 0, 0, 0, 0 }, new[] { 0, 0, 0, 0, 0, 0 }, new[] { 0, 0, 0, 0, 0 }, new[] { 0, 0, 0 })]
    [InlineData(32768, new[] { 0, 10423, 17158, 19804, 28473, 3752, 26016 }, new[] { 0, 10423, 19804, 0, 26016, 12639 }, new[] { 31755, 5555, 31218, 21488, 30135 }, new[] { 8198, 297, 14891 })]
    public void Keys_keep_their_key_groups_across_versions(int maxParallelism, int[] ints, int[] longs, int[] strings, int[] points)
    {
        Assert.Equal(ints, Ints.Select(new KeyGroupHasher<int>(TypeSerializers.For<int>("test"), maxParallelism).KeyGroupOf));
        Assert.Equal(longs, Longs.Select(new KeyGroupHasher<long>(TypeSerializers.For<long>("test"), maxParallelism).KeyGroupOf));
        Assert.Equal(strings, Strings.Select(new KeyGroupHasher<string>(TypeSerializers.For<string>("test"), maxParallelism).KeyGroupOf));
        Assert.Equal(points, Points.Select(new KeyGroupHasher<Point>(TypeSerializers.For<Point>("test"), maxParallelism).KeyGroupOf));
    }

    [Fact]
    public void Every_key_group_lands_in_the_subtask_whose_range_holds_it()
    {
        foreach (var (maxParallelism, parallelism) in new[] { (128, 1), (128, 2), (128, 3), (7, 5), (32768, 7), (10, 10) })
        {
            var selector = new KeyGroupSelector<int>(keyGroup => keyGroup, maxParallelism, parallelism);
            for (var keyGroup = 0; keyGroup < maxParallelism; keyGroup++)
            {
                var subtask = selector.Select(keyGroup);
                Assert.True(KeyGroupRange.ForSubtask(maxParallelism, parallelism, subtask).Contains(keyGroup),
                    $"key group {keyGroup} of {maxParallelism} went to subtask {subtask} of {parallelism}");
            }
        }
    }

    public sealed record Point(int X, int Y);
}
