using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

/// <summary>Dhan's JSON requests, limits, URL and disconnect reason codes as the stream contract's typed outcomes.</summary>
public sealed class DhanStreamProtocolTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mf-dhan-protocol-").FullName;
    private readonly DhanOptions _options = new() { ClientId = "1000000001", AccessToken = "secret-token" };
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly InstrumentRegistry _registry = new();
    private readonly DhanInstrumentMaster _master = new();
    private readonly FeedHealth _health = new("dhan", TimeProvider.System);
    private DhanStreamProtocol _protocol = null!;

    public async Task InitializeAsync()
    {
        string path = Path.Combine(_directory, "scrip.csv");
        var csv = new System.Text.StringBuilder(DhanScripMasterCsv.Header).Append('\n').Append("NSE,I,13,INDEX,0,NIFTY,1.0,Nifty 50,,7.00000,,1.0000,NA,INDEX,X,NIFTY\n");
        for (int id = 1; id <= 250; id++)
        {
            csv.Append($"NSE,E,{id + 1000},EQUITY,0,STOCK{id},1.0,Stock {id},,-0.01000,XX,5.0000,NA,ES,EQ,STOCK {id}\n");
        }

        await File.WriteAllTextAsync(path, csv.ToString());
        _options.InstrumentsFile = path;
        using var rest = new DhanRestClient(() => _options, _time);
        await _master.LoadAsync(_options, rest, _registry, "dhan", default, CancellationToken.None);
        _protocol = new DhanStreamProtocol(() => _options, _master, _health, _time);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private InstrumentId Stock(int n) => _registry.Resolve($"NSE:STOCK{n}").Id;

    private static JsonElement Json(ControlMessage message) => JsonDocument.Parse(message.ToString()).RootElement;

    [Fact]
    public void Limits_are_dhans_5000_per_connection_5_connections_100_per_message()
    {
        Assert.Equal(new ShardingLimits(5000, 5, 100), _protocol.Limits);
    }

    [Fact]
    public async Task The_url_carries_version_2_the_token_and_client_id_and_auth_type_2()
    {
        StreamEndpoint endpoint = await _protocol.PrepareAsync(0, CancellationToken.None);
        Assert.Equal("wss://api-feed.dhan.co/?version=2&token=secret-token&clientId=1000000001&authType=2", endpoint.Uri.ToString());
    }

    [Fact]
    public void Subscriptions_are_one_request_per_mode_with_string_segments_and_ids()
    {
        ControlMessage[] messages = [.. _protocol.Subscribe([new(Stock(1), FeedMode.Ltp), new(Stock(2), FeedMode.Quote), new(Stock(3), FeedMode.Full), new(Stock(4), FeedMode.Full)])];
        Assert.Equal([15, 17, 21], messages.Select(m => Json(m).GetProperty("RequestCode").GetInt32()).Order());
        JsonElement full = messages.Select(Json).Single(j => j.GetProperty("RequestCode").GetInt32() == 21);
        Assert.Equal(2, full.GetProperty("InstrumentCount").GetInt32());
        JsonElement first = full.GetProperty("InstrumentList")[0];
        Assert.Equal(("NSE_EQ", "1003"), (first.GetProperty("ExchangeSegment").GetString(), first.GetProperty("SecurityId").GetString()));
    }

    [Fact]
    public void A_mode_change_unsubscribes_the_old_mode_and_unsubscribe_is_really_sent()
    {
        _protocol.Subscribe([new(Stock(1), FeedMode.Full)]).ToList();
        ControlMessage[] change = [.. _protocol.Subscribe([new(Stock(1), FeedMode.Ltp)])];
        Assert.Equal([22, 15], change.Select(m => Json(m).GetProperty("RequestCode").GetInt32()));
        ControlMessage leave = Assert.Single(_protocol.Unsubscribe([Stock(1)]));
        Assert.Equal(16, Json(leave).GetProperty("RequestCode").GetInt32());
    }

    [Theory]
    [InlineData(807, "Dhan:AccessToken")]
    [InlineData(809, "Dhan:AccessToken")]
    [InlineData(808, "Dhan:ClientId")]
    [InlineData(810, "Dhan:ClientId")]
    [InlineData(806, "Data API")]
    public void Credential_codes_are_auth_failed_saying_what_to_fix(int code, string fix)
    {
        FrameOutcome outcome = _protocol.DecodeBinary(DhanEncoder.Disconnect(code), _time.GetUtcNow().UtcDateTime, []);
        Assert.Equal((FrameOutcomeKind.AuthFailed, code), (outcome.Kind, outcome.Code));
        Assert.Contains("credentials", outcome.Reason);
        Assert.Contains(fix, outcome.Reason);
        Assert.DoesNotContain("secret-token", outcome.Reason);
    }

    [Fact]
    public async Task Code_805_holds_every_new_connection_off_for_the_backoff_not_a_reconnect_storm()
    {
        _options.TooManyConnectionsBackoff = TimeSpan.FromSeconds(1.5);
        FrameOutcome outcome = _protocol.DecodeBinary(DhanEncoder.Disconnect(805), _time.GetUtcNow().UtcDateTime, []);
        Assert.Equal((FrameOutcomeKind.VenueDisconnect, 805, TimeSpan.FromSeconds(1.5)), (outcome.Kind, outcome.Code, outcome.RetryAfter));
        Assert.NotNull(_protocol.HeldUntil);

        // Even a retry the session makes sooner (its recovery probe) waits in PrepareAsync until the hold lifts.
        Task<StreamEndpoint> prepare = _protocol.PrepareAsync(1, CancellationToken.None).AsTask();
        await Task.Delay(300);
        Assert.False(prepare.IsCompleted);
        await prepare.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(_protocol.HeldUntil);
    }

    [Fact]
    public void Other_codes_disconnect_with_their_reason_and_text_frames_are_malformed()
    {
        FrameOutcome outcome = _protocol.DecodeBinary(DhanEncoder.Disconnect(800), default, []);
        Assert.Equal((FrameOutcomeKind.VenueDisconnect, 800), (outcome.Kind, outcome.Code));
        Assert.Contains("internal server error", outcome.Reason);
        var events = new StreamEvents();
        Assert.Equal(FrameOutcome.Malformed, _protocol.Decode(new StreamFrame("{}"u8, isText: true, default, 0), events));
    }

    [Fact]
    public void The_idle_probes_ticks_are_dropped_unless_someone_wants_that_instrument()
    {
        Tick tick = new(default) { Ltp = Price.FromDecimal(24000m) };
        byte[] packet = DhanEncoder.Packet(DhanSegment.Index, 13, in tick, FeedMode.Ltp);
        Assert.Equal(15, Json(_protocol.IdleProbe()!.Value).GetProperty("RequestCode").GetInt32());
        var ticks = new List<Tick>();
        Assert.Equal(FrameOutcome.Ok, _protocol.DecodeBinary(packet, default, ticks));
        Assert.Empty(ticks);

        _protocol.Subscribe([new(_registry.Resolve("NSE:NIFTY 50").Id, FeedMode.Ltp)]).ToList();
        _protocol.DecodeBinary(packet, default, ticks);
        Assert.Single(ticks);
    }

    [Fact]
    public void A_packet_for_an_unknown_security_is_counted_in_health()
    {
        Tick tick = new(default) { Ltp = Price.FromDecimal(10m) };
        Assert.Equal(FrameOutcome.Ok, _protocol.DecodeBinary(DhanEncoder.Packet(DhanSegment.NseEquity, 999_999, in tick, FeedMode.Ltp), default, []));
        Assert.Equal(1, _health.UnknownInstruments);
    }
}
