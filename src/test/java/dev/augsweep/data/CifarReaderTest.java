package dev.augsweep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augsweep.testing.CifarArchives;
import dev.augsweep.testing.TestData;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @Test
    void readsTheRealArchiveWithBalancedClasses() {
        CifarData data = TestData.cifar();
        assertThat(data.train().size()).isEqualTo(50_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().classCounts()).containsOnly(5_000);
        assertThat(data.test().classCounts()).containsOnly(1_000);
        // Pixel statistics from the shared README (red channel mean 0.491 on batch 1).
        double red = 0;
        for (int i = 0; i < 10_000; i++) {
            for (int p = 0; p < CifarSplit.PLANE; p++) {
                red += data.train().pixels()[i * CifarSplit.IMAGE_BYTES + p] & 0xff;
            }
        }
        assertThat(red / (10_000.0 * CifarSplit.PLANE) / 255).isCloseTo(0.491, org.assertj.core.data.Offset.offset(0.002));
    }

    @Test
    void limitKeepsTheFirstImages() {
        CifarSplit test = TestData.cifar().test();
        CifarSplit first = test.limit(100);
        assertThat(first.size()).isEqualTo(100);
        assertThat(first.label(99)).isEqualTo(test.label(99));
        assertThat(Arrays.copyOf(first.pixels(), 3072)).isEqualTo(Arrays.copyOf(test.pixels(), 3072));
    }

    @Test
    void readsABatchesDirectoryAsWellAsTheArchive(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(bin);
        for (String name : Dataset.CIFAR10.trainFiles()) {
            Files.write(bin.resolve(name), records(3, 7));
        }
        Files.write(bin.resolve(Dataset.CIFAR10.testFile()), records(2, 4));
        CifarData data = CifarReader.read(dir, Dataset.CIFAR10);
        assertThat(data.train().size()).isEqualTo(15);
        assertThat(data.test().size()).isEqualTo(2);
        assertThat(data.test().label(1)).isEqualTo(4);
    }

    @Test
    void truncatedFileNamesFileAndOffset(@TempDir Path dir) throws Exception {
        writeDir(dir);
        byte[] good = records(2, 1);
        Files.write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> CifarReader.read(dir, Dataset.CIFAR10)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("data_batch_3.bin").hasMessageContaining("offset 3073");
    }

    @Test
    void labelOutsideRangeNamesFileAndOffset(@TempDir Path dir) throws Exception {
        writeDir(dir);
        byte[] bad = records(3, 2);
        bad[2 * Dataset.CIFAR10.recordBytes()] = 42;
        Files.write(dir.resolve("test_batch.bin"), bad);
        assertThatThrownBy(() -> CifarReader.read(dir, Dataset.CIFAR10)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("test_batch.bin offset 6146").hasMessageContaining("label 42");
    }

    @Test
    void truncatedArchiveIsReported(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.tar.gz");
        try (InputStream in = Files.newInputStream(TestData.archive()); OutputStream out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes(3_000_000));
        }
        assertThatThrownBy(() -> CifarReader.read(cut, Dataset.CIFAR10)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("cut.tar.gz").hasMessageContaining("truncated");
    }

    @Test
    void wrongArchivesAreReported(@TempDir Path dir) throws Exception {
        Path notGzip = dir.resolve("plain.tar.gz");
        Files.writeString(notGzip, "hello");
        assertThatThrownBy(() -> CifarReader.read(notGzip, Dataset.CIFAR10)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("not a gzip file");
        Path otherTar = dir.resolve("other.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(otherTar))) {
            out.write(new byte[1024]); // an empty tar: two zero blocks
        }
        assertThatThrownBy(() -> CifarReader.read(otherTar, Dataset.CIFAR10)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("has no cifar-10-batches-bin/data_batch_1.bin");
        assertThatThrownBy(() -> CifarSource.load(dir.resolve("missing.tar.gz").toString(), Dataset.CIFAR10,
                DownloadPolicy.NEVER)).isInstanceOf(CifarFormatException.class).hasMessageContaining("download=auto");
    }

    @Test
    void readsCifar100FineLabelsFromTheOfficialLayout(@TempDir Path dir) throws Exception {
        Path archive = CifarArchives.write(dir.resolve("cifar-100-binary.tar.gz"), Dataset.CIFAR100, 2, 1, 5);
        CifarData data = CifarReader.read(archive, Dataset.CIFAR100);
        assertThat(data.train().size()).isEqualTo(200);
        assertThat(data.test().size()).isEqualTo(100);
        assertThat(data.train().classes()).isEqualTo(100);
        assertThat(data.train().label(99)).isEqualTo(99); // the fine label, not the coarse one (19)
        assertThat(data.test().classCounts()).containsOnly(1);
        // The first pixel of record 3 sits after its two label bytes.
        byte[] raw = CifarArchives.records(Dataset.CIFAR100, 4, new java.util.SplittableRandom(5));
        assertThat(data.train().pixels()[3 * CifarSplit.IMAGE_BYTES]).isEqualTo(raw[3 * 3074 + 2]);
        // An unpacked folder reads the same.
        Path folder = dir.resolve("unpacked").resolve("cifar-100-binary");
        Files.createDirectories(folder);
        Files.write(folder.resolve("train.bin"), CifarArchives.records(Dataset.CIFAR100, 200, new java.util.SplittableRandom(1)));
        Files.write(folder.resolve("test.bin"), CifarArchives.records(Dataset.CIFAR100, 100, new java.util.SplittableRandom(2)));
        assertThat(CifarReader.read(dir.resolve("unpacked"), Dataset.CIFAR100).train().label(57)).isEqualTo(57);
    }

    @Test
    void cifar100FilesThatAreTruncatedOrForeignAreReported(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("cifar-100-binary");
        Files.createDirectories(folder);
        byte[] good = CifarArchives.records(Dataset.CIFAR100, 3, new java.util.SplittableRandom(1));
        Files.write(folder.resolve("test.bin"), good);
        Files.write(folder.resolve("train.bin"), java.util.Arrays.copyOf(good, good.length - 10));
        assertThatThrownBy(() -> CifarReader.read(dir, Dataset.CIFAR100)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("train.bin").hasMessageContaining("3074-byte records")
                .hasMessageContaining("offset 6148");
        byte[] badCoarse = good.clone();
        badCoarse[3074] = 25;
        Files.write(folder.resolve("train.bin"), badCoarse);
        assertThatThrownBy(() -> CifarReader.read(dir, Dataset.CIFAR100)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("train.bin offset 3074").hasMessageContaining("coarse label 25");
        // The CIFAR-10 archive read as CIFAR-100 (and the other way round) names the missing file.
        assertThatThrownBy(() -> CifarReader.read(TestData.archive(), Dataset.CIFAR100))
                .isInstanceOf(CifarFormatException.class).hasMessageContaining("cifar-100-binary/train.bin");
        Path c100 = CifarArchives.write(dir.resolve("c100.tar.gz"), Dataset.CIFAR100, 1, 1, 2);
        assertThatThrownBy(() -> CifarReader.read(c100, Dataset.CIFAR10)).isInstanceOf(CifarFormatException.class)
                .hasMessageContaining("set dataset=cifar100");
    }

    @Test
    void downloadFailureOfflineSaysWhatToDo(@TempDir Path dir) {
        assertThatThrownBy(() -> CifarDownloader.download(java.net.URI.create("http://127.0.0.1:9/cifar.tar.gz"),
                Dataset.CIFAR10.officialMd5(), dir.resolve("c.tar.gz")))
                .isInstanceOf(CifarFormatException.class).hasMessageContaining("set data=<path>");
    }

    private static void writeDir(Path dir) throws Exception {
        for (String name : Dataset.CIFAR10.trainFiles()) {
            Files.write(dir.resolve(name), records(2, 1));
        }
        Files.write(dir.resolve(Dataset.CIFAR10.testFile()), records(2, 1));
    }

    private static byte[] records(int n, int label) {
        int record = Dataset.CIFAR10.recordBytes();
        byte[] b = new byte[n * record];
        for (int i = 0; i < n; i++) {
            b[i * record] = (byte) label;
            b[i * record + 1 + i] = (byte) 200;
        }
        return b;
    }
}
