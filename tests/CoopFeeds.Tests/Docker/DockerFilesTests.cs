using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using CoopFeeds.Cli;
using CoopFeeds.Storage;
using CoopFeeds.Storage.Postgres;
using CoopFeeds.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace CoopFeeds.Tests.Docker;

/// <summary>
/// docker/: no Docker engine runs where these tests run, so they check what can be checked without one: every command and
/// setting the containers are given means something to the service, and the Dockerfile, the compose files and nginx.conf
/// agree with each other.
/// </summary>
public sealed class DockerFilesTests
{
    public static TheoryData<string> ComposeFiles => new() { "compose.yaml", "compose.single.yaml" };

    [Theory]
    [MemberData(nameof(ComposeFiles))]
    public void EverySettingAComposeFileGivesAnInstanceIsOneTheServiceReads(string fileName)
    {
        var compose = ComposeFile.Load(fileName);

        var problems = compose.Instances
            .SelectMany(instance => ComposeFile.Environment(instance.Value)
                .Select(setting => ServiceSettings.Problem(setting.Key, setting.Value) is { } problem ? $"{instance.Key}: {problem}" : null))
            .OfType<string>().ToList();

        Assert.NotEmpty(compose.Instances);
        Assert.Empty(problems);
    }

    [Fact]
    public void AMistypedOrBadlyWrittenSettingIsNamed()
    {
        Assert.Null(ServiceSettings.Problem("Publishing__RateLimit__Window", "00:02:00"));
        Assert.Contains("PublicBaseUri", ServiceSettings.Problem("Publishing__PublicBaseUri", "http://localhost:8080/"));
        Assert.Contains("RunTimeout", ServiceSettings.Problem("Ingestion__RunTimeout", "2 minutes"));
        Assert.Contains("Storage has no setting 'Connection'", ServiceSettings.Problem("Storage__Connection", "Host=postgres"));
        Assert.Contains("no options class reads the section 'Publish'", ServiceSettings.Problem("Publish__Author", "CoopFeeds"));
    }

