using CoopFeeds.Scale;

// The helper of bench/scale.sh, one verb per job:
//   site    --port P --addresses A --sources N --items M --sections K --sources-file FILE
//   measure --base URL --rounds R --out FILE PATH...
//   report  --big DIR --small DIR
//   save    --provider Sqlite|Postgres --file FILE | --connection-string CS --sources N --items M
return args switch
{
    ["site", .. var rest] => await ListingSite.RunAsync(Arguments.Parse(rest)),
    ["measure", .. var rest] => await DocumentTimer.RunAsync(Arguments.Parse(rest)),
    ["report", .. var rest] => ScaleReport.Run(Arguments.Parse(rest)),
    ["save", .. var rest] => await SaveTimer.RunAsync(Arguments.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CoopFeeds.Scale site|measure|report|save [--option value]... [PATH]...  (see bench/scale.sh)");
    return 2;
}
