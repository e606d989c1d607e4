using System.Net;
using System.Net.WebSockets;
using System.Text;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;
using MarketFeed.Venues.Kite.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Kite.Emulator;

/// <summary>
/// The Kite emulator speaks Kite's protocol, checked from a plain WebSocket and HTTP client (not our feed): the ticker's
/// credentials in the query, subscribe and mode messages, binary frames in Kite's layout, heartbeats, the instrument
/// dump, and the shared faults.
/// </summary>
public class KiteEmulatorTests
{
    private static readonly DateTime s_received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Wrong_credentials_are_a_403_before_the_upgrade_and_counted()
    {
        await using KiteEmulator emulator = await StartAsync();
        using var socket = new ClientWebSocket();
        var wrong = new Uri(emulator.StreamUrl, "?api_key=emulator-key&access_token=expired");
        WebSocketException e = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(wrong, CancellationToken.None));
        Assert.Contains("403", e.Message);
        Assert.Equal(1, emulator.AuthRejections);
    }

    [Fact]
    public async Task A_subscribed_token_in_full_mode_gets_184_byte_packets_that_decode_to_that_instrument_alone()
    {
        await using KiteEmulator emulator = await StartAsync();
        (uint infy, _) = emulator.Instruments.First(i => i.Instrument.Symbol == "NSE:INFY");
        (uint nifty, _) = emulator.Instruments.First(i => i.Instrument.Symbol == "NSE:NIFTY 50");
        using ClientWebSocket socket = await ConnectAsync(emulator);
        await SendAsync(socket, $$"""{"a":"subscribe","v":[{{infy}},{{nifty}}]}""");
        await SendAsync(socket, $$"""{"a":"mode","v":["full",[{{infy}},{{nifty}}]]}""");

        var map = new KiteTokenMap([new(infy, new InstrumentId(1)), new(nifty, new InstrumentId(2))]);
        var seen = new Dictionary<InstrumentId, Tick>();
        int heartbeats = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (seen.Count < 2 || seen.Values.Any(t => t.Mode != FeedMode.Full))
        {
            (byte[] frame, WebSocketMessageType type) = await ReceiveAsync(socket, timeout.Token);
            if (type != WebSocketMessageType.Binary)
            {
                continue;
            }

            if (frame.Length == 1)
            {
                heartbeats++;
                continue;
            }

            var collector = new Collector();
            KiteFrameStats stats = KiteDecoder.DecodeFrame(frame, map, s_received, ref collector);
            Assert.True(stats.WellFormed, stats.ToString());
            Assert.Empty(collector.Unknown);
            foreach (Tick tick in collector.Ticks)
            {
                seen[tick.Instrument] = tick;
            }
        }

        Tick stock = seen[new InstrumentId(1)];
        Assert.True(stock.Ltp.Raw > 0 && stock.Bid < stock.Ask, $"{stock.Ltp} {stock.Bid} {stock.Ask}");
        Assert.True(stock.Depth.BidCount == 5 && stock.Depth.AskCount == 5);
        Assert.True(stock.HasExchangeTime);
        Tick index = seen[new InstrumentId(2)];
        Assert.True(index.Ltp.Raw > 0 && !index.Bid.HasValue, "an index has no book");
    }

    [Fact]
    public async Task Unsubscribed_tokens_stop_arriving_and_a_silent_emulator_sends_nothing_at_all()
    {
        await using KiteEmulator emulator = await StartAsync();
        (uint infy, _) = emulator.Instruments.First(i => i.Instrument.Symbol == "NSE:INFY");
        using ClientWebSocket socket = await ConnectAsync(emulator);
        await SendAsync(socket, $$"""{"a":"subscribe","v":[{{infy}}]}""");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await ReceiveAsync(socket, timeout.Token)).Frame.Length <= 1)
        {
        }

        await SendAsync(socket, $$"""{"a":"unsubscribe","v":[{{infy}}]}""");
        emulator.SetFaults("silent");
        long sentBefore = emulator.FramesSent;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.InRange(emulator.FramesSent - sentBefore, 0, 1); // at most a frame already on its way
    }

    [Fact]
    public async Task The_instrument_dump_is_kites_csv_and_rest_faults_answer_as_kite_does()
    {
        await using KiteEmulator emulator = await StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        http.DefaultRequestHeaders.Add("X-Kite-Version", "3");
        http.DefaultRequestHeaders.Add("Authorization", "token emulator-key:emulator-token");
        string csv = await http.GetStringAsync("instruments");
        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange", lines[0].TrimEnd('\r'));
        Assert.Contains(lines, l => l.Contains(",INFY,", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Equal(12, l.Split(',').Length));

        emulator.SetFaults("ratelimit=1");
        Assert.Equal((HttpStatusCode)429, (await http.GetAsync("instruments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("instruments")).StatusCode);
        emulator.SetFaults("restdown");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("instruments")).StatusCode);
    }

    private static Task<KiteEmulator> StartAsync() => KiteEmulator.StartAsync(new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 20 });

    private static async Task<ClientWebSocket> ConnectAsync(KiteEmulator emulator)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(emulator.StreamUrl, "?api_key=emulator-key&access_token=emulator-token"), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task<(byte[] Frame, WebSocketMessageType Type)> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            frame.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (frame.ToArray(), result.MessageType);
    }

    private struct Collector() : IKiteTickHandler
    {
        public List<Tick> Ticks { get; } = [];

        public List<uint> Unknown { get; } = [];

        public readonly void OnTick(in Tick tick) => Ticks.Add(tick);

        public readonly void OnUnknownToken(uint token) => Unknown.Add(token);
    }
}
