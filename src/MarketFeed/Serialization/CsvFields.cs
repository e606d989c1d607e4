using System.Text;

namespace MarketFeed.Serialization;

/// <summary>One line of an instrument dump split into fields (RFC 4180: commas inside double quotes, doubled quotes as one).</summary>
public static class CsvFields
{
    public static List<string> Split(string line, int expected = 16)
    {
        var fields = new List<string>(expected);
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
