package dev.tributary.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent so far by this JVM (all its threads: the sync, the fake server, the
 * garbage collector, the JIT) and by every PostgreSQL process on the machine, read
 * from Linux's /proc: where a run's time went when both share two cores.
 */
record CpuTimes(long jvmMillis, long postgresMillis) {

    static CpuTimes now() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        return new CpuTimes(jvm, postgresProcessesMillis());
    }

    CpuTimes minus(CpuTimes earlier) {
        return new CpuTimes(jvmMillis - earlier.jvmMillis, postgresMillis - earlier.postgresMillis);
    }

    @Override
    public String toString() {
        return String.format("CPU: JVM %,d ms, PostgreSQL %,d ms", jvmMillis, postgresMillis);
    }

    private static long postgresProcessesMillis() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(CpuTimes::postgresTicks).sum() * 10; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            return -1;
        }
    }

    /** CPU time spent so far by another process (a service node), from /proc; -1 when it cannot be read. */
    static long processMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process named "postgres", 0 for any other (or one that just ended). */
    private static long postgresTicks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                return 0;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
