using System.Text;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>Random and damaged text for <see cref="FrameFuzzer"/>: always valid UTF-8 (a .NET string encodes to nothing else).</summary>
internal static class FuzzText
{
    // Nothing JSON can start with: no whitespace, quote, bracket, brace, digit, minus, nor the t/f/n of true/false/null.
    private const string NotJsonStart = "#@!%&*()=<>?|~^`';:,.]}_$/\\+abcdeghijklmopqrsuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u00e9\u20b9\u4e2d";
    private const string Punctuation = "{}[]\":,\\";
    private const string Multibyte = "\u00e9\u20b9\u4e2d\u20ac\ufffd\u2028\u2029\u00a0";

    private static readonly string[] s_tokens =
    [
        "null", "true", "false", "1e999", "-0", "-", "\"", "\\", "\\u", "\\uD800", "\\u0000", "{", "}", "[", "]", ",", ":",
        "NaN", "Infinity", "\u0000", "\u001b[31m", "\r\n", "\ud83d\ude00", "{\"type\":", "\"data\":", "\"order\"", "\"error\"",
        "\"message\"", new('9', 400), new('[', 300), "[[[[[[[[[[]]]]]]]]]]",
    ];

    /// <summary>Text no JSON parser accepts: its first character cannot start a JSON value.</summary>
    public static string NotJson(FrameFuzzer fuzzer)
    {
        var text = new StringBuilder().Append(NotJsonStart[fuzzer.Choose(NotJsonStart.Length)]);
        for (int length = fuzzer.Coin() ? fuzzer.Choose(8) : fuzzer.Choose(300); length > 0; length--)
        {
            AppendRandomChar(fuzzer, text);
        }

        return text.ToString();
    }

    /// <summary>Valid text with one to four characters replaced, dropped, or tokens inserted.</summary>
    public static string Mutate(FrameFuzzer fuzzer, string valid)
    {
        var text = new StringBuilder(valid);
        for (int changes = 1 + fuzzer.Choose(4); changes > 0; changes--)
        {
            int at = fuzzer.Choose(text.Length + 1);
            switch (fuzzer.Choose(3))
            {
                case 0 when at < text.Length:
                    var one = new StringBuilder();
                    AppendRandomChar(fuzzer, one);
                    text.Remove(at, 1).Insert(at, one.ToString());
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, 1);
                    break;
                default:
                    text.Insert(at, s_tokens[fuzzer.Choose(s_tokens.Length)]);
                    break;
            }
        }

        return text.ToString();
    }

    private static void AppendRandomChar(FrameFuzzer fuzzer, StringBuilder text)
    {
        switch (fuzzer.Choose(6))
        {
            case 0:
                text.Append(Punctuation[fuzzer.Choose(Punctuation.Length)]);
                break;
            case 1:
                text.Append((char)fuzzer.Choose(0x20));
                break;
            case 2:
                text.Append(Multibyte[fuzzer.Choose(Multibyte.Length)]);
                break;
            case 3:
                text.Append("\ud83d\ude00");
                break;
            default:
                text.Append((char)(0x20 + fuzzer.Choose(0x5F)));
                break;
        }
    }
}
