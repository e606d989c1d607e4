namespace MarketFeed.Instruments;

/// <summary>
/// NSE trading holidays (equity and equity derivatives) falling on weekdays, as the exchange published them for 2026.
/// The simulator's session-hours mode closes on these days (configurable as <c>Sim:Holidays</c>); check the exchange's
/// circular for later years and special sessions (such as Diwali's muhurat trading).
/// </summary>
public static class NseHolidays
{
    public static IReadOnlyList<DateOnly> Year2026 { get; } =
    [
        new(2026, 1, 26), // Republic Day
        new(2026, 3, 3), // Holi
        new(2026, 3, 26), // Shri Ram Navami
        new(2026, 3, 31), // Shri Mahavir Jayanti
        new(2026, 4, 3), // Good Friday
        new(2026, 4, 14), // Dr. Baba Saheb Ambedkar Jayanti
        new(2026, 5, 1), // Maharashtra Day
        new(2026, 5, 28), // Bakri Id
        new(2026, 6, 26), // Muharram
        new(2026, 9, 14), // Ganesh Chaturthi
        new(2026, 10, 2), // Mahatma Gandhi Jayanti
        new(2026, 10, 20), // Dussehra
        new(2026, 11, 10), // Diwali Balipratipada
        new(2026, 11, 24), // Prakash Gurpurb Sri Guru Nanak Dev
        new(2026, 12, 25), // Christmas
    ];
}
