using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// What the handler of a cached document is given, bound per request (<c>[AsParameters]</c>): the document is served from
/// memory when current; otherwise the request is admitted (the client's permit, then a rendering slot), the document rendered
/// once for every request that shares it, and sent with its validators (<see cref="FeedResponse"/>). A struct, so a document
/// served from memory costs no allocation for it.
/// </summary>
public readonly record struct DocumentRequest(
    HttpContext Context,
    DocumentCache Cache,
    RenderAdmission Admission,
    RenderGate Gate,
    FeedRateLimiter Limiter,
    IOptions<PublishingOptions> Options)
{
    public HttpRequest Request => Context.Request;

    public PublishingOptions Settings => Options.Value;

    public PublicUrls Urls => PublicUrls.For(Request, Settings);

    /// <summary>The document at the request's own address when it is rendered and current: looked for before anything is parsed.</summary>
    public bool TryGetCurrent(DocumentKind kind, [NotNullWhen(true)] out RenderedFeed? feed) => Cache.TryGetCurrent(Request, Settings, kind, out feed);

    /// <summary>
    /// The document at the request's address, rendered by <paramref name="render"/> unless it is cached or being rendered
    /// (its <see cref="Admission.Feed"/> is null when <paramref name="render"/> finds none), or the 429 or 503 that refuses it.
    /// Rendering is shared by concurrent requests, so <paramref name="render"/> must not depend on one client's cancellation.
    /// </summary>
    public Task<Admission> AdmitAsync(DocumentKind kind, Func<Task<RenderedFeed?>> render) =>
        Admission.GetOrRenderAsync(Context, DocumentCache.KeyOf(Request, Settings, kind), kind.From, render);

    /// <summary>
    /// A store read needed to know whether the document exists at all (<see cref="RenderGate.ReadAsync{T}"/>): in a rendering
    /// slot, and taking no permit. Refused with a 503 when no slot frees up in time.
    /// </summary>
    public async Task<(T Value, IResult? Refusal)> ReadAsync<T>(Func<Task<T>> read)
    {
        var (admitted, value) = await Gate.ReadAsync(read);
        return admitted ? (value, null) : (value, FeedResponse.ServiceUnavailable(Context, Gate.RetryAfterSeconds));
    }

    public IResult Send(RenderedFeed feed) => FeedResponse.Send(Context, feed, Limiter);
}
