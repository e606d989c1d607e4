using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>What the decoder needs of one security: its registry id, the tick size its float prices are rounded to, and its slot for cached state.</summary>
internal readonly record struct DhanSecurity(InstrumentId Instrument, Price TickSize, int Slot);
