package io.lazyworkqueue.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a harness's samples as a CSV file, making the folder it goes in if need be. */
final class CsvFile {

    private CsvFile() {
    }

    /**
     * @param csv the file, replaced if it exists
     * @param header the first line
     * @param rows the lines after it
     * @throws IOException if the file cannot be written
     */
    static void write(Path csv, String header, List<String> rows) throws IOException {
        Path parent = csv.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            out.println(header);
            rows.forEach(out::println);
        }
    }
}
