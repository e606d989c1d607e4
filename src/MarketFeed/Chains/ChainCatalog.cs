using System.Globalization;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>
/// Chains as the instrument registry lists them. An underlying is named by its symbol (<c>NSE:NIFTY 50</c>), by a
/// name the registry resolves to it, or by the options' root (<c>NIFTY</c>, <c>BANKNIFTY</c>).
/// </summary>
public static class ChainCatalog
{
    /// <summary>The option roots listed, e.g. NIFTY and BANKNIFTY.</summary>
    public static IReadOnlyList<string> Roots(InstrumentRegistry registry) =>
        [.. registry.All().Where(i => i.IsOption).Select(i => i.Name).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    /// <summary>Every option root with its underlying, feed and expiries (soonest first), in one pass over the registry.</summary>
    public static IReadOnlyList<ChainListing> List(InstrumentRegistry registry) =>
        [.. registry.All().Where(i => i.IsOption && i.Expiry is not null && i.Underlying is not null && i.Name.Length > 0)
            .GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChainListing(g.Key, g.First().Underlying!, g.First().Feed, [.. g.Select(i => i.Expiry!.Value).Distinct().Order()]))];

    /// <summary>The expiries listed for <paramref name="underlying"/>, soonest first.</summary>
    /// <exception cref="NoOptionsException">Nothing lists options on it.</exception>
    public static IReadOnlyList<DateOnly> Expiries(InstrumentRegistry registry, string underlying) =>
        [.. OptionsOf(registry, underlying, out _).Select(o => o.Expiry!.Value).Distinct().Order()];

    /// <summary>
    /// The chain of <paramref name="underlying"/> expiring <paramref name="expiry"/> (<c>yyyy-MM-dd</c>; null: the
    /// soonest that has not expired at <paramref name="nowUtc"/>).
    /// </summary>
    /// <exception cref="NoOptionsException">Nothing lists options on it.</exception>
    /// <exception cref="UnknownExpiryException">No strikes are listed for that expiry.</exception>
    public static ChainDefinition Define(InstrumentRegistry registry, string underlying, string? expiry, DateTime nowUtc, TimeSpan expiryTime)
    {
        ArgumentNullException.ThrowIfNull(registry);
        List<Instrument> options = OptionsOf(registry, underlying, out string underlyingSymbol);
        DateOnly[] expiries = [.. options.Select(o => o.Expiry!.Value).Distinct().Order()];
        DateOnly chosen;
        if (string.IsNullOrWhiteSpace(expiry))
        {
            chosen = expiries.FirstOrDefault(e => Build(e).ExpiryUtc(expiryTime) > nowUtc, expiries[^1]);
        }
        else if (!DateOnly.TryParseExact(expiry.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out chosen) || Array.IndexOf(expiries, chosen) < 0)
        {
            throw new UnknownExpiryException(underlyingSymbol, expiry.Trim(), expiries);
        }

        return Build(chosen);

        ChainDefinition Build(DateOnly on)
        {
            ChainStrike[] strikes = [.. options.Where(o => o.Expiry == on)
                .GroupBy(o => o.Strike)
                .OrderBy(g => g.Key)
                .Select(g => new ChainStrike(g.Key, g.FirstOrDefault(o => o.Kind == InstrumentKind.Call), g.FirstOrDefault(o => o.Kind == InstrumentKind.Put)))];
            string feed = options[0].Feed;
            Instrument? future = registry.All().FirstOrDefault(i => i.Kind == InstrumentKind.Future && i.Feed == feed && i.Expiry == on
                && string.Equals(i.Underlying, underlyingSymbol, StringComparison.OrdinalIgnoreCase));
            Instrument? spot = registry.TryGetBySymbol(underlyingSymbol, out Instrument? found) ? found : null;
            return new ChainDefinition(underlyingSymbol, spot, future, on, strikes);
        }
    }

    /// <summary>The options of one feed on the named underlying, or <see cref="NoOptionsException"/>.</summary>
    private static List<Instrument> OptionsOf(InstrumentRegistry registry, string underlying, out string underlyingSymbol)
    {
        string text = underlying.Trim();
        string? resolved = text.Length > 0 && registry.TryGetBySymbol(text, out Instrument? instrument) ? instrument.Symbol : null;
        List<Instrument> options = [.. registry.All().Where(i => i.IsOption && i.Expiry is not null && i.Strike.HasValue && i.Underlying is not null
            && (string.Equals(i.Underlying, resolved ?? text, StringComparison.OrdinalIgnoreCase) || string.Equals(i.Name, text, StringComparison.OrdinalIgnoreCase)))];
        if (options.Count == 0)
        {
            throw new NoOptionsException(resolved ?? text, Roots(registry));
        }

        string feed = options[0].Feed;
        underlyingSymbol = options[0].Underlying!;
        string symbol = underlyingSymbol;
        options.RemoveAll(o => o.Feed != feed || !string.Equals(o.Underlying, symbol, StringComparison.OrdinalIgnoreCase));
        return options;
    }
}
