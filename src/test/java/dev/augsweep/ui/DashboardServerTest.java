package dev.augsweep.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.augsweep.results.EpochRows;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's server without a browser or Spark: what it serves and refuses (the page's files only, GET and
 * HEAD only, its own Host only, the security headers), and the API's contract on a few trials held in memory.
 */
class DashboardServerTest {
    static final String XSS = "<script>alert(1)</script>";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DashboardServer server;
    private static String base;

    /** Five trials: one never started, one with no score, one failed, ties in seed, a hostile id and reason. */
    static class Fake implements DashboardSource {
        final Snapshot snapshot;

        Fake() {
            List<Map<String, Object>> rows = new ArrayList<>();
            rows.add(trial("b", "finished", 0, 40.0, null));
            rows.add(trial("a", "finished", 0, 40.0, null));
            rows.add(trial(XSS, "finished", 1, 55.5, null));
            rows.add(trial("c", "failed", 1, null, "<b>crash</b> & burn\nsecond line"));
            rows.add(trial("d", "pending", 2, null, null));
            snapshot = Snapshot.of(1, rows, null, List.of("results/x"), false, null, null, null, null, Map.of(), false);
        }

        private static Map<String, Object> trial(String id, String status, int seed, Double knn, String reason) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("trial_id", id);
            r.put("cell_id", "cell-" + (seed % 2));
            r.put("sweep", "s<x>");
            r.put("method", "simclr");
            r.put("augs", "abc");
            r.put("seed", seed);
            r.put("status", status);
            r.put("reason", reason);
            r.put("knn_top1_best", knn);
            r.put("epochs_done", status.equals("pending") ? 0 : 2);
            r.put("device", status.equals("pending") ? null : "cpu()");
            r.put("host", "h");
            r.put("started_at", status.equals("pending") ? null : new Timestamp(1_000_000L));
            r.put("finished_at", status.equals("pending") ? null : new Timestamp(4_600_000L));
            r.put("settings", "{\"lr\": 0.5, \"note\": \"" + XSS.replace("/", "\\/") + "\"}");
            r.put("sampled", Map.of("knn.k", (double) (100 + seed)));
            r.put("search_space", "{\"knn.k\": \"intrange(50, 400)\"}");
            return r;
        }

        @Override
        public Snapshot snapshot() {
            return snapshot;
        }

        @Override
        public EpochRows epochs(String trialId) {
            return trialId.equals(XSS) ? EpochRows.of(List.of(Map.of("epoch", 0, "knn_top1", 10.0),
                    Map.of("epoch", 1, "loss", 5.0, "knn_top1", 30.0), Map.of("epoch", 2, "loss", 4.0)))
                    : EpochRows.NONE;
        }

