package io.lazyworkqueue.benchmarks;

/**
 * One reading of the footprint harness, and its CSV form.
 * @param cpus how many CPUs each queue spans
 * @param peer the peer measured
 * @param millis milliseconds since the run started
 * @param phase what the run was doing: baseline, open, burst, quiet or closed
 * @param threads live JVM threads
 * @param residentKilobytes the process's resident set size in kB
 */
record FootprintSample(int cpus, Peer peer, long millis, String phase, int threads, long residentKilobytes) {

    static final String CSV_HEADER = "cpus,peer,millis,phase,threads,rss_kb";

    String toCsv() {
        return cpus + "," + peer + "," + millis + "," + phase + "," + threads + "," + residentKilobytes;
    }

    static FootprintSample parseCsv(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 6) {
            throw new IllegalArgumentException("not a footprint sample: '" + line + "'");
        }
        return new FootprintSample(Integer.parseInt(fields[0]), Peer.valueOf(fields[1]), Long.parseLong(fields[2]),
                fields[3], Integer.parseInt(fields[4]), Long.parseLong(fields[5]));
    }
}
