using System.CommandLine;
using CoopFeeds.Sources;
using CoopFeeds.StorageSetup;

namespace CoopFeeds.Cli;

/// <summary>
/// One executable, <c>serve</c> by default: <c>serve</c>, <c>ingest</c>, <c>preview</c>, <c>suggest</c>, <c>check</c>, <c>purge</c>, <c>health</c>.
/// Settings may follow any verb as <c>--Section:Key=value</c>; they go to configuration, not to the parser.
/// </summary>
public static class CoopFeedsCommandLine
{
    public const string DefaultSources = "samples/sources.json";
    public const string DefaultData = "data";

    private static readonly string[] Verbs = ["serve", "ingest", "preview", "suggest", "check", "purge", "health", "-h", "--help", "-?", "--version"];

    public static async Task<int> InvokeAsync(string[] args)
    {
        if (args.Length == 0 || !Verbs.Contains(args[0], StringComparer.Ordinal)) args = ["serve", .. args];
        try
        {
            var parsed = Build().Parse(args);
            var problems = parsed.Errors.Select(e => e.Message).Concat(UnknownOptions(parsed.UnmatchedTokens)).ToList();
            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync(string.Join("\n", problems) + $"\nSee 'coopfeeds {args[0]} --help'.");
                return 2;
            }
            // Our own handler below prints configuration errors without a stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (SourceCatalogException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration is invalid:\n  - " + string.Join("\n  - ", ex.Failures));
            return 2;
        }
        catch (CoopFeeds.Storage.StoreUnavailableException ex)
        {
            // The message names the store (never its password) and why: a wrong setting, an unreachable server, a newer schema.
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Kestrel's message names the address ("Failed to bind to address http://127.0.0.1:5000: address already in use.").
            await Console.Error.WriteLineAsync($"Cannot serve: {ex.Message} Choose another with --urls, or stop the process that holds it.");
            return 2;
        }
    }

    internal static RootCommand Build()
    {
        var root = new RootCommand("CoopFeeds: RSS, Atom and JSON feeds for listing pages that publish none.");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(PreviewCommand.Create());
        root.Subcommands.Add(SuggestCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(PurgeCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        return root;
    }

    internal static Option<string> SourcesOption() => new("--sources")
    {
        Description = "The sources file",
        DefaultValueFactory = _ => FindDefaultSources(),
    };

    /// <summary>
    /// <c>samples/sources.json</c> in the current folder or the nearest folder above it,
    /// so the README's <c>dotnet run --project src/CoopFeeds</c> finds the samples wherever it starts the process.
    /// </summary>
    private static string FindDefaultSources()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultSources);
            if (File.Exists(candidate)) return candidate;
        }
        return DefaultSources;
    }

    internal static Option<string> DataOption() => new("--data")
    {
        Description = "Folder of the embedded SQLite database",
        DefaultValueFactory = _ => DefaultData,
    };

    // The generic host's own switches and the one top-level key of appsettings.json: settings without a section.
    private static readonly HashSet<string> HostSwitches = new(["environment", "contentRoot", "applicationName", "AllowedHosts"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Unknown tokens are settings only when they name a configuration key (<c>--Section:Key=value</c> or
    /// <c>--Section:Key value</c>, or a host switch such as <c>--environment</c>); anything else is a mistyped option, which
    /// must not pass silently (<c>--summery</c>).
    /// </summary>
    private static IEnumerable<string> UnknownOptions(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var name = token.Split('=', 2)[0];
            if (name.StartsWith('-') && (name.Contains(':') || HostSwitches.Contains(name.TrimStart('-'))))
            {
                if (!token.Contains('=') && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-')) i++; // its value
                continue;
            }
            yield return name.StartsWith('-')
                ? $"Unknown option '{name}'. Settings are written --Section:Key=value."
                : $"Unexpected argument '{token}'.";
        }
    }

    /// <summary>Tokens the parser did not know (<c>--Storage:Provider=…</c>) become configuration arguments.</summary>
    internal static IReadOnlyList<string> ConfigArgs(ParseResult result) => result.UnmatchedTokens.ToList();

    private static Command ServeCommand()
    {
        var sources = SourcesOption();
        var data = DataOption();
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:8080" };
        var command = new Command("serve", "Run the service: ingest on schedule and publish the feeds (default)") { sources, data, urls };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new ServeSettings(result.GetValue(sources)!, result.GetValue(data)!, result.GetValue(urls));
            var app = Program.BuildWebApp(settings, ConfigArgs(result).ToArray());
            await app.Services.MigrateItemStoreAsync(cancellationToken);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

/// <summary>What <c>serve</c> was told on the command line.</summary>
public sealed record ServeSettings(string SourcesPath, string DataDirectory, string? Urls);
