namespace CoopFeeds.Storage;

/// <summary>
/// The configured store cannot be used: its settings are wrong, its server or file cannot be reached, or its schema is
/// newer than this build. The message says which store and why in one line, with no secret from the connection string.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
