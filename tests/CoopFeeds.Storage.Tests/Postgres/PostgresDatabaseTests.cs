using Npgsql;

namespace CoopFeeds.Storage.Tests.Postgres;

public sealed class PostgresDatabaseTests
{
    [SkippableFact]
    public async Task ADatabaseIsReachableAndEmpty()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var connection = await db.OpenConnectionAsync();

        Assert.Equal(db.Name, await ScalarAsync<string>(connection, "SELECT current_database();"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';"));
    }

    [SkippableFact]
    public async Task TwoDatabasesAreApartFromEachOther()
    {
        await using var first = await PostgresDatabase.CreateAsync();
        await using var second = await PostgresDatabase.CreateAsync();
        await using var one = await first.OpenConnectionAsync();
        await using var other = await second.OpenConnectionAsync();

        await using (var create = new NpgsqlCommand("CREATE TABLE items (id integer); INSERT INTO items VALUES (1);", one))
        {
            await create.ExecuteNonQueryAsync();
        }

        Assert.NotEqual(first.Name, second.Name);
        Assert.Equal(1L, await ScalarAsync<long>(one, "SELECT count(*) FROM items;"));
        Assert.Null(await ScalarAsync<string?>(other, "SELECT to_regclass('items')::text;"));
    }

    [SkippableFact]
    public async Task ADatabaseIsDroppedWhenDisposedEvenWithSessionsStillOpen()
    {
        var db = await PostgresDatabase.CreateAsync();
        // A session left open, as a store's pool keeps them, must not stop the drop.
        await using var open = await db.OpenConnectionAsync();
        await using var server = new NpgsqlConnection(db.ServerConnectionString);
        await server.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1;", server) { Parameters = { new() { Value = db.Name } } };
        Assert.Equal(1L, await exists.ExecuteScalarAsync());

        await db.DisposeAsync();

        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    [InlineData("0")]
    public void WithoutAServerOutsideCiTheTestsAreSkippedSayingHowToGetOne(string? ci)
    {
        var decision = PostgresTestServer.Decide(null, ci);

        var skip = Assert.IsType<PostgresServerDecision.SkipTests>(decision);
        Assert.Contains(PostgresTestServer.Variable, skip.Reason);
        Assert.Contains("./test.sh", skip.Reason);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("1")]
    public void WithoutAServerInCiTheTestsFail(string ci)
    {
        var decision = PostgresTestServer.Decide("  ", ci);

        var fail = Assert.IsType<PostgresServerDecision.FailTests>(decision);
        Assert.Contains(PostgresTestServer.Variable, fail.Reason);
        Assert.Contains("CI", fail.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("true")]
    public void AGivenServerIsUsedInAndOutsideCi(string? ci)
    {
        const string server = "Host=127.0.0.1;Port=5433;Username=postgres;Password=secret;Database=coopfeeds";

        Assert.Equal(new PostgresServerDecision.UseServer(server), PostgresTestServer.Decide(server, ci));
    }

    [Fact]
    public void AMistypedServerFailsEvenOutsideCiWithoutShowingTheText()
    {
        var decision = PostgresTestServer.Decide("Host=127.0.0.1;Pasword=secret", null);

        var fail = Assert.IsType<PostgresServerDecision.FailTests>(decision);
        Assert.Contains(PostgresTestServer.Variable, fail.Reason);
        Assert.DoesNotContain("secret", fail.Reason);
    }

    [Fact]
    public async Task ASkipDecisionReportsTheTestSkippedAndAFailDecisionFailsIt()
    {
        var skipped = await Assert.ThrowsAsync<SkipException>(() => PostgresDatabase.CreateAsync(new PostgresServerDecision.SkipTests("no server here")));
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresDatabase.CreateAsync(new PostgresServerDecision.FailTests("CI needs a server")));

        Assert.Equal("no server here", skipped.Message);
        Assert.Equal("CI needs a server", failed.Message);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? default! : (T)value!;
    }
}
