using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Upstox's instrument file (a JSON array, usually gzip) into registry instruments with canonical symbols: equities
/// by trading symbol (<c>NSE:RELIANCE</c>), indices by name (<c>NSE:NIFTY 50</c>), derivatives in the NSE style every
/// Indian venue here shares (<c>NFO:NIFTY25NOV24000CE</c>, weekly <c>NIFTY25N2524000CE</c>, <c>NIFTY25NOVFUT</c>).
/// The instrument key is the native key. A row that cannot be read, or of a segment not carried, is counted and skipped.
/// </summary>
public static class UpstoxInstrumentFile
{
    private static readonly Price s_defaultTick = Price.FromScaled(5, 2);

    /// <summary>Reads the file at <paramref name="path"/>, gzip or not (by its first two bytes).</summary>
    public static async Task<(List<Instrument> Rows, int Rejected)> ReadAsync(string path, string feed, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        byte[] magic = new byte[2];
        int read = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        Stream json = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        await using (json.ConfigureAwait(false))
        {
            var rows = new List<UpstoxInstrumentRow>();
            try
            {
                await foreach (UpstoxInstrumentRow? row in JsonSerializer.DeserializeAsyncEnumerable<UpstoxInstrumentRow>(json, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (row is not null)
                    {
                        rows.Add(row);
                    }
                }
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                throw new FormatException($"{path} is not an Upstox instrument file (a JSON array of instruments, gzip or plain): {e.Message}", e);
            }

            return Convert(rows, feed);
        }
    }

    public static (List<Instrument> Rows, int Rejected) Convert(IReadOnlyList<UpstoxInstrumentRow> rows, string feed)
    {
        var instruments = new List<Instrument>(rows.Count);
        int rejected = 0;
        foreach (UpstoxInstrumentRow row in rows)
        {
            if (TryConvert(row, feed, out Instrument? instrument))
            {
                instruments.Add(instrument);
            }
            else
            {
                rejected++;
            }
        }

        // Underlyings named by key become canonical symbols where the file holds them (NSE_INDEX|Nifty 50 → NSE:NIFTY 50).
        Dictionary<string, string> symbolOfKey = instruments.Where(i => !i.IsOption && i.Kind != InstrumentKind.Future)
            .GroupBy(i => i.NativeKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Symbol, StringComparer.Ordinal);
        for (int i = 0; i < instruments.Count; i++)
        {
            if (instruments[i].Underlying is { } key && symbolOfKey.TryGetValue(key, out string? symbol))
            {
                instruments[i] = instruments[i] with { Underlying = symbol };
            }
        }

        return (instruments, rejected);
    }

    public static bool TryConvert(UpstoxInstrumentRow row, string feed, [NotNullWhen(true)] out Instrument? instrument)
    {
        instrument = null;
        string key = row.InstrumentKey?.Trim() ?? "";
        string segment = UpstoxSegments.SegmentOf(key);
        if (UpstoxSegments.ExchangeOf(segment) is not { } exchange || key.Length <= segment.Length + 1)
        {
            return false;
        }

        string type = row.InstrumentType?.Trim() ?? "";
        InstrumentKind? kind = segment switch
        {
            _ when segment.EndsWith("_INDEX", StringComparison.Ordinal) => InstrumentKind.Index,
            _ when segment.EndsWith("_EQ", StringComparison.Ordinal) => InstrumentKind.Equity,
            _ => type switch { "FUT" => InstrumentKind.Future, "CE" => InstrumentKind.Call, "PE" => InstrumentKind.Put, _ => null },
        };
        if (kind is null || row.TickSize is < 0 || row.LotSize is < 0)
        {
            return false;
        }

        DateOnly? expiry = row.Expiry is { } ms && ms > 0
            ? DateOnly.FromDateTime(TimeZones.ToZone(DateTime.UnixEpoch.AddMilliseconds(ms), TimeZones.Kolkata).DateTime)
            : null;
        string root = (row.AssetSymbol ?? row.UnderlyingSymbol ?? row.Name ?? "").Trim().ToUpperInvariant();
        decimal strike = (decimal)(row.StrikePrice ?? 0);
        string? symbol = kind switch
        {
            InstrumentKind.Index => key[(segment.Length + 1)..].Trim().ToUpperInvariant(),
            InstrumentKind.Equity => row.TradingSymbol?.Trim(),
            _ when expiry is null || root.Length == 0 => null,
            InstrumentKind.Future => DerivativeSymbols.Future(root, expiry.Value),
            _ when strike <= 0 => null,
            _ when row.Weekly == true => DerivativeSymbols.WeeklyOption(root, expiry!.Value, strike, kind == InstrumentKind.Call),
            _ => DerivativeSymbols.MonthlyOption(root, expiry!.Value, strike, kind == InstrumentKind.Call),
        };
        if (string.IsNullOrEmpty(symbol))
        {
            return false;
        }

        bool derivative = kind is InstrumentKind.Future or InstrumentKind.Call or InstrumentKind.Put;
        instrument = new Instrument
        {
            Exchange = exchange,
            TradingSymbol = symbol,
            Name = row.Name?.Trim() ?? "",
            Kind = kind.Value,
            Underlying = derivative ? row.UnderlyingKey?.Trim() ?? UnderlyingExchange(exchange) + ":" + root : null,
            Expiry = derivative ? expiry : null,
            Strike = kind is InstrumentKind.Call or InstrumentKind.Put ? Price.FromDecimal(strike) : Price.None,
            TickSize = row.TickSize is > 0 and var paise ? Price.FromDecimal(Math.Round((decimal)paise, 4) / 100m) : s_defaultTick,
            LotSize = kind == InstrumentKind.Index ? 0 : (int)Math.Clamp(row.LotSize ?? 1, 0, int.MaxValue),
            Calendar = UpstoxSegments.CalendarOf(segment),
            Feed = feed,
            NativeKey = key,
        };
        return true;
    }

    private static string UnderlyingExchange(string exchange) => exchange switch
    {
        "BFO" => "BSE",
        "NFO" => "NSE",
        _ => exchange,
    };
}
