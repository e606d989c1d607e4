using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>Scalar values with the checks that keep an impossible number out of a tick (NaN, negative, beyond fixed point).</summary>
public sealed partial class UpstoxDecoder
{
    private static bool SetPrice(double value, out Price price)
    {
        price = Price.None;
        if (!double.IsFinite(value) || value < 0 || value > MaxPrice)
        {
            return false;
        }

        if (value > 0)
        {
            price = Price.FromRaw(FixedPoint.FromDouble(value));
        }

        return true;
    }

    private static bool Assign(ref Tick tick, Price value, PriceSetter set)
    {
        if (value.HasValue)
        {
            set(ref tick, value);
        }

        return true;
    }

    private static bool SetTime(long epochMs, ref Tick tick)
    {
        if (epochMs < 0 || epochMs > 253_402_300_799_000)
        {
            return false;
        }

        if (epochMs > 0)
        {
            tick.ExchangeTime = DateTime.UnixEpoch.AddTicks(epochMs * TimeSpan.TicksPerMillisecond);
        }

        return true;
    }

    private static bool SetQuantity(long units, ref Tick tick, bool volume)
    {
        if (units is < 0 or > (long)MaxQuantity)
        {
            return false;
        }

        if (units > 0)
        {
            if (volume)
            {
                tick.Volume = Quantity.FromUnits(units);
                tick.Flags |= TickFlags.CumulativeVolume;
            }
            else
            {
                tick.Ltq = Quantity.FromUnits(units);
            }
        }

        return true;
    }

    private static bool SetOpenInterest(double value, ref Tick tick)
    {
        if (!double.IsFinite(value) || value < 0 || value > MaxQuantity)
        {
            return false;
        }

        if (value > 0)
        {
            tick.Oi = Quantity.FromRaw(FixedPoint.FromDouble(value));
        }

        return true;
    }

    private delegate void PriceSetter(ref Tick tick, Price price);

    private struct GreeksParts
    {
        public bool Present;
        public double Delta;
        public double Theta;
        public double Gamma;
        public double Vega;
        public double Iv;
    }
}
