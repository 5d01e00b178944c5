using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// Lets a <c>/studio/api/*</c> request through only with <c>Authorization: Bearer &lt;Studio:Token&gt;</c>; else 401 with
/// <c>WWW-Authenticate: Bearer</c> (RFC 6750 3). The token is a header, never a cookie, so another site cannot make a
/// maintainer's browser send it (no CSRF). Compared as SHA-256 hashes in constant time: equal lengths, and no early exit
/// that would tell a guesser how much of the token was right.
/// </summary>
internal sealed class StudioTokenCheck(IOptions<StudioOptions> options) : IEndpointFilter
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Token ?? ""));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // Answers about one maintainer's pages: never kept by a browser or a proxy.
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        if (TokenOf(context.HttpContext.Request) is not { } token || !Matches(token))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return StudioJson.Refuse(StatusCodes.Status401Unauthorized, "a bearer token is required: Authorization: Bearer <Studio:Token>");
        }
        return await next(context);
    }

    /// <summary>The token a request carries, for telling clients apart (the fetch rate limit); null when it carries none.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }

    private bool Matches(string token) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _expected);
}
