namespace MarketFeed.Feeds;

/// <summary>One line of <c>marketfeed doctor</c>: what was checked, whether it passed, and what to do if not.</summary>
public sealed record DoctorCheck(string Name, bool Passed, string Detail)
{
    public static DoctorCheck Pass(string name, string detail) => new(name, true, detail);

    public static DoctorCheck Fail(string name, string detail) => new(name, false, detail);
}