    [Theory]
    [MemberData(nameof(ComposeFiles))]
    public async Task EachInstanceBuildsFromItsCommandItsSettingsAndTheSourcesFileMountedForIt(string fileName)
    {
        var compose = ComposeFile.Load(fileName);
        foreach (var (name, service) in compose.Instances)
        {
            var command = CoopFeedsCommandLine.Build().Parse(ComposeFile.Command(service).ToArray());
            Assert.Empty(command.Errors);
            Assert.Empty(command.UnmatchedTokens);
            Assert.Equal("serve", command.CommandResult.Command.Name);
            var sources = HostPath(compose, service, command.GetValue<string>("--sources")!);
            var data = Directory.CreateTempSubdirectory("coopfeeds-compose-").FullName;
            var settings = ComposeFile.Environment(service).Select(s => $"--{s.Key.Replace("__", ":")}={s.Value}").ToArray();

            try
            {
                // The service as serve builds it (the sources file loaded and validated, the store made from its settings),
                // then every options class read, so each one's validation runs on the compose file's values.
                var app = Program.BuildWebApp(new ServeSettings(sources, data, "http://127.0.0.1:0"), settings);
                await using (app)
                {
                    var failures = ServiceSettings.OptionsBySection.SelectMany(section => section).Select(type => ValidationFailure(app.Services, type)).OfType<string>();
                    Assert.Empty(failures);
                    var store = app.Services.GetRequiredService<IItemStore>();
                    var provider = ComposeFile.Environment(service).GetValueOrDefault("Storage__Provider", "Sqlite");
                    Assert.IsType(provider == "Postgres" ? typeof(PostgresItemStore) : typeof(SqliteItemStore), store);
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public void TheImageRunsTheServiceAndChecksItsHealthWithVerbsAndOptionsThatExist()
    {
        var image = DockerfileStage.LoadRuntime();
        var entrypoint = image.ExecForm("ENTRYPOINT");
        var defaultCommand = CoopFeedsCommandLine.Build().Parse(image.ExecForm("CMD").ToArray());
        var healthCheck = image.HealthCheck();
        var health = CoopFeedsCommandLine.Build().Parse(healthCheck.Skip(entrypoint.Count).ToArray());

        // The native executable the publish step writes into the image's working folder, named after the assembly.
        Assert.Equal(new[] { "/app/" + typeof(Program).Assembly.GetName().Name }, entrypoint);
        Assert.Empty(defaultCommand.Errors);
        Assert.Equal("serve", defaultCommand.CommandResult.Command.Name);
        Assert.Equal(entrypoint, healthCheck.Take(entrypoint.Count));
        Assert.Empty(health.Errors);
        Assert.Equal("health", health.CommandResult.Command.Name);
        var url = health.GetValue<Uri>("--url")!;
        Assert.Equal("/readyz", url.AbsolutePath);
        Assert.Equal(image.Environment("ASPNETCORE_HTTP_PORTS"), url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheProxyRoutesToEveryInstanceAndIsTheOneAddressTheyTrustForForwardedHeaders()
    {
        var compose = ComposeFile.Load("compose.yaml");
        var proxy = compose.Services["proxy"];
        var nginxConf = File.ReadAllText(HostPath(compose, proxy, "/etc/nginx/conf.d/default.conf"));
        var instancePort = DockerfileStage.LoadRuntime().Environment("ASPNETCORE_HTTP_PORTS");
        var upstream = Regex.Matches(nginxConf, @"^\s*server\s+([^\s;{]+)[^;{]*;", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        var proxyAddress = IPAddress.Parse(ComposeFile.Scalar(ComposeFile.Map(ComposeFile.Map(proxy, "networks"), "coopfeeds"), "ipv4_address"));
        var ipam = (YamlMappingNode)((YamlSequenceNode)ComposeFile.Find(ComposeFile.Map(compose.Network("coopfeeds"), "ipam"), "config")!).Children.Single();
        var published = ComposeFile.Sequence(proxy, "ports").Single().Split(':');

        Assert.StartsWith("nginx:", ComposeFile.Scalar(proxy, "image"));
        Assert.Equal(compose.Instances.Keys.Select(name => $"{name}:{instancePort}").Order(), upstream.Order());
        // What the service's forwarded-headers handling reads (ServingRegistration), each set by the proxy.
        foreach (var header in new[] { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host" })
            Assert.Matches($@"proxy_set_header\s+{header}\s", nginxConf);
        Assert.Matches($@"listen\s+{published[1]};", nginxConf);
        Assert.True(IPNetwork.Parse(ComposeFile.Scalar(ipam, "subnet")).Contains(proxyAddress));
        Assert.False(IPNetwork.Parse(ComposeFile.Scalar(ipam, "ip_range")).Contains(proxyAddress), "the others may be given the proxy's address");
        foreach (var (name, instance) in compose.Instances)
        {
            var environment = ComposeFile.Environment(instance);
            Assert.Equal(new[] { proxyAddress.ToString() }, environment.Where(s => s.Key.StartsWith("Publishing__TrustedProxies", StringComparison.Ordinal)).Select(s => s.Value));
            Assert.Equal($"http://localhost:{published[0]}/", environment["Publishing__PublicBaseUrl"]);
            Assert.Contains(name, ComposeFile.Map(proxy, "depends_on").Children.Keys.Select(k => k.ToString()));
        }
    }

    [Fact]
    public void TheInstancesWaitForAHealthyDatabaseTheyNameAndReadOneSourcesFolderReadOnly()
    {
        var compose = ComposeFile.Load("compose.yaml");
        var postgres = compose.Services["postgres"];
        var database = ComposeFile.Environment(postgres);

        Assert.Equal("postgres:15", ComposeFile.Scalar(postgres, "image"));
        Assert.Contains("pg_isready", ComposeFile.Sequence(ComposeFile.Map(postgres, "healthcheck"), "test"));
        Assert.Equal(2, compose.Instances.Count);
        foreach (var instance in compose.Instances.Values)
        {
            Assert.Equal("service_healthy", ComposeFile.Scalar(ComposeFile.Map(ComposeFile.Map(instance, "depends_on"), "postgres"), "condition"));
            var connection = new NpgsqlConnectionStringBuilder(ComposeFile.Environment(instance)["Storage__ConnectionString"]);
            Assert.Equal("postgres", connection.Host);
            Assert.Equal(database["POSTGRES_DB"], connection.Database);
            Assert.Equal(database["POSTGRES_USER"], connection.Username);
            Assert.Equal(database["POSTGRES_PASSWORD"], connection.Password);
        }
        var sourceMounts = compose.Instances.Values.Select(i => ComposeFile.Volumes(i).Single(v => v.Target == "/sources")).ToList();
        Assert.Single(sourceMounts.Select(v => compose.HostFolder(v.Source)).Distinct());
        Assert.All(sourceMounts, v => Assert.Equal("ro", v.Mode));
    }

    /// <summary>The file on this machine that <paramref name="containerPath"/> is, through the service's bind mounts.</summary>
    private static string HostPath(ComposeFile compose, YamlMappingNode service, string containerPath)
    {
        foreach (var (source, target, _) in ComposeFile.Volumes(service))
        {
            var bind = source.StartsWith('.') || source.StartsWith('/');
            if (!bind) continue;
            if (containerPath == target) return compose.HostFolder(source);
            if (containerPath.StartsWith(target + "/", StringComparison.Ordinal))
                return Path.Combine(compose.HostFolder(source), containerPath[(target.Length + 1)..]);
        }
        throw new InvalidOperationException($"{containerPath} is in no bind mount of the service");
    }

    /// <summary>Why the options of <paramref name="type"/> fail their validation, or null when they pass.</summary>
    private static string? ValidationFailure(IServiceProvider services, Type type)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        try
        {
            options.GetType().GetProperty("Value")!.GetValue(options);
            return null;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is OptionsValidationException invalid)
        {
            return invalid.Message;
        }
    }
}
