using System.Text;
using System.Text.Json;

namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// Checks every message one WebSocket client receives: a tick's symbol is one the client subscribed, its <c>seq</c>
/// never goes back per instrument and never repeats (the same <c>seq</c> again is a <c>duplicate</c>), and its price
/// and volume are ones the emulator sent for that same instrument
/// (<see cref="TickLedger"/>). A tick carrying another instrument's price is <c>mixed</c>; one nobody sent is
/// <c>unmatched</c>, except polled and flagged ticks, which are <c>unverified</c> and reported only: the REST quote
/// can serve a price the stream never carried (generated while the socket was being dropped), and a tick the hub
/// flags as an outlier may come from a fault that forges prices on purpose. One reader thread per checker.
/// </summary>
internal sealed class TickChecker
{
    private readonly int _client;
    private readonly TickLedger _ledger;
    private readonly ViolationLog _log;
    private readonly bool[] _expected;
    private readonly long[] _lastSeq;
    private long _ticks;
    private long _wrongSymbol;
    private long _seqRegressions;
    private long _duplicates;
    private long _mixed;
    private long _unmatched;
    private long _unverified;
    private long _serverErrors;
    private long _unreadable;

    public TickChecker(int client, IEnumerable<string> expected, TickLedger ledger, ViolationLog log)
    {
        _client = client;
        _ledger = ledger;
        _log = log;
        _expected = new bool[ledger.Symbols.Count];
        _lastSeq = new long[ledger.Symbols.Count];
        foreach (string symbol in expected)
        {
            if (ledger.TryGetSlot(symbol, out int slot))
            {
                _expected[slot] = true;
            }
        }
    }

    public CheckCounts Counts => new(
        Interlocked.Read(ref _ticks),
        Interlocked.Read(ref _wrongSymbol),
        Interlocked.Read(ref _seqRegressions),
        Interlocked.Read(ref _duplicates),
        Interlocked.Read(ref _mixed),
        Interlocked.Read(ref _unmatched),
        Interlocked.Read(ref _unverified),
        Interlocked.Read(ref _serverErrors),
        Interlocked.Read(ref _unreadable));

    /// <summary>Checks one message; returns true for a tick, with its latency from the gateway's receive time to <paramref name="now"/>.</summary>
    public bool Check(ReadOnlySpan<byte> message, DateTimeOffset now, out double latencyMs)
    {
        latencyMs = 0;
        Message m;
        try
        {
            m = Read(message);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            Count(ref _unreadable, "unreadable", $"client {_client}: unreadable message ({e.Message}): {Preview(message)}");
            return false;
        }

        if (m.Type == "error")
        {
            Count(ref _serverErrors, "error", $"client {_client}: the gateway answered with an error: {Preview(message)}");
            return false;
        }

        if (m.Type != "tick")
        {
            return false;
        }

        Interlocked.Increment(ref _ticks);
        if (m.Slot < 0 || !_expected[m.Slot])
        {
            Count(ref _wrongSymbol, "symbol", $"client {_client}: received a tick of {(m.Slot >= 0 ? _ledger.Symbols[m.Slot] : m.SymbolText ?? "(no symbol)")}, which it did not subscribe");
            return false;
        }

        string symbol = _ledger.Symbols[m.Slot];

        if (m.Seq < _lastSeq[m.Slot])
        {
            Count(ref _seqRegressions, "seq", $"client {_client}: {symbol} seq {m.Seq} after {_lastSeq[m.Slot]}");
        }
        else if (m.Seq == _lastSeq[m.Slot])
        {
            Count(ref _duplicates, "duplicate", $"client {_client}: {symbol} seq {m.Seq} twice");
        }

        _lastSeq[m.Slot] = Math.Max(_lastSeq[m.Slot], m.Seq);
        if (m.Ltp is not { } ltp)
        {
            Count(ref _unmatched, "unmatched", $"client {_client}: {symbol} seq {m.Seq} has no last price");
        }
        else
        {
            bool withVolume = m.Volume is not null;
            long fingerprint = TickLedger.Fingerprint(ltp, m.Volume ?? TickLedger.NoVolume);
            switch (_ledger.Check(m.Slot, fingerprint, withVolume, out string? sentTo))
            {
                case TickLedger.Verdict.Other:
                    Count(ref _mixed, "mixed", $"client {_client}: {symbol} seq {m.Seq} carries ltp {ltp} volume {m.Volume?.ToString() ?? "-"}, which the emulator sent for {sentTo}");
                    break;
                case TickLedger.Verdict.Unknown when m.Source == "poll" || m.Flagged:
                    Interlocked.Increment(ref _unverified);
                    break;
                case TickLedger.Verdict.Unknown:
                    Count(ref _unmatched, "unmatched", $"client {_client}: {symbol} seq {m.Seq} carries ltp {ltp} volume {m.Volume?.ToString() ?? "-"}, which the emulator never sent for it");
                    break;
            }
        }

        if (m.ReceiveTime is { } received)
        {
            latencyMs = (now - received).TotalMilliseconds;
        }

        return true;
    }

    private static string Preview(ReadOnlySpan<byte> message) =>
        Encoding.UTF8.GetString(message[..Math.Min(message.Length, 200)]);

    private void Count(ref long counter, string kind, string description)
    {
        Interlocked.Increment(ref counter);
        _log.Add(kind, description);
    }

    private Message Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var m = new Message { Slot = -1 };
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                m.Type = reader.ValueTextEquals("tick"u8) ? "tick" : reader.GetString();
            }
            else if (reader.ValueTextEquals("symbol"u8))
            {
                reader.Read();
                m.Slot = SlotOf(ref reader, out m.SymbolText);
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                m.Seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("ltp"u8))
            {
                reader.Read();
                m.Ltp = reader.TokenType == JsonTokenType.Null ? null : reader.GetDecimal();
            }
            else if (reader.ValueTextEquals("volume"u8))
            {
                reader.Read();
                m.Volume = reader.TokenType == JsonTokenType.Null ? null : (long)reader.GetDecimal();
            }
            else if (reader.ValueTextEquals("receiveTime"u8))
            {
                reader.Read();
                m.ReceiveTime = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                reader.Read();
                m.Source = reader.ValueTextEquals("stream"u8) ? "stream" : reader.GetString();
            }
            else if (reader.ValueTextEquals("flags"u8))
            {
                reader.Read();
                m.Flagged = true;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return m;
    }

    /// <summary>The ledger slot of the symbol being read, without allocating a string for the usual (unescaped, short) case.</summary>
    private int SlotOf(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        Span<char> chars = stackalloc char[64];
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= chars.Length)
        {
            int length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            if (_ledger.SlotLookup.TryGetValue(chars[..length], out int slot))
            {
                return slot;
            }

            text = chars[..length].ToString();
            return -1;
        }

        text = reader.GetString();
        return text is not null && _ledger.TryGetSlot(text, out int found) ? found : -1;
    }

    private struct Message
    {
        public string? Type;
        public int Slot;
        public string? SymbolText;
        public long Seq;
        public decimal? Ltp;
        public long? Volume;
        public DateTimeOffset? ReceiveTime;
        public string? Source;
        public bool Flagged;

    }
}
