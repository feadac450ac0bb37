package dev.kafkadr.controller.traffic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TSIG key as BIND writes it ({@code key "name" { algorithm hmac-sha256; secret "..."; };}, the
 * format of {@code tsig-keygen} and {@code rndc-confgen}). Its string form names the key and never
 * shows the secret.
 *
 * @param name key name
 * @param algorithm e.g. {@code hmac-sha256}
 * @param secret the secret, base64
 */
public record TsigKey(String name, String algorithm, String secret) {

  private static final Pattern KEY =
      Pattern.compile("key\\s+\"?([^\"\\s{]+)\"?\\s*\\{(.*?)}\\s*;", Pattern.DOTALL);
  private static final Pattern ALGORITHM =
      Pattern.compile("algorithm\\s+\"?([A-Za-z0-9-]+)\"?\\s*;");
  private static final Pattern SECRET = Pattern.compile("secret\\s+\"([^\"]+)\"\\s*;");

  /**
   * Reads the first key of a BIND key file.
   *
   * @throws IllegalArgumentException naming the file and what is missing (never the secret)
   */
  public static TsigKey fromBindKeyFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "TSIG key file " + file + " cannot be read: " + e.getMessage(), e);
    }
    Matcher key = KEY.matcher(text);
    if (!key.find()) {
      throw new IllegalArgumentException(
          "TSIG key file " + file + " holds no key \"name\" { algorithm ...; secret \"...\"; };");
    }
    Matcher algorithm = ALGORITHM.matcher(key.group(2));
    Matcher secret = SECRET.matcher(key.group(2));
    if (!algorithm.find() || !secret.find()) {
      throw new IllegalArgumentException(
          "TSIG key \"" + key.group(1) + "\" in " + file + " lacks its algorithm or its secret");
    }
    try {
      Base64.getDecoder().decode(secret.group(1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TSIG key \"" + key.group(1) + "\" in " + file + ": the secret is not base64", e);
    }
    return new TsigKey(key.group(1), algorithm.group(1), secret.group(1));
  }

  @Override
  public String toString() {
    return "TsigKey[" + name + ", " + algorithm + ", secret hidden]";
  }
}
