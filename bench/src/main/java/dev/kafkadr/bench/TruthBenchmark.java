package dev.kafkadr.bench;

import dev.kafkadr.sandbox.PluginDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Are the controller's numbers true under load? For each rate, a fresh sandbox and the packaged
 * controller; the history checker produces at the rate and tails the copy; every scan the
 * controller serves is judged against the truth at its {@code measuredAt} (records acknowledged by
 * then and certainly not on the copy). Prints per rate and phase the scans judged, how many fell
 * below the truth (must be 0), the median and worst error in records and seconds, the possibly
 * false AT_RISK/BREACH, the scan duration median and p99; then, for the primary killed under load,
 * the failover's lower bound and estimate against the loss the checker observed and reconcile's
 * count.
 */
@Command(
    name = "truth-bench",
    mixinStandardHelpOptions = true,
    description = "The controller's lag and failover figures against the truth, under load.")
public final class TruthBenchmark implements Callable<Integer> {

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "1000,10000,60000",
      description = "Produce rates, records/s. Default: ${DEFAULT-VALUE}.")
  List<Integer> rates;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "Length of each phase. Default: ${DEFAULT-VALUE}.")
  int seconds;

  @Option(
      names = "--throttle",
      negatable = true,
      defaultValue = "true",
      description = "A second phase with MM2 held to about half the rate. Default: true.")
  boolean throttle;

  @Option(
      names = "--kill",
      negatable = true,
      defaultValue = "true",
      description = "End each rate with the primary killed and a failover. Default: true.")
  boolean kill;

  @Option(names = "--plugin-dir", description = "The connect-plugins plugin directory.")
  Path pluginDir;

  private final List<TruthRound.Result> results = new ArrayList<>();

  /** Runs the benchmark and exits with its code: 0, or 1 when a figure fell below the truth. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TruthBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (seconds < 5 || rates.stream().anyMatch(r -> r < 1)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--seconds must be at least 5 and every rate at least 1");
    }
    Path plugins = pluginDir != null ? pluginDir : PluginDirectories.inBuildTree(Path.of(""));
    boolean below = false;
    for (int rate : rates) {
      Path dir = Files.createTempDirectory("kdr-truth-bench");
      try {
        TruthRound.Result r =
            TruthRound.run(plugins, rate, Duration.ofSeconds(seconds), throttle, kill, dir);
        results.add(r);
        below |= print(r);
      } catch (Exception e) {
        System.err.println("rate " + rate + " failed; the controller's log is kept in " + dir);
        throw e;
      }
      dev.kafkadr.sandbox.process.Io.deleteTree(dir);
    }
    return below ? 1 : 0;
  }

  /** The results measured so far (for the test that runs it). */
  List<TruthRound.Result> results() {
    return results;
  }

  /** Prints one rate; true when a figure fell below the truth. */
  static boolean print(TruthRound.Result r) {
    boolean below = false;
    System.out.printf(
        Locale.ROOT,
        "%nrate %,d records/s asked (truth bound slack eps <= %.0f ms)%n"
            + "  %-18s %9s %6s %6s %17s %17s %8s %15s%n",
        r.rate(),
        r.epsilonMicros() / 1000.0,
        "phase",
        "acked/s",
        "scans",
        "below",
        "error rec med/max",
        "error s med/max",
        "false AR",
        "scan s med/p99");
    for (TruthRound.Phase p : r.phases()) {
      List<TruthRound.Judged> s = p.scans();
      long belowTruth = s.stream().filter(TruthRound.Judged::belowTruth).count();
      below |= belowTruth > 0;
      long falseAlarms =
          s.stream()
              .filter(j -> List.of("AT_RISK", "BREACH").contains(j.served().status()))
              .filter(j -> j.low().oldestSeconds() < 15)
              .count();
      System.out.printf(
          Locale.ROOT,
          "  %-18s %,9.0f %6d %6d %8s/%-8s %8s/%-8s %8d %7s/%-7s%n",
          p.name(),
          p.produced(),
          s.size(),
          belowTruth,
          s.isEmpty() ? "-" : fmt(Stats.median(s.stream().map(TruthRound.Judged::error).toList())),
          s.isEmpty() ? "-" : fmt(s.stream().mapToLong(TruthRound.Judged::error).max().orElse(0)),
          s.isEmpty()
              ? "-"
              : secs(Stats.median(s.stream().map(TruthRound.Judged::errorSeconds).toList())),
          s.isEmpty()
              ? "-"
              : secs(s.stream().mapToDouble(TruthRound.Judged::errorSeconds).max().orElse(0)),
          falseAlarms,
          s.isEmpty()
              ? "-"
              : secs(Stats.median(s.stream().map(j -> j.served().scanSeconds()).toList())),
          s.isEmpty()
              ? "-"
              : secs(Stats.percentile(s.stream().map(j -> j.served().scanSeconds()).toList(), 99)));
    }
    TruthRound.Kill k = r.kill();
    if (k != null) {
      System.out.printf(
          Locale.ROOT,
          "  primary killed: at risk at the last scan %,d; failover lower bound %,d, estimate of"
              + " writes after that scan %s; observed: %,d acknowledged records never on the copy,"
              + " %,d records the restarted primary holds that never reached it (%,d acknowledged,"
              + " %,d unknown outcome); reconcile counted %,d%n",
          k.dataAtRisk(),
          k.lowerBound(),
          k.estimate() < 0 ? "none" : String.format(Locale.ROOT, "%,d", k.estimate()),
          k.lostAcknowledged(),
          k.onOldOnly().total(),
          k.onOldOnly().acknowledged(),
          k.onOldOnly().unknown(),
          k.reconciled());
    }
    return below;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String secs(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
