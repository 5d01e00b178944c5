using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>Cultures and formats are read from all the dates of a column together.</summary>
public sealed class DateInferenceTests
{
    /// <param name="languages">The page's lang attributes, as written ("en", "fr-FR").</param>
    private static DateConventions Infer(string[] dates, params string[] languages) =>
        DateInference.Infer(dates, [.. dates.Select(_ => (string?)null)], DateInference.DeclaredCultures(languages), Suggest.FetchedAt);

    [Fact]
    public void ADayAbove12ReadsNumericDatesDayFirst()
    {
        var dates = Infer(["07/10/2021", "12/09/2021", "30/08/2021"], "en-US");

        Assert.Equal(["en-GB"], dates.Cultures);
        Assert.Equal("dd/MM/yyyy", dates.Formats[0]);
        Assert.Equal(3, dates.Dated);
    }

    [Fact]
    public void AMonthPart12ReadsNumericDatesMonthFirst()
    {
        var dates = Infer(["03/10/2022", "02/24/2022", "01/28/2022"], "en");

        Assert.Equal(["en-US"], dates.Cultures);
        Assert.Equal("MM/dd/yyyy", dates.Formats[0]);
    }

    [Fact]
    public void WithoutADayAbove12TheOrderThatKeepsTheListInDateOrderWins()
    {
        // Read month first these run 1 March, 8 February, 3 January: newest first. Day first they would jump about.
        var dates = Infer(["03/01/2022", "02/08/2022", "01/03/2022"], "en");

        Assert.Equal(["en-US"], dates.Cultures);
    }

    [Fact]
    public void APageInFrenchWithOneEnglishDateGetsBothCultures()
    {
        var dates = Infer(["Publié le 7 octobre 2021", "1er décembre 2021", "Posted on October 12, 2021", "15/11/2021"], "fr-FR");

        Assert.Equal(["fr-FR", "en-GB"], dates.Cultures);
        Assert.Equal(4, dates.Dated);
    }

    [Fact]
    public void MonthNamesPickTheLanguageWhenThePageDeclaresNone()
    {
        var dates = Infer(["07 de octubre de 2021", "1 de septiembre de 2021", "15 de marzo de 2022"]);

        Assert.Contains("es-ES", dates.Cultures);
        Assert.Equal("d 'de' MMMM 'de' yyyy", dates.Formats[0]); // "1 de septiembre": one-digit days too
    }

    [Fact]
    public void ACommonFormatIsWrittenDownWithTwoDigitDaysWhenEveryDayHasThem()
    {
        Assert.Equal(["dd MMMM yyyy"], Infer(["07 October 2021", "01 October 2021", "29 September 2021"], "en").Formats);
        Assert.Equal(["d MMMM yyyy"], Infer(["7 October 2021", "1 October 2021", "29 September 2021"], "en").Formats);
    }

    [Fact]
    public void MachineDatesNeedNoCultureAndNoFormat()
    {
        var dates = Infer(["2021-10-07T09:30:00+01:00", "2021-09-28", "2021-09-14T08:00:00Z"], "fr");

        Assert.Empty(dates.Cultures);
        Assert.Empty(dates.Formats);
        Assert.Equal("ISO 8601", dates.Shape);
    }

    [Fact]
    public void AShortYearTheBuiltInFormsWouldGuessGetsAFormatAndTheCultureThatSpellsItsMonth()
    {
        // "02 Sep 21": the built-in forms read 2 September of the year nearest the fetch; en-GB abbreviates September "Sept".
        var dates = Infer(["Oct 7, 2021", "Sept 30, 2021", "02 Sep 21"], "en");

        Assert.Contains("dd MMM yy", dates.Formats);
        Assert.Contains("en-US", dates.Cultures);
        Assert.Equal(3, dates.Dated);
    }
}
