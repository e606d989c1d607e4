namespace MarketFeed.Chains;

/// <summary>Why an implied volatility is absent (serialized lower-camel: <c>belowIntrinsic</c>, …); <see cref="None"/> when it is there.</summary>
public enum IvFlag : byte
{
    None,

    /// <summary>No price to invert (no trade yet, or no two-sided quote for the mid).</summary>
    NoPrice,

    /// <summary>The price is at or below the discounted intrinsic value: no volatility gives it.</summary>
    BelowIntrinsic,

    /// <summary>The price is at or above what any volatility gives (the discounted underlying for a call, strike for a put).</summary>
    AboveBound,

    /// <summary>The option has expired (its expiry time has passed) or the underlying has no price yet.</summary>
    NoTime,

    /// <summary>The volatility lies outside what the solver searches (0.01 % to 1000 %): no volatility there matches the price.</summary>
    OutOfRange,
}
