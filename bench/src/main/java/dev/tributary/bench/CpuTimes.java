package dev.tributary.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent so far by this JVM (all its threads: the sync, the fake server, the
 * garbage collector, the JIT) and by the benchmark's PostgreSQL server (its postmaster and
 * every process it forked, live or already exited), read from Linux's /proc: where a run's
 * time went when both share two cores. Only the benchmark's own server counts: other
 * PostgreSQL servers on a shared machine (other people's tests) are not its cost.
 */
record CpuTimes(long jvmMillis, long postgresMillis) {

    /** The times now; {@code postgresData} is the benchmark's PostgreSQL data directory. */
    static CpuTimes now(Path postgresData) {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        return new CpuTimes(jvm, postgresMillis(postgresData));
    }

    CpuTimes minus(CpuTimes earlier) {
        return new CpuTimes(jvmMillis - earlier.jvmMillis, postgresMillis - earlier.postgresMillis);
    }

    @Override
    public String toString() {
        return String.format("CPU: JVM %,d ms, PostgreSQL %,d ms", jvmMillis, postgresMillis);
    }

    /**
     * The postmaster's own time, its exited children's (it waits for each backend, so theirs
     * accrue to its cutime and cstime) and that of its live children. -1 when it cannot be read.
     */
    private static long postgresMillis(Path postgresData) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            long postmaster = Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid")).get(0).trim());
            String[] own = statFields(postmaster);
            long ticks = Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13])
                    + Long.parseLong(own[14]);
            ticks += processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(p -> childTicks(Long.parseLong(p.getFileName().toString()), postmaster)).sum();
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time spent so far by another process (a service node), from /proc; -1 when it cannot be read. */
    static long processMillis(long pid) {
        try {
            String[] fields = statFields(pid);
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a live child of {@code parent}, 0 for any other process (or one that just ended). */
    private static long childTicks(long pid, long parent) {
        try {
            String[] fields = statFields(pid);
            return Long.parseLong(fields[1]) == parent ? Long.parseLong(fields[11]) + Long.parseLong(fields[12]) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The fields of /proc/{pid}/stat after the command name: [0] is the state, [1] the parent, [11] utime. */
    private static String[] statFields(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
