package dev.kafkadr.sandbox.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cuts the network between the processes of one control group and chosen TCP ports on this machine,
 * leaving every other process's traffic alone: a cgroup v2 group the processes are started in
 * ({@link #launcher()}), and an nftables table of its own whose output rule drops the group's
 * packets to those ports ({@code socket cgroupv2}), so new connections time out and established
 * ones stall, as across a partition. Needs root, nftables ({@code nft}) and a cgroup v2 hierarchy;
 * {@link #unavailable()} says what is missing.
 *
 * <p>{@link #close()} deletes the table and the group; tables and groups left by a JVM that died
 * (their names carry its PID) are removed by the next {@link #create}.
 */
public final class NetworkCut implements AutoCloseable {

  private static final String PREFIX = "kdr_cut_";
  private static final Path SYS_CGROUP = Path.of("/sys/fs/cgroup");

  private final String name;
  private final Path group;
  private final String nftPath;

  private NetworkCut(String name, Path group, String nftPath) {
    this.name = name;
    this.group = group;
    this.nftPath = nftPath;
  }

  /**
   * Why cuts cannot be made here (not root, no {@code nft}, no cgroup v2), or empty when they can.
   */
  public static Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("a network cut needs root (nftables and cgroups)");
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/nft"))) {
      return Optional.of("nft is not installed (apt-get install nftables)");
    }
    if (cgroup2Mount().isEmpty()) {
      return Optional.of("no cgroup v2 hierarchy is mounted");
    }
    return Optional.empty();
  }

  /**
   * A new group named after {@code label} (letters, digits, {@code _}) and this JVM's PID, with an
   * empty nftables table: nothing is cut yet.
   *
   * @throws IllegalStateException when {@link #unavailable()} says why, or nft refuses
   */
  public static NetworkCut create(String label) throws IOException, InterruptedException {
    unavailable()
        .ifPresent(
            why -> {
              throw new IllegalStateException(why);
            });
    if (!label.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("label " + label + ": letters, digits and _ only");
    }
    removeStale();
    Path mount = cgroup2Mount().orElseThrow();
    String name = PREFIX + label + "_" + ProcessHandle.current().pid();
    Path group = mount.resolve(name);
    Files.createDirectories(group);
    String nftPath =
        mount.equals(SYS_CGROUP) ? name : SYS_CGROUP.relativize(mount).resolve(name).toString();
    nft("add table inet " + name);
    nft("add chain inet " + name + " out { type filter hook output priority 0 ; policy accept ; }");
    return new NetworkCut(name, group, nftPath);
  }

  /**
   * The command prefix that starts a process inside the group: {@code sh -c 'echo $$ > cgroup.procs
   * && exec "$0" "$@"'} followed by the real command, which keeps the shell's PID.
   */
  public List<String> launcher() {
    return List.of(
        "/bin/sh", "-c", "echo $$ > '" + group.resolve("cgroup.procs") + "' && exec \"$0\" \"$@\"");
  }

  /** The PIDs in the group now. */
  public List<Long> pids() throws IOException {
    return Files.readAllLines(group.resolve("cgroup.procs")).stream()
        .filter(l -> !l.isBlank())
        .map(Long::parseLong)
        .toList();
  }

  /**
   * Drops every packet the group's processes send to TCP {@code ports} on this machine, from now
   * on, connections already open included.
   */
  public void cut(Collection<Integer> ports) throws IOException, InterruptedException {
    String set = ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    nft(
        String.format(
            Locale.ROOT,
            "add rule inet %s out socket cgroupv2 level 1 \"%s\" tcp dport { %s } drop",
            name,
            nftPath,
            set));
  }

  /**
   * Drops every packet any process on this machine sends to or from TCP {@code ports}, from now on,
   * connections already open included: a partition of whatever listens there (the group plays no
   * part). Packets are dropped, not refused, so connections stall and retransmit as across a real
   * partition, and survive a short one.
   */
  public void cutPorts(Collection<Integer> ports) throws IOException, InterruptedException {
    String set = ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    nft(String.format(Locale.ROOT, "add rule inet %s out tcp dport { %s } drop", name, set));
    nft(String.format(Locale.ROOT, "add rule inet %s out tcp sport { %s } drop", name, set));
  }

  /** Removes every cut: the group's traffic flows again. */
  public void heal() throws IOException, InterruptedException {
    nft("flush chain inet " + name + " out");
  }

  /** What the table holds now, as {@code nft list} prints it. */
  public String rules() throws IOException, InterruptedException {
    return nft("list table inet " + name);
  }

  /**
   * Deletes the table and the group; processes still in it are moved to the root group first (a
   * group with processes cannot be removed).
   */
  @Override
  public void close() {
    try {
      nft("delete table inet " + name);
    } catch (IOException | RuntimeException e) {
      // already gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    removeGroup(group);
  }

  private static void removeGroup(Path group) {
    try {
      Path procs = group.resolve("cgroup.procs");
      if (Files.exists(procs)) {
        Path root = group.getParent().resolve("cgroup.procs");
        for (String pid : Files.readAllLines(procs)) {
          if (!pid.isBlank()) {
            try {
              Files.writeString(root, pid.trim(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
              // exited meanwhile
            }
          }
        }
      }
      Files.deleteIfExists(group);
    } catch (IOException e) {
      // left for the next create()
    }
  }

  /** Tables and groups whose JVM (the PID in their name) is gone. */
  private static void removeStale() throws IOException, InterruptedException {
    for (String line : nft("list tables").lines().toList()) {
      String table = line.replace("table inet ", "").trim();
      if (table.startsWith(PREFIX) && !alive(table)) {
        nft("delete table inet " + table);
      }
    }
    Path mount = cgroup2Mount().orElseThrow();
    try (Stream<Path> groups = Files.list(mount)) {
      for (Path g : groups.toList()) {
        String n = g.getFileName().toString();
        if (n.startsWith(PREFIX) && Files.isDirectory(g) && !alive(n)) {
          removeGroup(g);
        }
      }
    }
  }

  private static boolean alive(String name) {
    try {
      long pid = Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not ours to judge
    }
  }

  private static Optional<Path> cgroup2Mount() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 2 && "cgroup2".equals(f[2])) {
          return Optional.of(Path.of(f[1]));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String nft(String command) throws IOException, InterruptedException {
    // nft joins its arguments with spaces and parses the result: one argument is the command.
    Process p = new ProcessBuilder("/usr/sbin/nft", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("nft " + command + " failed: " + out.strip());
    }
    return out;
  }
}
