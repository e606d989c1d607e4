using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Server.Api;
using MarketFeed.Server.Api.Schemas;
using MarketFeed.Server.Metrics;
using MarketFeed.Server.Security;
using MarketFeed.Server.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Server;

/// <summary>
/// The gateway: a <see cref="MarketFeedHost"/> served over HTTP (API, OpenAPI, health, metrics), WebSocket and SSE,
/// with the dashboard at <c>/</c>. Kestrel on 127.0.0.1 by default.
/// </summary>
public sealed class Gateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PrometheusExporter _exporter;

    private readonly StreamingEndpoints _streaming;

    private Gateway(WebApplication app, MarketFeedHost host, GatewaySubscriptions subscriptions, GatewayMetrics metrics, PrometheusExporter exporter, StreamingEndpoints streaming, Uri address)
    {
        _app = app;
        _streaming = streaming;
        Host = host;
        Subscriptions = subscriptions;
        Metrics = metrics;
        _exporter = exporter;
        Address = address;
    }

    public MarketFeedHost Host { get; }

    public GatewaySubscriptions Subscriptions { get; }

    public GatewayMetrics Metrics { get; }

    /// <summary>The first address listened on, with the real port when 0 was asked for.</summary>
    public Uri Address { get; }

    public static async Task<Gateway> StartAsync(MarketFeedHost host, ServerOptions options, CancellationToken cancellationToken = default)
    {
        BindingPolicy.Validate(options);
        var origins = new OriginPolicy(options.CorsOrigins);
        var hosts = new HostPolicy(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        if (options.SocketSendBufferBytes > 0)
        {
            // Accepted connections inherit the listening socket's buffer sizes.
            builder.WebHost.UseSockets(s => s.CreateBoundListenSocket = endpoint =>
            {
                System.Net.Sockets.Socket socket = Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = options.SocketSendBufferBytes;
                return socket;
            });
        }
        builder.Logging.ClearProviders();

        // Logs go to stderr, never among what the gateway prints on stdout; a failed start is reported once, by the caller.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetail.Fill);

        // Binding failures (malformed JSON, a wrong shape, a non-numeric query value) throw, so the problem says what failed.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer(ProblemSchema.DescribeAsync));

        // Numbers are numbers: the web default also reads them from strings, which would make every numeric field of
        // the OpenAPI document "integer or string".
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        if (origins.Configured.Count > 0)
        {
            builder.Services.AddCors(c => c.AddDefaultPolicy(p => p.WithOrigins([.. origins.Configured]).AllowAnyHeader().AllowAnyMethod()));
        }

        WebApplication app = builder.Build();
        var metrics = new GatewayMetrics(host);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (hosts.Enforced)
        {
            app.UseMiddleware<AllowedHostsMiddleware>(hosts, metrics);
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ProblemDetail.StatusOf,

            // A client's bad request is answered with a problem, not logged as a server failure.
            SuppressDiagnosticsCallback = c => c.Exception is Microsoft.AspNetCore.Http.BadHttpRequestException,
        });
        app.UseStatusCodePages();
        if (origins.Configured.Count > 0)
        {
            app.UseCors();
        }

        if (!string.IsNullOrEmpty(options.ApiToken))
        {
            app.UseMiddleware<ApiTokenMiddleware>(options.ApiToken);
        }

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseDefaultFiles();
        app.UseStaticFiles();

        var subscriptions = new GatewaySubscriptions(host);
        var exporter = new PrometheusExporter(metrics);
        var streaming = new StreamingEndpoints(host, options, metrics, origins);
        MarketDataApi.Map(app, host, subscriptions);
        streaming.Map(app);
        app.MapGet("/healthz", () => TypedResults.Text("{\"status\":\"ok\"}", "application/json"))
            .WithSummary("The process is up").Produces<HealthResponse>();
        app.MapGet("/readyz", () => host.Feeds.All(f => f.Health.State is FeedState.Connected or FeedState.Polling)
            ? TypedResults.Text("{\"status\":\"ready\"}", "application/json")
            : Problems.Unavailable("not ready: " + string.Join(", ", host.Feeds.Select(f => $"feed {f.Name} is {f.Health.State}"))))
            .WithSummary("Every feed is connected or polling").Produces<HealthResponse>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", () => TypedResults.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithSummary("Prometheus text exposition").Produces<string>(contentType: "text/plain");
        app.MapOpenApi("/openapi/{documentName}.json");

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync();
            await streaming.DisposeAsync();
            throw new GatewayConfigurationException($"{options.Urls} is already in use (is another gateway running?): choose another address with --urls, e.g. --urls http://127.0.0.1:0 for any free port");
        }

        string first = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Gateway(app, host, subscriptions, metrics, exporter, streaming, new Uri(first.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _streaming.DisposeAsync();
        await Subscriptions.DisposeAsync();
        _exporter.Dispose();
        Metrics.Dispose();
    }
}
