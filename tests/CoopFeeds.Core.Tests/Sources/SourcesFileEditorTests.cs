using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Sources;

/// <summary>One source spliced into a sources file's text: the rest of the file stays as it was, byte for byte.</summary>
public sealed class SourcesFileEditorTests
{
    internal const string Commented = """
        // The sources of the test site.
        {
          "Sections": [
            { "Slug": "news", "Title": "News" } // the only one, for now
          ],
          /* Every page we read. */
          "Sources": [
            {
              "Id": "first",   // oldest
              "Section": "news",
              "Url": "https://example.org/first",
              "Selectors": { "Item": "li", "Title": "a" }
            },
            {
              "Id": "second",
              "Section": "news",
              "Url": "https://example.org/second",
              "Selectors": { "Item": "li", "Title": "a" }
            } // newest
            // more to come
          ]
        }

        """;

    internal static SourceEdit Edit(string id, string section = "news", string? sectionTitle = null, bool replace = false) => new()
    {
        Id = id,
        Section = section,
        SectionTitle = sectionTitle,
        Replace = replace,
        Entry = new JsonObject
        {
            ["Url"] = "https://example.org/" + id,
            ["Selectors"] = new JsonObject { ["Item"] = "article", ["Title"] = "h2", ["Date"] = "time@datetime" },
            ["DateFormats"] = new JsonArray("d MMMM yyyy"),
            ["Cultures"] = new JsonArray("fr-FR", "en-GB"),
            ["MaxPages"] = 1,
        },
    };

