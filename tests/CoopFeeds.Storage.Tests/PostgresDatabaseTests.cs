using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// What only the PostgreSQL store has to face: databases it did not create, whose encoding and locale are whatever their
/// owner chose. The contract runs on a database with a linguistic collation; these use the others.
/// </summary>
public sealed class PostgresDatabaseTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task CaseFoldingDoesNotDependOnTheDatabaseLocale()
    {
        await using var db = await PostgresTestDatabase.CreateAsync(PostgresServer.CLocale);
        await db.Store.MigrateAsync(None);
        await db.Store.SaveAsync(News, [Item("a") with { Title = "L'Économie sociale", Category = "Économie" }, Item("b")], Success(T0), None);

        // É against é: folding ASCII only, as a plain lower() does in this database, would find neither.
        var byWord = await db.Store.GetItemsAsync(new ItemQuery { Text = "économie" }, None);
        var byCategory = await db.Store.GetItemsAsync(new ItemQuery { Categories = ["éCONOMIE"] }, None);

        Assert.Equal(["Économie"], await db.QueryAsync("SELECT lower('ÉCONOMIE');"));
        Assert.Equal(["urn:test:a"], byWord.Select(s => s.Item.Id));
        Assert.Equal(["urn:test:a"], byCategory.Select(s => s.Item.Id));
    }

    [SkippableFact]
    public async Task ADatabaseThatIsNotUnicodeIsRefusedClearly()
    {
        await using var db = await PostgresTestDatabase.CreateAsync(PostgresServer.CLocale, encoding: "SQL_ASCII");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.Store.MigrateAsync(None));

        Assert.Contains("SQL_ASCII", error.Message);
        Assert.Contains("UTF8", error.Message);
    }
}
