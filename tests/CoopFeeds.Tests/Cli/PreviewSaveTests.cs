using System.Text.Json.Nodes;

namespace CoopFeeds.Tests.Cli;

/// <summary><c>preview --save</c>: a source's page and its first page's items beside the sources file, for <c>check --fixtures</c>.</summary>
public sealed class PreviewSaveTests
{
    [Fact]
    public async Task PreviewSaveWritesThePageAndTheExpectedItemsThatCheckFixturesThenPasses()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();
        var pages = Path.Combine(folder, "pages");
        // The source reads its page from elsewhere, so pages/<id>.html is written from the bytes it read.
        Directory.CreateDirectory(Path.Combine(folder, "saved"));
        File.Move(Path.Combine(pages, "ilo-coop-publications.html"), Path.Combine(folder, "saved", "publications.html"));
        var expected = File.ReadAllText(Path.Combine(pages, "ilo-coop-publications.expected.json"));
        File.Delete(Path.Combine(pages, "ilo-coop-publications.expected.json"));
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "sources.json")))!;
        file["Sources"]!.AsArray().Single(s => (string?)s!["Id"] == "ilo-coop-publications")!["Url"] = "saved/publications.html";
        File.WriteAllText(Path.Combine(folder, "sources.json"), file.ToJsonString());

        var result = await CoopFeedsProcess.RunAsync(folder, "preview", "--sources", "sources.json", "--source", "ilo-coop-publications", "--save");

        Assert.Equal(0, result.ExitCode);
        var page = Path.Combine(folder, "pages", "ilo-coop-publications.html");
        var expectedPath = Path.Combine(folder, "pages", "ilo-coop-publications.expected.json");
        Assert.Equal($"saved {page} and {expectedPath}\n", result.StandardError);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "saved", "publications.html")), File.ReadAllBytes(page));
        Assert.Equal(expected, File.ReadAllText(expectedPath));

        var check = await CoopFeedsProcess.RunAsync(folder, "check", "--sources", "sources.json", "--fixtures");
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
    }
}
