using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Emulators.Hosting;

/// <summary>What every venue emulator serves from: a quiet Kestrel on 127.0.0.1 with WebSockets on.</summary>
public static class EmulatorHost
{
    /// <summary>A web app on 127.0.0.1:<paramref name="port"/> (0: any free port), WebSockets on, no logging; map the venue's endpoints, then <see cref="StartAsync"/>.</summary>
    public static WebApplication CreateLoopback(int port)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.UseWebSockets();
        return app;
    }

    /// <summary>Starts <paramref name="app"/> and returns the address it listens on (the chosen port included).</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>The root of the emulator's server (scheme, host and port of <paramref name="url"/>, path "/"): where a venue is pointed.</summary>
    public static Uri RootOf(Uri url) => new(url.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>Aborts every socket at once, as a network failure would; returns how many.</summary>
    public static int AbortAll(IEnumerable<WebSocket> sockets)
    {
        int aborted = 0;
        foreach (WebSocket socket in sockets)
        {
            socket.Abort();
            aborted++;
        }

        return aborted;
    }
}
