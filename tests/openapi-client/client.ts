// A strategy's view of the gateway through a client generated from its OpenAPI document: every field read below is
// typed by the document, so `tsc --strict` fails when the document stops describing what is read. Run by
// OpenApiClientTests against a live gateway; prints what it read as one JSON line.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type Tick = components["schemas"]["TickResponse"];
type Candle = components["schemas"]["CandleResponse"];
type Problem = components["schemas"]["ProblemDetails"];

declare const process: { argv: string[]; exitCode: number };

const client = createClient<paths>({ baseUrl: process.argv[2] ?? "" });

function need<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
        throw new Error(`no ${what}`);
    }
    return value;
}

async function main(): Promise<void> {
    const subscribed = await client.POST("/api/subscriptions", { body: { symbols: ["NSE:INFY"], mode: "quote" } });
    const symbols: string[] = need(subscribed.data, "subscriptions").subscriptions.map((s) => s.symbol);

    const latest = await client.GET("/api/ticks/{symbol}/latest", { params: { path: { symbol: "NSE:RELIANCE" } } });
    const tick: Tick = need(latest.data, "tick");
    const ltp: number | null = tick.ltp;
    const seq: number = tick.seq;
    const depthLevels: number = tick.depth?.bids.length ?? 0;

    const bars = await client.GET("/api/candles/{symbol}", {
        params: { path: { symbol: "NSE:RELIANCE" }, query: { interval: "1m", count: 3 } },
    });
    const candles: Candle[] = need(bars.data, "candles");
    const forming: boolean = candles.at(-1)?.closed === false;

    const book = await client.GET("/api/books/{symbol}", { params: { path: { symbol: "BINANCE:BTCUSDT" }, query: { depth: "5" } } });
    const bestBid: number | undefined = need(book.data, "book").bids[0]?.[0];

    const status = await client.GET("/api/status");
    const feedState: string | undefined = need(status.data, "status").feeds[0]?.state;

    const unknown = await client.GET("/api/ticks/{symbol}/latest", { params: { path: { symbol: "NSE:RELIANC" } } });
    const problem: Problem = need(unknown.error, "problem");
    const detail: string | null | undefined = problem.detail;
    const closeMatches: string[] | undefined = problem.closeMatches;

    console.log(JSON.stringify({
        symbols, symbol: tick.symbol, ltp, seq, depthLevels, candles: candles.length, forming, bestBid, feedState,
        status: unknown.response.status, detail, closeMatches,
    }));
}

main().catch((e: unknown) => {
    console.error(String(e));
    process.exitCode = 1;
});
