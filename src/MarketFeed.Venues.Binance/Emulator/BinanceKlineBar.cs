namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>One kline being built: prices and base volumes raw fixed-point, quote volumes as decimals.</summary>
internal struct BinanceKlineBar
{
    public int Trades;
    public long Open;
    public long High;
    public long Low;
    public long Close;
    public long Volume;
    public long TakerBuyVolume;
    public decimal QuoteVolume;
    public decimal TakerBuyQuoteVolume;

    public readonly bool IsEmpty => Open == 0;

    /// <summary>Adds a later part of the bar: the first part sets the open, the last the close.</summary>
    public void Add(in BinanceKlineBar later)
    {
        if (later.IsEmpty)
        {
            return;
        }

        if (IsEmpty)
        {
            this = later;
            return;
        }

        High = Math.Max(High, later.High);
        Low = Math.Min(Low, later.Low);
        Close = later.Close;
        Trades += later.Trades;
        Volume += later.Volume;
        TakerBuyVolume += later.TakerBuyVolume;
        QuoteVolume += later.QuoteVolume;
        TakerBuyQuoteVolume += later.TakerBuyQuoteVolume;
    }
}