        @Override
        public Reports reports() {
            return new Reports("<h3>t</h3>", List.of(), List.of());
        }
    }

    @BeforeAll
    static void start() {
        server = DashboardServer.of(new Fake(), "127.0.0.1", 0);
        base = server.url();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode api(String path) throws Exception {
        HttpResponse<String> r = get("/api/" + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(r.body());
    }

    /** A raw HTTP/1.1 request, as a browser of another site or a script would send it: status line and body. */
    static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesThePagesOwnFilesWithTheSecurityHeadersAndNothingElse() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValue(DashboardServer.CSP);
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(index.headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("same-origin");
        for (String path : DashboardServer.ASSETS.keySet()) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as(path + " revalidated").isEqualTo(304);
        }
        assertThat(get("/vendor/vega.min.js").headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        for (String path : List.of("/%2e%2e/%2e%2e/etc/passwd", "/vendor/", "/vendor", "/app.js/", "/app.js;x",
                "/VENDOR/vega.min.js", "/dev/augsweep/ui/static/app.js", "/augsweep-conf/defaults.conf",
                "/vendor/../app.js", "/app.js?x=1", "/favicon.ico", "/api")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
        // Not normalised by the client: the raw paths reach the server as sent.
        for (String path : List.of("/../etc/passwd", "/vendor/../../pom.xml", "/./app.js")) {
            assertThat(raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nConnection: close\r\n\r\n")).as(path).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void answersGetAndHeadOnlyAndItsOwnHostOnly() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/overview"))
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains("read-only");
        }
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/overview"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        // DNS rebinding: another name resolving to 127.0.0.1 is refused.
        String evil = raw("GET /api/overview HTTP/1.1\r\nHost: evil.example:" + server.port()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(evil).startsWith("HTTP/1.1 421").contains("unexpected Host header");
        assertThat(raw("GET / HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 421");
    }

    @Test
    void writesEveryValueAsEscapedJson() throws Exception {
        HttpResponse<String> r = get("/api/trials?sort=trial_id&order=asc");
        assertThat(r.body()).doesNotContain("<", ">", "&").contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
        JsonNode t = api("trial?id=" + java.net.URLEncoder.encode(XSS, StandardCharsets.UTF_8));
        assertThat(t.at("/trial/trial_id").asText()).isEqualTo(XSS);
        assertThat(t.at("/trial/settings/note").asText()).isEqualTo(XSS);
        assertThat(t.at("/trial/started_at").asText()).isEqualTo("1970-01-01T00:16:40.000Z");
        assertThat(t.at("/trial/gpu_name").isNull()).isTrue();
        assertThat(t.get("epochs")).hasSize(3);
        assertThat(t.at("/epochs/0/loss").isNull()).isTrue();
        assertThat(t.at("/epochs/2/knn_top1").isNull()).isTrue();
        assertThat(Json.write(Map.of("x", List.of(Double.NaN, Double.POSITIVE_INFINITY, "\u2028</script>"))))
                .isEqualTo("{\"x\":[null,null,\"\\u2028\\u003c/script\\u003e\"]}");
    }

    @Test
    void sortsWithNullsLastInBothOrdersAndTrialIdBreakingTies() throws Exception {
        List<String> desc = ids(api("trials?sort=knn_top1_best&order=desc"));
        assertThat(desc).containsExactly(XSS, "a", "b", "c", "d");
        List<String> asc = ids(api("trials?sort=knn_top1_best&order=asc"));
        assertThat(asc).containsExactly("a", "b", XSS, "c", "d");
        assertThat(ids(api("trials?sort=sampled.knn.k&order=desc"))).containsExactly("d", XSS, "c", "a", "b");
        JsonNode page = api("trials?sort=seed&order=asc&offset=1&limit=2&status=finished,failed");
        assertThat(ids(page)).containsExactly("b", XSS);
        assertThat(page.get("matched").asInt()).isEqualTo(4);
        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(page.at("/counts/pending").asInt()).isEqualTo(1);
        assertThat(page.get("sampled_settings").toString()).isEqualTo("[\"knn.k\"]");
        assertThat(ids(api("trials?q=CRASH"))).containsExactly("c");
        assertThat(ids(api("trials?cell=cell-1&sort=trial_id&order=asc"))).containsExactly(XSS, "c");
        assertThat(api("trials?offset=99").get("rows")).isEmpty();
        for (String bad : List.of("trials?sort=nope", "trials?order=up", "trials?limit=0", "trials?limit=501",
                "trials?offset=-1", "trials?status=done", "trials?limit=x", "trial", "curves", "cells?limit=0")) {
            HttpResponse<String> r = get("/api/" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).isNotBlank();
        }
        assertThat(get("/api/trial?id=nope").statusCode()).isEqualTo(404);
        assertThat(get("/api/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theOverviewCountsTheTrials() throws Exception {
        JsonNode o = api("overview");
        assertThat(o.get("trials_total").asInt()).isEqualTo(5);
        assertThat(o.at("/by_status/finished").asInt()).isEqualTo(3);
        assertThat(o.at("/by_status/running").asInt()).isZero();
        assertThat(o.at("/per_hour/0/hour").asText()).isEqualTo("1970-01-01T01:00:00.000Z");
        assertThat(o.at("/per_hour/0/finished").asInt()).isEqualTo(3);
        assertThat(o.at("/failures/0/reason").asText()).isEqualTo("<b>crash</b> & burn");
        assertThat(o.at("/best/trial_id").asText()).isEqualTo(XSS);
        assertThat(o.at("/devices/0/done").asInt()).isEqualTo(4);
        assertThat(o.get("elapsed_seconds").asDouble()).isEqualTo(3600.0);
        assertThat(o.get("trials_per_hour").asDouble()).isEqualTo(4.0);
        assertThat(o.get("schedule").isNull()).isTrue();
        JsonNode curves = api("curves?id=" + java.net.URLEncoder.encode(XSS, StandardCharsets.UTF_8)
                + "&cell=cell-0&id=nope");
        assertThat(ids(curves.get("trials"))).containsExactly(XSS, "a", "b", "d");
        assertThat(curves.get("epochs")).hasSize(3);
        assertThat(curves.get("missing").toString()).isEqualTo("[\"nope\"]");
        JsonNode cells = api("cells");
        assertThat(cells.at("/cells/0/cell_id").asText()).isEqualTo("cell-1");
        assertThat(cells.at("/cells/0/knn_top1_best_mean").asDouble()).isEqualTo(55.5);
    }

    @Test
    void aReportThatFailsWithSparksCheckedExceptionIsAnsweredWithItsFirstLine() throws Exception {
        Fake failing = new Fake() {
            @Override
            public Reports reports() {
                // As Spark's Scala code throws it: a checked exception that no Java signature declares.
                return throwUndeclared(new org.apache.spark.SparkException("[FAILED_READ_FILE] part-0.parquet\nmore"));
            }
        };
        try (DashboardServer other = DashboardServer.of(failing, "127.0.0.1", 0)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(other.url() + "api/tables")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("[FAILED_READ_FILE] part-0.parquet");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T, E extends Throwable> T throwUndeclared(Throwable t) throws E {
        throw (E) t;
    }

    private static List<String> ids(JsonNode page) {
        JsonNode rows = page.has("rows") ? page.get("rows") : page;
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.get("trial_id").asText()));
        return ids;
    }
}
