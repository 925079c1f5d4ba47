package dev.augsweep.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An HDFS in this JVM for a test class ({@code @RegisterExtension static final LocalHdfs HDFS = new LocalHdfs();}):
 * Hadoop's MiniDFSCluster, a name node and a data node on localhost ports, with permissions checked as on a real
 * cluster; started before the class's tests, stopped and deleted after them.
 */
public final class LocalHdfs implements BeforeAllCallback, AfterAllCallback {
    private MiniDFSCluster cluster;
    private Path base;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        base = Files.createTempDirectory("augsweep-hdfs");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.shutdown();
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /** hdfs://localhost:PORT */
    public String uri() {
        return "hdfs://localhost:" + cluster.getNameNodePort();
    }

    public MiniDFSCluster cluster() {
        return cluster;
    }
}
