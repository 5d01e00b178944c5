using System.Globalization;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Tests.Normalization;

public sealed class DateParserTests
{
    // A Friday; Europe/Paris is on summer time (+02:00), Pacific/Auckland already on the next day (+13:00).
    private static readonly DateTimeOffset FetchedAt = new(2021, 10, 15, 12, 34, 56, TimeSpan.Zero);

    private static DateParsingContext Context(string cultures = "en-GB", string? zone = null, string? group = null, params string[] formats) => new()
    {
        Cultures = [.. cultures.Split(',').Select(CultureInfo.GetCultureInfo)],
        TimeZone = zone is null ? null : TimeZoneInfo.FindSystemTimeZoneById(zone),
        FetchedAt = FetchedAt,
        Group = group,
        DateFormats = formats,
    };

    /// <summary>Compares the instant and the offset: "keep the offset the page gave" is part of the result.</summary>
    private static void AssertDate(string? expected, DateTimeOffset? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        var wanted = DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture);
        Assert.NotNull(actual);
        Assert.Equal(wanted.ToString("O", CultureInfo.InvariantCulture), actual.Value.ToString("O", CultureInfo.InvariantCulture));
    }

    [Theory]
    // ISO 8601 / RFC 3339
    [InlineData("2021-10-07", null, "2021-10-07T00:00:00+00:00")]
    [InlineData("2021-10-07T10:00:00Z", null, "2021-10-07T10:00:00+00:00")]
    [InlineData("2021-10-07t10:00:00z", null, "2021-10-07T10:00:00+00:00")]
    [InlineData("2021-10-07T10:00:00+02:00", null, "2021-10-07T10:00:00+02:00")]
    [InlineData("2021-10-07T10:00:00.1234-05:00", null, "2021-10-07T10:00:00.1234-05:00")]
    [InlineData("2021-10-07T10:00:00+0530", null, "2021-10-07T10:00:00+05:30")]
    [InlineData("2021-10-07 10:00", "Europe/Paris", "2021-10-07T10:00:00+02:00")]
    [InlineData("2021-10-07T10:00:00Z", "Europe/Paris", "2021-10-07T10:00:00+00:00")]
    [InlineData("2021-10-07T10:00:00-00:00", null, "2021-10-07T10:00:00+00:00")]
    [InlineData("2016-12-31T23:59:60Z", null, "2016-12-31T23:59:59+00:00")]
    [InlineData("Updated: 2021-10-07T10:00:00+02:00 by admin", null, "2021-10-07T10:00:00+02:00")]
    [InlineData("2021-02-30", null, null)]
    // RFC 822 / RFC 1123
    [InlineData("Mon, 07 Oct 2021 10:00:00 GMT", null, "2021-10-07T10:00:00+00:00")]
    [InlineData("Thu, 7 Oct 2021 10:00:00 +0200", null, "2021-10-07T10:00:00+02:00")]
    [InlineData("07 Oct 21 10:00 EST", null, "2021-10-07T10:00:00-05:00")]
    [InlineData("Thu, 07 Oct 2021 10:00:00 PDT", null, "2021-10-07T10:00:00-07:00")]
    [InlineData("7 Oct 2021 10:00", "Europe/Paris", "2021-10-07T10:00:00+02:00")]
    public void ReadsMachineFormats(string text, string? zone, string? expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(zone: zone)));

    [Theory]
    [InlineData("7 October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("07 October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("October 7, 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("Oct 7, 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("Oct. 7th, 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7 Oct 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("07-Oct-2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7 OCTOBER 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7th October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7th of October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("1st October 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("2nd October 2021", "2021-10-02T00:00:00+00:00")]
    [InlineData("3rd October 2021", "2021-10-03T00:00:00+00:00")]
    [InlineData("Sep 7, 2021", "2021-09-07T00:00:00+00:00")] // en-GB abbreviates "Sept"; "Sep" is still September
    [InlineData("Sept. 7, 2021", "2021-09-07T00:00:00+00:00")]
    [InlineData("Thursday, 7 October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("Published on 7 October 2021 | News", "2021-10-07T00:00:00+00:00")]
    [InlineData("7 October 2021, 14:30", "2021-10-07T14:30:00+00:00")]
    [InlineData("October 7, 2021 at 2:30 pm", "2021-10-07T14:30:00+00:00")]
    [InlineData("October 7, 2021 12:05 a.m.", "2021-10-07T00:05:00+00:00")]
    [InlineData("14:30 - 7 October 2021", "2021-10-07T14:30:00+00:00")]
    [InlineData("7 October 2021 14:30 UTC+02:00", "2021-10-07T14:30:00+02:00")]
    [InlineData("October 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("31 February 2021", null)]
    [InlineData("Webinar", null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void ReadsEnglishDates(string? text, string? expected) =>
        AssertDate(expected, DateParser.Parse(text, Context()));

    [Theory]
    [InlineData("3d ago", "en-GB", "2021-10-12T00:00:00+00:00")]
    [InlineData("5h ago", "en-GB", "2021-10-15T07:00:00+00:00")]
    [InlineData("10m ago", "en-GB", "2021-10-15T12:24:00+00:00")]
    [InlineData("2w ago", "en-GB", "2021-10-01T00:00:00+00:00")]
    [InlineData("il y a 2h", "fr-FR", "2021-10-15T10:00:00+00:00")]
    [InlineData("hace 3d", "es-ES", "2021-10-12T00:00:00+00:00")]
    [InlineData("7 October 2021, 3pm", "en-GB", "2021-10-07T15:00:00+00:00")]
    [InlineData("3 PM, 7 Oct 2021", "en-GB", "2021-10-07T15:00:00+00:00")]
    [InlineData("le 7 octobre 2021 à 18h", "fr-FR", "2021-10-07T18:00:00+00:00")]
    [InlineData("07 Oct 2021 10:00 CEST", "en-GB", "2021-10-07T10:00:00+02:00")]
    [InlineData("7 October 2021, 10:00 CET", "en-GB", "2021-10-07T10:00:00+01:00")]
    [InlineData("7 October 2021 10:00 BST", "en-GB", "2021-10-07T10:00:00+01:00")]
    [InlineData("October 7, 2021 at 6:30 pm EDT", "en-US", "2021-10-07T18:30:00-04:00")]
    [InlineData("Oct 7, 2021 9:15 AM PST", "en-US", "2021-10-07T09:15:00-08:00")]
    [InlineData("le 7 octobre 2021 à 18h est annulé", "fr-FR", "2021-10-07T18:00:00+00:00")] // "est" is a word, not a zone
    [InlineData("le 7 octobre 2021 à 18h est-elle maintenue", "fr-FR", "2021-10-07T18:00:00+00:00")]
    [InlineData("le 7 octobre 2021, 18h est, comme prévu", "fr-FR", "2021-10-07T18:00:00+00:00")]
    [InlineData("October 7, 2021 10:00 EST", "en-US", "2021-10-07T10:00:00-05:00")]
    [InlineData("October 7, 2021 (10:00 EST)", "en-US", "2021-10-07T10:00:00-05:00")]
    [InlineData("1633600200", "en-GB", "2021-10-07T09:50:00+00:00")] // data-time attributes: Unix seconds
    [InlineData("1633600200000", "en-GB", "2021-10-07T09:50:00+00:00")] // …or milliseconds
    [InlineData("1234", "en-GB", null)]
    [InlineData("2021年10月7日", "ja-JP", "2021-10-07T00:00:00+00:00")]
    [InlineData("2021년 10월 7일", "ko-KR", "2021-10-07T00:00:00+00:00")]
    [InlineData("2021/10/07", "ja-JP", "2021-10-07T00:00:00+00:00")]
    [InlineData("10月", "ja-JP", null)] // month names that are not words never match an empty name (this used to throw)
    public void ReadsCompactRelativeDatesTwelveHourTimesZonesTimestampsAndCjkDates(string text, string cultures, string? expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(cultures)));

    [Theory]
    [InlineData("en-GB", "28–30 April 2022", "2022-04-28T00:00:00+00:00")]
    [InlineData("en-GB", "28 - 30 April 2022", "2022-04-28T00:00:00+00:00")]
    [InlineData("en-GB", "29 April – 1 May 2022", "2022-04-29T00:00:00+00:00")]
    [InlineData("en-GB", "30 December 2021 to 2 January 2022", "2021-12-30T00:00:00+00:00")]
    [InlineData("en-GB", "28 December – 3 January 2022", "2021-12-28T00:00:00+00:00")]
    [InlineData("en-US", "April 28–30, 2022", "2022-04-28T00:00:00+00:00")]
    [InlineData("en-US", "December 28 – January 3, 2022", "2021-12-28T00:00:00+00:00")]
    [InlineData("fr-FR", "du 28 au 30 avril 2022", "2022-04-28T00:00:00+00:00")]
    [InlineData("fr-FR", "du 29 avril au 1er mai 2022", "2022-04-29T00:00:00+00:00")]
    [InlineData("es-ES", "del 28 al 30 de abril de 2022", "2022-04-28T00:00:00+00:00")]
    [InlineData("en-GB", "Newsletter 12 - 7 October 2021", "2021-10-07T00:00:00+00:00")] // the end comes first: not a range
    public void ARangeOfDaysIsDatedByItsStart(string cultures, string text, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(cultures)));

    [Theory]
    [InlineData("28–30", "April 2022", "2022-04-28T00:00:00+00:00")]
    [InlineData("Fri 6 – Sun 8", "May 2022", "2022-05-06T00:00:00+00:00")]
    [InlineData("Sat 12, 10:00", "March 2022", "2022-03-12T10:00:00+00:00")]
    [InlineData("12 at 2:30 pm", "March 2022", "2022-03-12T14:30:00+00:00")]
    [InlineData("Thu 03", "March 2022", "2022-03-03T00:00:00+00:00")]
    public void ADayWithItsWeekdayTimeOrRangeEndTakesTheGroupsMonth(string text, string group, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context("en-GB", group: group)));

    [Theory]
    [InlineData("7 octobre 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("1er octobre 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("1ère semaine: 1er octobre 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("le 7 oct. 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("Publié le 7 octobre 2021 à 14h30", "2021-10-07T14:30:00+00:00")]
    [InlineData("mardi 12 janvier 2021", "2021-01-12T00:00:00+00:00")]
    [InlineData("7 février 2021", "2021-02-07T00:00:00+00:00")]
    [InlineData("7 fevrier 2021", "2021-02-07T00:00:00+00:00")]
    [InlineData("7 FÉVRIER 2021", "2021-02-07T00:00:00+00:00")]
    [InlineData("7 févr. 2021", "2021-02-07T00:00:00+00:00")]
    [InlineData("15 août 2021", "2021-08-15T00:00:00+00:00")]
    [InlineData("15 aout 2021", "2021-08-15T00:00:00+00:00")]
    [InlineData("7 juil. 2021", "2021-07-07T00:00:00+00:00")]
    [InlineData("7 juin 2021", "2021-06-07T00:00:00+00:00")]
    [InlineData("7 sept. 2021", "2021-09-07T00:00:00+00:00")]
    [InlineData("7 décembre 2021", "2021-12-07T00:00:00+00:00")]
    [InlineData("octobre 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("07/10/2021", "2021-10-07T00:00:00+00:00")]
    public void ReadsFrenchDates(string text, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context("fr-FR")));

    [Theory]
    [InlineData("07 de octubre de 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7 de oct. de 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7 de octubre del 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("martes, 12 de enero de 2021", "2021-01-12T00:00:00+00:00")]
    [InlineData("1º de enero de 2021", "2021-01-01T00:00:00+00:00")]
    [InlineData("7 de septiembre de 2021", "2021-09-07T00:00:00+00:00")]
    [InlineData("7 de sep. de 2021", "2021-09-07T00:00:00+00:00")]
    [InlineData("7 de diciembre de 2021", "2021-12-07T00:00:00+00:00")]
    [InlineData("octubre de 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("7/10/2021", "2021-10-07T00:00:00+00:00")]
    public void ReadsSpanishDates(string text, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context("es-ES")));

    [Theory]
    [InlineData("07/10/2021", "en-GB", "2021-10-07T00:00:00+00:00")]
    [InlineData("07/10/2021", "en-US", "2021-07-10T00:00:00+00:00")]
    [InlineData("7.10.2021", "en-GB", "2021-10-07T00:00:00+00:00")]
    [InlineData("7.10.2021", "de-DE", "2021-10-07T00:00:00+00:00")]
    [InlineData("07-10-2021", "en-US", "2021-07-10T00:00:00+00:00")]
    [InlineData("07/10/21", "en-GB", "2021-10-07T00:00:00+00:00")]
    [InlineData("10/13/2021", "en-US", "2021-10-13T00:00:00+00:00")]
    [InlineData("10/13/2021", "en-GB", null)] // never read the other way round
    [InlineData("13/10/2021", "en-US,en-GB", "2021-10-13T00:00:00+00:00")] // the second culture's order
    [InlineData("2021/10/07", "en-US", "2021-10-07T00:00:00+00:00")]
    [InlineData("Posted 07/10/2021 14:30", "en-GB", "2021-10-07T14:30:00+00:00")]
    [InlineData("version 1.2.3", "en-GB", null)]
    public void ReadsNumericDatesInTheCulturesDayOrder(string text, string cultures, string? expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(cultures)));

    [Theory]
    [InlineData("today", "en-GB", null, "2021-10-15T00:00:00+00:00")]
    [InlineData("Today", "en-GB", null, "2021-10-15T00:00:00+00:00")]
    [InlineData("Yesterday", "en-GB", null, "2021-10-14T00:00:00+00:00")]
    [InlineData("yesterday at 14:30", "en-GB", null, "2021-10-14T14:30:00+00:00")]
    [InlineData("3 days ago", "en-GB", null, "2021-10-12T00:00:00+00:00")]
    [InlineData("2 weeks ago", "en-GB", null, "2021-10-01T00:00:00+00:00")]
    [InlineData("1 month ago", "en-GB", null, "2021-09-15T00:00:00+00:00")]
    [InlineData("a year ago", "en-GB", null, "2020-10-15T00:00:00+00:00")]
    [InlineData("an hour ago", "en-GB", null, "2021-10-15T11:00:00+00:00")]
    [InlineData("3 hours ago", "en-GB", null, "2021-10-15T09:00:00+00:00")]
    [InlineData("5 minutes ago", "en-GB", null, "2021-10-15T12:29:00+00:00")]
    [InlineData("Posted 5 mins ago", "en-GB", null, "2021-10-15T12:29:00+00:00")]
    [InlineData("just now", "en-GB", null, "2021-10-15T12:34:00+00:00")]
    [InlineData("aujourd'hui", "fr-FR", null, "2021-10-15T00:00:00+00:00")]
    [InlineData("Aujourd’hui", "fr-FR", null, "2021-10-15T00:00:00+00:00")]
    [InlineData("hier", "fr-FR", null, "2021-10-14T00:00:00+00:00")]
    [InlineData("avant-hier", "fr-FR", null, "2021-10-13T00:00:00+00:00")]
    [InlineData("il y a 3 jours", "fr-FR", null, "2021-10-12T00:00:00+00:00")]
    [InlineData("Il y a une heure", "fr-FR", null, "2021-10-15T11:00:00+00:00")]
    [InlineData("il y a 2 semaines", "fr-FR", null, "2021-10-01T00:00:00+00:00")]
    [InlineData("hoy", "es-ES", null, "2021-10-15T00:00:00+00:00")]
    [InlineData("ayer", "es-ES", null, "2021-10-14T00:00:00+00:00")]
    [InlineData("hace 3 días", "es-ES", null, "2021-10-12T00:00:00+00:00")]
    [InlineData("Hace 2 horas", "es-ES", null, "2021-10-15T10:00:00+00:00")]
    [InlineData("hace un mes", "es-ES", null, "2021-09-15T00:00:00+00:00")]
    // In the source's zone: in Auckland the fetch was already on the 16th.
    [InlineData("today", "en-GB", "Pacific/Auckland", "2021-10-16T00:00:00+13:00")]
    [InlineData("yesterday", "en-GB", "Pacific/Auckland", "2021-10-15T00:00:00+13:00")]
    [InlineData("3 hours ago", "en-GB", "Pacific/Auckland", "2021-10-15T22:00:00+13:00")]
    [InlineData("today", "en-GB", "America/New_York", "2021-10-15T00:00:00-04:00")]
    public void ReadsRelativeDatesAgainstTheFetchTime(string text, string cultures, string? zone, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(cultures, zone)));

    [Fact]
    public void RelativeHoursStaySteadyWhileThePageWordingMovesOn()
    {
        // Posted at 07:00: the page says "3 hours ago" at 10:20 and "4 hours ago" at 11:05.
        var first = DateParser.Parse("3 hours ago", Context() with { FetchedAt = new DateTimeOffset(2021, 10, 15, 10, 20, 0, TimeSpan.Zero) });
        var second = DateParser.Parse("4 hours ago", Context() with { FetchedAt = new DateTimeOffset(2021, 10, 15, 11, 5, 0, TimeSpan.Zero) });

        AssertDate("2021-10-15T07:00:00+00:00", first);
        AssertDate("2021-10-15T07:00:00+00:00", second);
    }

    [Theory]
    [InlineData("07", "en-GB", "October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("7th", "en-GB", "October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("Thu 07", "en-GB", "October 2021", "2021-10-07T00:00:00+00:00")] // event listings show the weekday
    [InlineData("Thursday, 7th", "en-GB", "October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("jeu. 7", "fr-FR", "octobre 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("jueves 7", "es-ES", "octubre de 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("Issue 07", "en-GB", "October 2021", "2021-10-01T00:00:00+00:00")] // not a weekday: the text is not a date, the group is
    [InlineData("\u0d6d", "en-GB", "October 2021", "2021-10-01T00:00:00+00:00")] // a Malayalam digit is not a day (it used to throw)
    [InlineData("15", "fr-FR", "février 2021", "2021-02-15T00:00:00+00:00")]
    [InlineData("7 October", "en-GB", "2019", "2019-10-07T00:00:00+00:00")]
    [InlineData("7 October", "en-GB", "News from October 2019", "2019-10-07T00:00:00+00:00")]
    [InlineData("Oct 7", "en-GB", "2019", "2019-10-07T00:00:00+00:00")]
    [InlineData("7 octobre", "fr-FR", "octobre 2019", "2019-10-07T00:00:00+00:00")]
    [InlineData("07/10", "en-GB", "2019", "2019-10-07T00:00:00+00:00")]
    [InlineData("07", "en-GB", "2021-10", null)] // a group must say which month in words or as a date
    [InlineData(null, "en-GB", "October 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("", "fr-FR", "octobre 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData("Webinar", "en-GB", "October 2021", "2021-10-01T00:00:00+00:00")]
    [InlineData(null, "en-GB", "7 October 2021", "2021-10-07T00:00:00+00:00")]
    [InlineData("10:30", "en-GB", "7 October 2021", "2021-10-07T10:30:00+00:00")]
    [InlineData("10:30", "en-GB", "October 2021", null)] // a time needs a day
    [InlineData("07", "en-GB", null, null)]
    [InlineData("07", "en-GB", "2021", null)] // a day needs a month
    [InlineData(null, "en-GB", "2021", null)]
    [InlineData(null, "en-GB", "Latest news", null)]
    public void GroupSuppliesTheMonthAndYearTheItemLacks(string? text, string cultures, string? group, string? expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(cultures, group: group)));

    [Theory]
    [InlineData("7 October 2021", "March 2019", "2021-10-07T00:00:00+00:00")]
    [InlineData("2021-10-07T10:00:00+02:00", "March 2019", "2021-10-07T10:00:00+02:00")]
    [InlineData("Mon, 07 Oct 2021 10:00:00 GMT", "March 2019", "2021-10-07T10:00:00+00:00")]
    [InlineData("yesterday", "March 2019", "2021-10-14T00:00:00+00:00")]
    [InlineData("October 2021", "March 2019", "2021-10-01T00:00:00+00:00")]
    [InlineData("07/10/2021", "2019", "2021-10-07T00:00:00+00:00")]
    public void GroupNeverOverridesADateTheItemHas(string text, string group, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(group: group)));

    [Theory]
    [InlineData("7 October", "2021-10-07T00:00:00+00:00")] // this year: nearest the fetch
    [InlineData("28 December", "2021-12-28T00:00:00+00:00")] // a coming event, not last year's
    [InlineData("Feb 29", "2020-02-29T00:00:00+00:00")] // the only year near the fetch that has one
    public void YearlessDateWithoutGroupTakesTheYearNearestTheFetch(string text, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context()));

    [Theory]
    [InlineData("7 October 2021", "Europe/Paris", "2021-10-07T00:00:00+02:00")]
    [InlineData("7 January 2021", "Europe/Paris", "2021-01-07T00:00:00+01:00")]
    [InlineData("7 October 2021", "America/New_York", "2021-10-07T00:00:00-04:00")]
    [InlineData("7 October 2021 14:30", "Asia/Kolkata", "2021-10-07T14:30:00+05:30")]
    [InlineData("7 October 2021", null, "2021-10-07T00:00:00+00:00")]
    [InlineData("2021-10-07T10:00:00-03:00", "Europe/Paris", "2021-10-07T10:00:00-03:00")]
    public void DatesWithoutAZoneAreWallTimeInTheSourceZone(string text, string? zone, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(zone: zone)));

    [Theory]
    [InlineData("07|10|2021", "dd|MM|yyyy", null, null, "2021-10-07T00:00:00+00:00")]
    [InlineData("202110071030", "yyyyMMddHHmm", "Europe/Paris", null, "2021-10-07T10:30:00+02:00")]
    [InlineData("07.10.2021 10:30 +03:00", "dd.MM.yyyy HH:mm zzz", "Europe/Paris", null, "2021-10-07T10:30:00+03:00")]
    [InlineData("Oct 7", "MMM d", null, "2019", "2019-10-07T00:00:00+00:00")] // no year in the format: the group's
    [InlineData("7", "%d", null, "October 2019", "2019-10-07T00:00:00+00:00")]
    public void ReadsTheSourceFormats(string text, string format, string? zone, string? group, string expected) =>
        AssertDate(expected, DateParser.Parse(text, Context(zone: zone, group: group, formats: format)));

    [Fact]
    public void SourceFormatsAreTriedInOrderWithEachCulture()
    {
        var context = Context("en-GB,fr-FR", formats: ["'Day' dd 'of' MMMM yyyy", "dd MMMM yyyy"]);

        AssertDate("2021-10-07T00:00:00+00:00", DateParser.Parse("Day 07 of October 2021", context));
        AssertDate("2021-10-07T00:00:00+00:00", DateParser.Parse("Day 07 of octobre 2021", context));
    }

    [Fact]
    public void InvalidSourceFormatIsSkipped() =>
        AssertDate("2021-10-07T00:00:00+00:00", DateParser.Parse("7 October 2021", Context(formats: ["%", "'unclosed", "\\"])));

    [Fact]
    public void MonthNamesOfSeveralCulturesAreRead()
    {
        var context = Context("en-GB,fr-FR,es-ES");

        AssertDate("2021-10-07T00:00:00+00:00", DateParser.Parse("7 October 2021", context));
        AssertDate("2021-10-07T00:00:00+00:00", DateParser.Parse("7 octobre 2021", context));
        AssertDate("2021-10-07T00:00:00+00:00", DateParser.Parse("7 de octubre de 2021", context));
        AssertDate("2021-03-07T00:00:00+00:00", DateParser.Parse("7 mar 2021", context)); // March, mars and marzo agree
    }

    [Fact]
    public void ReportsWhetherTheItemsOwnTextWasRecognised()
    {
        var fromGroup = DateParser.Read("Webinar", Context(group: "October 2021"));
        var own = DateParser.Read("7 October 2021", Context(group: "October 2021"));

        Assert.False(fromGroup.TextRecognised);
        Assert.NotNull(fromGroup.Value);
        Assert.True(own.TextRecognised);
    }
}
