namespace CoopFeeds.Serving;

/// <summary>
/// The way to a document the cache could not answer from memory: the client's rate-limit permit first, then the cache's
/// rendering (at most Publishing:MaxConcurrentRenders at once). A client over its limit therefore causes no rendering — no
/// store read for any new <c>?q=</c> — and is answered 429; the permit is taken even when the answer turns out to be a 304,
/// because the rendering it pays for happens before the validators can be compared.
/// </summary>
public sealed class RenderAdmission(DocumentCache cache, RenderGate gate, FeedRateLimiter limiter)
{
    /// <summary>The document under <paramref name="key"/> (null: it does not exist), or the 429 or 503 that refuses it.</summary>
    public async Task<Admission> GetOrRenderAsync(HttpContext context, string key, RenderedFrom from, Func<Task<RenderedFeed?>> render)
    {
        if (!limiter.TryAcquire(context, out var retryAfter)) return new Admission(null, FeedResponse.TooManyRequests(context, retryAfter));
        var rendering = await cache.GetOrRenderAsync(key, from, render);
        return rendering.IsBusy
            ? new Admission(null, FeedResponse.ServiceUnavailable(context, gate.RetryAfterSeconds))
            : new Admission(rendering.Feed, null);
    }
}

/// <summary>A document to send (null: none exists at that address), or the answer that refuses the request.</summary>
public readonly record struct Admission(RenderedFeed? Feed, IResult? Refusal);
