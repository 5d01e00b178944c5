namespace CoopFeeds.Storage;

/// <summary>
/// A request to run a source: <see cref="Holder"/> (an instance, or an <c>ingest</c> process) asks for the source's lease
/// until <see cref="Now"/> + <see cref="Duration"/>. Instants are the holder's clock; every holder of one store must
/// share one time (NTP), as they share one database.
/// </summary>
public sealed record LeaseRequest
{
    public required string SourceId { get; init; }
    public required string Holder { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>When the source may be run apart from another holder's lease (which always refuses).</summary>
    public LeaseCondition Condition { get; init; } = LeaseCondition.WhenDue;

    /// <summary>
    /// The fingerprint of the definition the holder will run. With <see cref="LeaseCondition.WhenDueOrEdited"/>, a
    /// definition no run has been saved with under a lease makes the source due now.
    /// </summary>
    public string? Fingerprint { get; init; }
}

public enum LeaseCondition
{
    /// <summary>The source never ran, or its stored next attempt has come.</summary>
    WhenDue,

    /// <summary>As <see cref="WhenDue"/>, or the last run saved under a lease used another definition (the sources file was edited).</summary>
    WhenDueOrEdited,

    /// <summary>Whenever no other holder runs it (<c>ingest</c>: one pass now, whatever the schedule).</summary>
    Always,
}

/// <summary>What a lease request got.</summary>
public enum LeaseAnswer
{
    Granted,

    /// <summary>Another holder's lease on it has not expired: it is running the source.</summary>
    HeldByAnother,

    /// <summary>Its stored next attempt has not come: another holder ran it since the requester last looked.</summary>
    NotDue,

    /// <summary>Another holder was taking or releasing its lease at that moment (PostgreSQL skips a locked row): ask again shortly.</summary>
    Busy,
}

/// <summary>
/// The answer to a <see cref="LeaseRequest"/>. <see cref="Until"/> is when the lease ends unless renewed (granted), when
/// the other holder's lease expires (held), or the stored next attempt (not due); null when busy.
/// </summary>
public sealed record LeaseResult(LeaseAnswer Answer, DateTimeOffset? Until, string? HeldBy = null)
{
    public bool Granted => Answer == LeaseAnswer.Granted;
}

/// <summary>
/// A save under a lease found that its holder no longer holds it: the lease expired and another holder took the source
/// over (and may be running it now). The save is rolled back whole, so the source's run is recorded once.
/// </summary>
public sealed class LeaseLostException(string sourceId, string holder)
    : Exception($"The lease of {sourceId} held by {holder} was taken over by another holder; this run's results are dropped.")
{
    public string SourceId { get; } = sourceId;
}