    private static string Edited(string text, SourceEdit edit) =>
        Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply(text, edit)).Text;

    [Fact]
    public void ANewSourceGoesAtTheEndOfSourcesAfterTheCommentsThere()
    {
        var text = Edited(Commented, Edit("third"));

        Assert.Equal(Commented.Replace(
            "    } // newest\n    // more to come\n  ]",
            "    }, // newest\n    // more to come\n    " + Written("third") + "\n  ]"), text);
    }

    [Fact]
    public void AReplacedSourceIsRewrittenInItsPlaceAndItsNeighboursKeepTheirComments()
    {
        var result = Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply(Commented, Edit("first", replace: true)));

        Assert.True(result.Replaced);
        var start = Commented.IndexOf("{\n      \"Id\": \"first\"", StringComparison.Ordinal);
        var old = Commented[start..(Commented.IndexOf("\n    },", start, StringComparison.Ordinal) + "\n    }".Length)];
        Assert.Equal(Commented.Replace(old, Written("first")), result.Text);
    }

    /// <summary>The entry <see cref="Edit"/> writes among the entries of <see cref="Commented"/>, from its '{' on.</summary>
    private static string Written(string id) => $$"""
        {
              "Id": "{{id}}",
              "Section": "news",
              "Url": "https://example.org/{{id}}",
              "Selectors": {
                "Item": "article",
                "Title": "h2",
                "Date": "time@datetime"
              },
              "DateFormats": ["d MMMM yyyy"],
              "Cultures": ["fr-FR", "en-GB"],
              "MaxPages": 1
            }
        """;

    [Fact]
    public void AnExistingIdIsNotReplacedUnlessAsked()
    {
        Assert.Equal(new SourcesFileEdit.Exists("second"), SourcesFileEditor.Apply(Commented, Edit("second")));
    }

    [Fact]
    public void ANewSectionIsAppendedToSectionsWithItsTitle()
    {
        var text = Edited(Commented, Edit("third", section: "events", sectionTitle: "Events \"near\" you"));

        Assert.Contains("""
                { "Slug": "news", "Title": "News" }, // the only one, for now
                {
                  "Slug": "events",
                  "Title": "Events \"near\" you"
                }
              ],
            """, text);
        Assert.Equal("events", JsonNode.Parse(text, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!
            ["Sources"]![2]!["Section"]!.GetValue<string>());
    }

    [Fact]
    public void AnExistingSectionIsUsedAsItIsWhateverTitleIsGiven()
    {
        var text = Edited(Commented, Edit("third", section: "news", sectionTitle: "Another title"));

        Assert.DoesNotContain("Another title", text);
        Assert.StartsWith(Commented[..Commented.IndexOf("/* Every", StringComparison.Ordinal)], text, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingCommasTabsAndWindowsLineEndsAreFollowed()
    {
        const string text = "{\r\n\t\"Sections\": [{ \"Slug\": \"news\", \"Title\": \"News\" }],\r\n\t\"Sources\": [\r\n\t\t{ \"Id\": \"a\", \"Section\": \"news\", \"Url\": \"https://example.org/\", \"Selectors\": { \"Item\": \"li\", \"Title\": \"a\" } },\r\n\t],\r\n}\r\n";
        var edit = Edit("b") with { Entry = new JsonObject { ["Url"] = "https://example.org/b", ["Selectors"] = new JsonObject { ["Item"] = "li" } } };

        Assert.Equal(text.Replace("},\r\n\t],", "},\r\n\t\t{\r\n\t\t\t\"Id\": \"b\",\r\n\t\t\t\"Section\": \"news\",\r\n\t\t\t\"Url\": \"https://example.org/b\",\r\n\t\t\t\"Selectors\": {\r\n\t\t\t\t\"Item\": \"li\"\r\n\t\t\t}\r\n\t\t},\r\n\t],"),
            Edited(text, edit));
    }

    [Theory]
    [InlineData("""{ "Sections": [{ "Slug": "news", "Title": "News" }], "Sources": [] }""",
        """{ "Sections": [{ "Slug": "news", "Title": "News" }], "Sources": [""" + "\n  {\n    \"Id\": \"b\",\n    \"Section\": \"news\"\n  }\n] }")]
    [InlineData("{\n  \"Sources\": [\n    // none yet\n  ],\n  \"Sections\": []\n}",
        "{\n  \"Sources\": [\n    // none yet\n    {\n      \"Id\": \"b\",\n      \"Section\": \"news\"\n    }\n  ],\n  \"Sections\": []\n}")]
    public void AnEmptySourcesArrayGetsTheEntryOnItsOwnLines(string text, string expected)
    {
        Assert.Equal(expected, Edited(text, Edit("b") with { Entry = new JsonObject() }));
    }

    [Fact]
    public void AByteOrderMarkAndTextOutsideAsciiStayAsTheyWere()
    {
        const string text = "\uFEFF{ \"Sections\": [{ \"Slug\": \"news\", \"Title\": \"Actualités — coopératives\" }],\n  \"Sources\": [] }";

        var edited = Edited(text, Edit("b") with { Entry = new JsonObject { ["Url"] = "https://example.org/é" } });

        Assert.StartsWith("\uFEFF{ \"Sections\": [{ \"Slug\": \"news\", \"Title\": \"Actualités — coopératives\" }],\n  \"Sources\": [", edited, StringComparison.Ordinal);
        Assert.Contains("\"Url\": \"https://example.org/é\"", edited);
    }

    [Theory]
    [InlineData("""{ "Sections": [] }""", "no top-level \"Sources\" array")]
    [InlineData("""{ "Sections": [], "Sources": {} }""", "no top-level \"Sources\" array")]
    [InlineData("""[{ "Sources": [] }]""", "is not a JSON object")]
    [InlineData("""{ "Sources": [], "sources": [] }""", "more than once")]
    [InlineData("""{ "Sources": [ }""", "not valid JSON")]
    [InlineData("""{ "Sources": [] } {}""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void AFileItCannotReadSafelyIsRefusedWithTheEntryToPaste(string text, string reason)
    {
        var refused = Assert.IsType<SourcesFileEdit.Unsafe>(SourcesFileEditor.Apply(text, Edit("b")));

        Assert.Contains(reason, refused.Reason);
        Assert.Equal("b", JsonNode.Parse(refused.EntryJson)!["Id"]!.GetValue<string>());
        Assert.Equal(SourcesFileEditor.Format(Edit("b")), refused.EntryJson);
    }

    [Fact]
    public void ANewSectionWithoutASectionsArrayIsRefused()
    {
        var refused = Assert.IsType<SourcesFileEdit.Unsafe>(SourcesFileEditor.Apply("""{ "Sources": [] }""", Edit("b", section: "events", sectionTitle: "Events")));

        Assert.Contains("no top-level \"Sections\" array", refused.Reason);
    }

    [Fact]
    public void IdAndSectionComeFromTheEditAndLead()
    {
        var edit = Edit("b") with { Entry = new JsonObject { ["Url"] = "https://example.org/", ["id"] = "other", ["Section"] = "other" } };

        var entry = Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply("""{ "Sources": [] }""", edit)).Entry;

        Assert.Equal(["Id", "Section", "Url"], entry.Select(p => p.Key));
        Assert.Equal("b", entry["Id"]!.GetValue<string>());
        Assert.Equal("news", entry["Section"]!.GetValue<string>());
    }

    [Fact]
    public void NamesSentInAnotherCaseAreWrittenAsTheFileSpellsThem()
    {
        var edit = Edit("b") with
        {
            Entry = new JsonObject
            {
                ["url"] = "https://example.org/",
                ["selectors"] = new JsonObject { ["item"] = "li", ["nextPage"] = "a@href" },
                ["maxpages"] = 2,
                ["Colour"] = "red",
            },
        };

        var entry = Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply("""{ "Sources": [] }""", edit)).Entry;

        Assert.Equal("""{"Id":"b","Section":"news","Url":"https://example.org/","Selectors":{"Item":"li","NextPage":"a@href"},"MaxPages":2,"Colour":"red"}""",
            entry.ToJsonString());
    }

    [Fact]
    public void AnEntryIsFoundByItsIdWithoutItsComments()
    {
        var entry = SourcesFileEditor.FindEntry(Commented, "first");

        Assert.Equal("""{"Id":"first","Section":"news","Url":"https://example.org/first","Selectors":{"Item":"li","Title":"a"}}""", entry!.ToJsonString());
        Assert.Null(SourcesFileEditor.FindEntry(Commented, "third"));
        Assert.Null(SourcesFileEditor.FindEntry("not json", "first"));
    }
}
