using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>A state value with the time (Unix ms, job clock) its time-to-live last started.</summary>
internal readonly record struct TtlValue<T>(T Value, long LastAccess);

/// <summary>A <see cref="TtlValue{T}"/> as its timestamp, then its value.</summary>
internal sealed class TtlValueSerializer<T>(ITypeSerializer<T> values) : ITypeSerializer<TtlValue<T>>
{
    public void Serialize(TtlValue<T> value, BinaryWriter writer)
    {
        writer.Write(value.LastAccess);
        values.Serialize(value.Value, writer);
    }

    public TtlValue<T> Deserialize(BinaryReader reader)
    {
        var lastAccess = reader.ReadInt64();
        return new TtlValue<T>(values.Deserialize(reader), lastAccess);
    }
}

/// <summary>One state's time-to-live rules, read against the job's clock.</summary>
internal sealed class TtlPolicy(StateTtlConfig config, Func<TimeProvider> clock)
{
    private readonly long _ttl = (long)config.Ttl.TotalMilliseconds;

    public StateTtlConfig Config => config;

    public long Now => clock().GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Whether an entry last touched at <paramref name="lastAccess"/> has expired by <paramref name="now"/>.</summary>
    public bool Expired(long lastAccess, long now) => lastAccess + _ttl <= now;

    /// <summary>Whether a read may return an entry that expired at <paramref name="now"/> but is still stored.</summary>
    public bool Visible(long lastAccess, long now) => !Expired(lastAccess, now) || config.Visibility == StateVisibility.ReturnExpiredIfNotCleanedUp;

    public bool RefreshOnRead => config.UpdateType == StateTtlUpdateType.OnReadAndWrite;
}
