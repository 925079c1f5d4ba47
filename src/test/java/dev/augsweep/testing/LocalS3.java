package dev.augsweep.testing;

import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * An S3 server in this JVM for a test class ({@code @RegisterExtension static final LocalS3 S3 = new LocalS3();}):
 * S3Proxy on its in-memory ("transient") store, on a free port of 127.0.0.1, with AWS V2/V4 signatures checked
 * against one key pair and a bucket of its own ({@code results-PORT}: Hadoop caches a file system per bucket for the
 * JVM, whatever its endpoint, so two classes' servers must not share a bucket name); started before the class's
 * tests, stopped after them. It
 * answers a second {@code If-None-Match: *} write of a key with 412, as S3 does. Two faults for the error and
 * fencing tests, undone after each test: writes under a prefix refused with S3's AccessDenied (what an IAM policy
 * that grants reads only does), and conditional writes taken as plain ones (what an S3-compatible server without
 * conditional writes does).
 */
public final class LocalS3 implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    public static final String ACCESS_KEY = "augsweep-test-access";
    /** Distinctive, so that a test can tell it never appears in output or errors. */
    public static final String SECRET_KEY = "augsweep-TEST-secret-5eCr3t-do-not-print";
    private S3Proxy proxy;
    private URI endpoint;
    private String bucket;
    private volatile String deniedPrefix;
    private volatile boolean ignoresConditions;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        BlobStore store = new Faults(BlobStores.create("transient", properties));
        proxy = S3Proxy.builder().blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        bucket = "results-" + proxy.getPort();
        store.createContainer(bucket);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        deniedPrefix = null;
        ignoresConditions = false;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    /** http://127.0.0.1:PORT */
    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    /** s3a://BUCKET/PATH */
    public String uri(String path) {
        return "s3a://" + bucket + "/" + path;
    }

    /** The Hadoop settings that reach this server, as a user of an S3-compatible store gives them. */
    public Map<String, String> hadoop() {
        return hadoop(SECRET_KEY);
    }

    /** The same with another secret key. */
    public Map<String, String> hadoop(String secretKey) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint.toString());
        s.put("fs.s3a.endpoint.region", "us-east-1");
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        // these keys only: no credentials from this machine's environment or an instance profile
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("fs.s3a.access.key", ACCESS_KEY);
        s.put("fs.s3a.secret.key", secretKey);
        return s;
    }

    /** {@link #hadoop()} as Spark settings ({@code spark.hadoop.*}), for --conf. */
    public Map<String, String> spark() {
        return spark(hadoop());
    }

    public static Map<String, String> spark(Map<String, String> hadoop) {
        Map<String, String> s = new LinkedHashMap<>();
        hadoop.forEach((k, v) -> s.put("spark.hadoop." + k, v));
        return s;
    }

    /** Refuses writes and deletes of keys under {@code prefix} (of the bucket) with AccessDenied, until the test ends. */
    public void denyWritesUnder(String prefix) {
        deniedPrefix = prefix;
    }

    /** Takes {@code If-None-Match: *} writes as plain ones, until the test ends. */
    public void ignoreConditionalWrites() {
        ignoresConditions = true;
    }

    private final class Faults extends ForwardingBlobStore {
        Faults(BlobStore store) {
            super(store);
        }

        private void check(String key) {
            String denied = deniedPrefix;
            if (denied != null && key.startsWith(denied)) {
                throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED);
            }
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
            check(request.key());
            return super.putBlob(ignoresConditions ? request.toBuilder().ifNoneMatch(null).build() : request, in);
        }

        @Override
        public CopyObjectResponse copyBlob(CopyObjectRequest request) {
            check(request.destinationKey());
            return super.copyBlob(request);
        }

        @Override
        public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
            check(request.key());
            return super.removeBlob(request);
        }

        @Override
        public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
            check(request.key());
            return super.initiateMultipartUpload(request);
        }

        @Override
        public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                       CompleteMultipartUploadRequest request) {
            return super.completeMultipartUpload(upload, ignoresConditions
                    ? request.toBuilder().ifNoneMatch(null).build() : request);
        }
    }
}
