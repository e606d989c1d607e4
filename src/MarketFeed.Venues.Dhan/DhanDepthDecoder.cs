using System.Buffers.Binary;
using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Decodes 20-level depth frames into whole-book snapshots: each bid or ask packet replaces that side of the
/// instrument's last state (<see cref="DhanDepthSides"/>), and every instrument touched by the frame gets one
/// snapshot of both sides. Float64 prices are rounded to the tick size once; empty rows (price or quantity 0) end a
/// side. A packet of the wrong length, an unknown code or a price that is not a price is skipped by its length and
/// counted; a length running past the frame stops decoding.
/// </summary>
internal static class DhanDepthDecoder
{
    public readonly record struct Result(int Packets, int Bad, bool Truncated, int? Disconnect)
    {
        public bool WellFormed => !Truncated && Bad == 0;
    }

    public static Result DecodeFrame(ReadOnlySpan<byte> frame, DhanSecurityMap map, DhanDepthSides sides, DateTime receivedUtc, List<BookUpdate> books, Action unknownSecurity)
    {
        int offset = 0;
        int packets = 0;
        int bad = 0;
        var touched = new List<(InstrumentId Id, DhanDepthSides.Sides Sides)>(2);
        Result Finish(bool truncated, int? disconnect)
        {
            foreach ((InstrumentId id, DhanDepthSides.Sides state) in touched)
            {
                books.Add(Snapshot(id, state, receivedUtc));
                state.Touched = false;
            }

            return new Result(packets, bad, truncated, disconnect);
        }

        while (offset < frame.Length)
        {
            if (frame.Length - offset < DhanDepthPacket.HeaderLength)
            {
                return Finish(true, null);
            }

            int length = BinaryPrimitives.ReadInt16LittleEndian(frame[offset..]);
            if (length < DhanDepthPacket.HeaderLength || length > frame.Length - offset)
            {
                return Finish(true, null);
            }

            ReadOnlySpan<byte> packet = frame.Slice(offset, length);
            offset += length;
            byte code = packet[2];
            if (code == DhanDepthPacket.Disconnect)
            {
                // The docs put the reason after the header; the SDK reads the header's last field: take the first that is there.
                int reason = length >= 14 ? BinaryPrimitives.ReadInt16LittleEndian(packet[12..]) : (int)BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);
                return Finish(false, reason);
            }

            if (code is not (DhanDepthPacket.Bid or DhanDepthPacket.Ask) || length != DhanDepthPacket.Length)
            {
                bad++;
                continue;
            }

            if (!map.TryGet(packet[3], BinaryPrimitives.ReadInt32LittleEndian(packet[4..]), out DhanSecurity security))
            {
                unknownSecurity();
                continue;
            }

            DhanDepthSides.Sides state = sides.For(security.Instrument);
            if (!TryReadSide(packet[DhanDepthPacket.HeaderLength..], in security, code == DhanDepthPacket.Bid ? state.Bids : state.Asks, out int count))
            {
                bad++;
                continue;
            }

            if (code == DhanDepthPacket.Bid)
            {
                state.BidCount = count;
            }
            else
            {
                state.AskCount = count;
            }

            if (!state.Touched)
            {
                state.Touched = true;
                touched.Add((security.Instrument, state));
            }

            packets++;
        }

        return Finish(false, null);
    }

    private static bool TryReadSide(ReadOnlySpan<byte> rows, in DhanSecurity security, (Price Price, Quantity Quantity)[] side, out int count)
    {
        Span<(Price, Quantity)> read = stackalloc (Price, Quantity)[DhanDepthPacket.Levels];
        count = 0;
        for (int level = 0; level < DhanDepthPacket.Levels; level++)
        {
            ReadOnlySpan<byte> row = rows.Slice(level * DhanDepthPacket.RowLength, DhanDepthPacket.RowLength);
            double price = BinaryPrimitives.ReadDoubleLittleEndian(row);
            uint quantity = BinaryPrimitives.ReadUInt32LittleEndian(row[8..]);
            if (!double.IsFinite(price))
            {
                return false;
            }

            // Empty rows carry 0 or a small negative sentinel: they end the side.
            if (price <= 0 || quantity == 0)
            {
                break;
            }

            if (!DhanDecoder.TryPrice(price, in security, out Price exact))
            {
                return false;
            }

            read[count++] = (exact, Quantity.FromUnits(quantity));
        }

        read[..count].CopyTo(side);
        return true;
    }

    private static BookUpdate Snapshot(InstrumentId instrument, DhanDepthSides.Sides state, DateTime receivedUtc)
    {
        BookUpdate book = BookUpdate.Rent();
        book.Instrument = instrument;
        book.IsSnapshot = true;
        book.ReceiveTime = receivedUtc;
        book.Source = TickSource.Stream;
        for (int i = 0; i < state.BidCount; i++)
        {
            book.AddBid(state.Bids[i].Price, state.Bids[i].Quantity);
        }

        for (int i = 0; i < state.AskCount; i++)
        {
            book.AddAsk(state.Asks[i].Price, state.Asks[i].Quantity);
        }

        return book;
    }
}
