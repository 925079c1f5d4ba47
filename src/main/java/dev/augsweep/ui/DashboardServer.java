package dev.augsweep.ui;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.augsweep.report.ResultsViews;
import dev.augsweep.sweep.LiveSweep;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard: a read-only web server in the driver's JVM (the JDK's own HTTP server, no dependency), serving the
 * page's own files, a fixed list of resources of this jar, and the JSON API under {@code /api}. It binds 127.0.0.1
 * unless told otherwise (a cluster's driver is reached through an SSH tunnel), answers GET and HEAD only, compares the
 * raw request path with its list (nothing is decoded, so nothing is traversed or listed), refuses a Host header that
 * is not its own (DNS rebinding), and sends a Content-Security-Policy that lets the page run its own scripts only.
 */
public final class DashboardServer implements AutoCloseable {
    /** The first port tried when none is given; Spark's own UI starts at 4040. */
    public static final int FIRST_PORT = 4050;
    static final int PORTS_TRIED = 100;
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String STATIC = "/dev/augsweep/ui/static";
    /** Request path -> resource under STATIC: nothing else is served. */
    static final Map<String, String> ASSETS = assets();

    private record Asset(byte[] body, String type, String etag) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardSource source;
    private final Api api;
    private final Map<String, Asset> assets = new LinkedHashMap<>();
    private final Set<String> hosts = new LinkedHashSet<>();
    private final String url;

    private DashboardServer(DashboardSource source, String host, Integer port) {
        this.source = source;
        this.api = new Api(source);
        ASSETS.forEach((path, resource) -> assets.put(path, load(resource)));
        InetAddress address = address(host);
        HttpServer bound = null;
        int first = port == null ? FIRST_PORT : port;
        int tries = port == null ? PORTS_TRIED : 1;
        for (int p = first; p < first + tries && bound == null; p++) {
            try {
                bound = HttpServer.create(new InetSocketAddress(address, p), 32); // binds: no check-then-bind race
            } catch (BindException e) {
                if (port != null) {
                    throw new IllegalStateException("port " + port + " on " + host + " is taken (" + e.getMessage()
                            + "); choose another with --ui-port, or leave it out for the first free one from "
                            + FIRST_PORT, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (bound == null) {
            throw new IllegalStateException("no free port for the dashboard on " + host + " from " + FIRST_PORT + " to "
                    + (FIRST_PORT + PORTS_TRIED - 1) + "; choose one with --ui-port, or --no-ui");
        }
        server = bound;
        int actual = server.getAddress().getPort();
        String shown = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : host;
        url = "http://" + (address.isAnyLocalAddress() ? "127.0.0.1" : shown) + ":" + actual + "/";
        for (String h : List.of("127.0.0.1", "localhost", "[::1]", shown, host)) {
            hosts.add(h.toLowerCase(Locale.ROOT) + ":" + actual);
        }
        if (address.isAnyLocalAddress()) { // reached by the machine's own names too
            try {
                InetAddress self = InetAddress.getLocalHost();
                hosts.add(self.getHostName().toLowerCase(Locale.ROOT) + ":" + actual);
                hosts.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT) + ":" + actual);
                hosts.add(self.getHostAddress() + ":" + actual);
            } catch (IOException e) {
                // only the loopback names then
            }
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "augsweep-dashboard-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * The dashboard of a sweep while its driver runs it.
     *
     * @param port null for the first free port from {@link #FIRST_PORT}, 0 for any free port
     */
    public static DashboardServer live(LiveSweep live, String host, Integer port) {
        return new DashboardServer(new LiveResults(live), host, port);
    }

    /** The dashboard of any source (the tests' own). */
    static DashboardServer of(DashboardSource source, String host, Integer port) {
        return new DashboardServer(source, host, port);
    }

    /** The dashboard of finished results (read when it starts); closing it closes the views. */
    public static DashboardServer serve(ResultsViews views, String host, Integer port) {
        ServedResults results = new ServedResults(views);
        try {
            return new DashboardServer(results, host, port);
        } catch (Exception e) { // Spark's checked exceptions too (rethrown as they are)
            results.close();
            throw e;
        }
    }

    /** Where a browser on this machine opens it: http://127.0.0.1:4050/ */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        source.close();
    }

    // --- requests ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try (ex) {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cross-Origin-Resource-Policy", "same-origin");
            h.set("Cache-Control", "no-store");
            String method = ex.getRequestMethod();
            boolean head = method.equals("HEAD");
            try {
                if (!head && !method.equals("GET")) {
                    h.set("Allow", "GET, HEAD");
                    throw new ApiError(405, "read-only: GET and HEAD only, not " + method);
                }
                String host = ex.getRequestHeaders().getFirst("Host");
                if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
                    throw new ApiError(421, "unexpected Host header " + (host == null ? "(none)" : "'" + host + "'")
                            + ": open the dashboard at " + url);
                }
                String path = ex.getRequestURI().getRawPath();
                String query = ex.getRequestURI().getRawQuery();
                if (path != null && path.startsWith("/api/")) {
                    Object answer = api.answer(path.substring("/api/".length()), params(query));
                    send(ex, 200, JSON_TYPE, Json.bytes(answer), head);
                    return;
                }
                Asset a = path == null ? null : assets.get(path);
                if (a == null || query != null && !path.equals("/")) {
                    send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8), head);
                    return;
                }
                h.set("Cache-Control", "no-cache"); // revalidated each time: the browser keeps its compiled scripts
                h.set("ETag", a.etag());
                if (a.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                    ex.sendResponseHeaders(304, -1);
                    return;
                }
                send(ex, 200, a.type(), a.body(), head);
            } catch (ApiError e) {
                send(ex, e.status, JSON_TYPE, Json.bytes(Map.of("error", e.getMessage())), head);
            } catch (IOException e) {
                throw e; // the browser went away
            } catch (Exception e) { // Exception: Spark's AnalysisException and SparkException are checked, undeclared
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                int cut = message.indexOf('\n');
                send(ex, 500, JSON_TYPE, Json.bytes(Map.of("error", cut < 0 ? message : message.substring(0, cut))), head);
            }
        } catch (IOException e) {
            // the browser went away: nothing to answer
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body, boolean head) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** application/x-www-form-urlencoded, UTF-8, each value decoded once; a malformed escape is a 400. */
    static Map<String, List<String>> params(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "malformed query parameter '" + pair + "'");
            }
        }
        return params;
    }

    // --- the page's files ----------------------------------------------------------------------------------------

    private static Map<String, String> assets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("/", "index.html");
        for (String f : List.of("index.html", "app.js", "app.css", "favicon.svg", "vendor/vega.min.js",
                "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "vendor/LICENSE-vega",
                "vendor/LICENSE-vega-lite", "vendor/LICENSE-vega-embed", "vendor/NOTICE", "vendor/VERSIONS.txt")) {
            m.put("/" + f, f);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Asset load(String resource) {
        try (InputStream in = DashboardServer.class.getResourceAsStream(STATIC + "/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + resource + " is missing from the jar (" + STATIC
                        + "); rebuild it");
            }
            byte[] body = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))
                    .substring(0, 32) + "\"";
            return new Asset(body, type(resource), etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/plain; charset=utf-8";
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ui-host " + host + " is not an address of this machine: "
                    + e.getMessage(), e);
        }
    }
}
