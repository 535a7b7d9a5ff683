package io.lazyworkqueue.benchmarks;

/**
 * One reading of the schedule footprint harness, and its CSV form.
 * @param peer the scheduler measured
 * @param millis milliseconds since the scheduler was created
 * @param threads live JVM threads minus those that lived before the scheduler was created
 * @param started threads started since then, whether still alive or not
 * @param runs the job's runs so far
 */
record ScheduleSample(SchedulePeer peer, long millis, int threads, long started, int runs) {

    static final String CSV_HEADER = "peer,millis,threads,started,runs";

    String toCsv() {
        return peer + "," + millis + "," + threads + "," + started + "," + runs;
    }

    static ScheduleSample parseCsv(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException("not a schedule footprint sample: '" + line + "'");
        }
        return new ScheduleSample(SchedulePeer.valueOf(fields[0]), Long.parseLong(fields[1]),
                Integer.parseInt(fields[2]), Long.parseLong(fields[3]), Integer.parseInt(fields[4]));
    }
}
