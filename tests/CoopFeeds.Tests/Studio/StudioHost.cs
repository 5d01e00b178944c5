using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Studio;

/// <summary>The real service with the studio switched on (on an empty sources file), and a client that carries its token.</summary>
internal sealed class StudioHost : IAsyncDisposable
{
    public const string Token = "studio-test-token-0123456789";

    private readonly FaultSources _file;

    private StudioHost(FaultSources file, ServiceHost host)
    {
        _file = file;
        Host = host;
    }

    public ServiceHost Host { get; }

    public string SourcesFolder => _file.Folder;

    public string SourcesPath => _file.Path;

    /// <summary>GETs <paramref name="path"/> with the token and reads the JSON answer, asserting its status.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Starts the service with the studio on; <paramref name="allowPrivateNetworks"/> lets it reach the loopback test site.</summary>
    public static Task<StudioHost> StartAsync(
        bool allowPrivateNetworks = true, Action<IServiceCollection>? services = null, params string[] more) =>
        StartAsync([], allowPrivateNetworks, services, more);

    /// <summary>As <see cref="StartAsync(bool, Action{IServiceCollection}?, string[])"/>, on a sources file holding <paramref name="sources"/>.</summary>
    public static async Task<StudioHost> StartAsync(
        SourceSpec[] sources, bool allowPrivateNetworks = true, Action<IServiceCollection>? services = null, params string[] more)
    {
        var file = FaultSources.Write(sources);
        var host = await file.StartServiceAsync(services ?? (_ => { }),
            ["--Studio:Enabled=true", $"--Studio:Token={Token}", $"--Studio:AllowPrivateNetworks={allowPrivateNetworks}", .. more]);
        return new StudioHost(file, host);
    }

    /// <summary>POSTs <paramref name="body"/> (an object serialized as JSON, or a string sent as it is) with the token.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, object body, string? token = Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'))
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Host.Client.SendAsync(request);
    }

    /// <summary>POSTs and reads the JSON answer, asserting its status.</summary>
    public async Task<JsonElement> PostJsonAsync(string path, object body, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Fetches <paramref name="url"/> through the studio and returns its fetch id.</summary>
    public async Task<string> FetchAsync(Uri url) =>
        (await PostJsonAsync("studio/api/fetch", new { url = url.AbsoluteUri })).GetProperty("fetchId").GetString()!;

    public static IEnumerable<string> Problems(JsonElement answer) =>
        answer.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _file.DisposeAsync();
    }
}
