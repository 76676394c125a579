package org.synergen.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job's settings in layers, lowest first: its bundled defaults, the user's {@code --conf} file,
 * then {@code key=value} overrides in command-line order (a later one wins).
 *
 * <p>What the user writes is checked against what the job knows before anything runs: a key the
 * defaults do not have is refused with the closest known key (so {@code train.lr.peek=1} does not
 * silently train with the default rate), and a value of the wrong type is refused naming the whole
 * key. Both are {@link SettingsException}s, which the jobs report as bad input (exit 2).
 */
public final class LayeredConfig {
  private LayeredConfig() {}

  /** The user's layers merged: the {@code --conf} file (may be null) under the overrides. */
  public static Config userLayers(Path userConf, List<String> overrides) {
    Config top = ConfigFactory.empty();
    if (userConf != null) {
      if (!Files.isRegularFile(userConf)) {
        throw new SettingsException("--conf " + userConf + ": no such file");
      }
      try {
        top = ConfigFactory.parseFile(userConf.toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new SettingsException("--conf " + userConf + " is not valid HOCON: " + e.getMessage());
      }
    }
    for (String o : overrides) {
      if (!o.contains("=")) {
        throw new SettingsException("'" + o + "' is not a key=value setting (e.g. train.steps=100)");
      }
      try {
        top = ConfigFactory.parseString(o,
            ConfigParseOptions.defaults().setOriginDescription("setting '" + o + "'")).withFallback(top);
      } catch (ConfigException e) {
        throw new SettingsException("setting '" + o + "' is not valid HOCON: " + e.getMessage());
      }
    }
    return top;
  }

  /**
   * Refuses every key of {@code user} that {@code known} lacks (unless it lies under one of the
   * {@code open} blocks, whose keys are the user's to choose) and every value whose type differs
   * from the known default's.
   */
  public static void requireKnown(Config user, Config known, String... open) {
    List<String> knownPaths = leafPaths(known.root(), "");
    for (String path : leafPaths(user.root(), "")) {
      if (isUnder(path, open)) {
        continue;
      }
      if (!known.hasPathOrNull(path)) {
        String closest = closest(path, knownPaths);
        throw new SettingsException("unknown setting '" + path + "' (" + origin(user, path) + ")"
            + (closest == null ? "" : "; did you mean '" + closest + "'?"));
      }
      // null (a file's `key = null`) unsets an optional setting; Config.getValue refuses to return it
      if (!known.getIsNull(path) && !user.getIsNull(path)) {
        ConfigValue given = user.getValue(path);
        checkType(path, given, known.getValue(path), user);
      }
    }
  }

  /** Where the user set {@code path} (a file and line, or the command-line setting). */
  private static String origin(Config user, String path) {
    ConfigValue v = user.root();
    for (String key : ConfigUtil.splitPath(path)) {
      v = ((ConfigObject) v).get(key);
    }
    return v.origin().description();
  }

  /** Defaults, then the user's layers on top, checked and resolved. */
  public static Config load(Config defaults, Path userConf, List<String> overrides, String... open) {
    Config user = userLayers(userConf, overrides);
    requireKnown(user, defaults, open);
    return resolve(user.withFallback(defaults));
  }

  /** Resolves substitutions, reporting a broken one as bad input. */
  public static Config resolve(Config c) {
    try {
      return c.resolve();
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  private static void checkType(String path, ConfigValue given, ConfigValue expected, Config user) {
    ConfigValueType want = expected.valueType();
    String got = given.valueType() + " " + given.render() + " (" + given.origin().description() + ")";
    try {
      switch (want) {
        case NUMBER -> {
          Number n = user.getNumber(path);
          boolean whole = expected.unwrapped() instanceof Integer || expected.unwrapped() instanceof Long;
          if (whole && n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new SettingsException("setting '" + path + "' must be a whole number, got " + got);
          }
        }
        case BOOLEAN -> user.getBoolean(path);
        case LIST -> user.getList(path);
        case OBJECT -> user.getConfig(path);
        case STRING -> checkStringKind(path, (String) expected.unwrapped(), user, got);
        default -> { }
      }
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new SettingsException("setting '" + path + "' must be " + describe(want, expected) + ", got " + got);
    }
  }

  /** Strings that are durations (30s) or sizes (50MiB) in the defaults must stay so. */
  private static void checkStringKind(String path, String example, Config user, String got) {
    Config probe = ConfigFactory.parseMap(Map.of("v", example));
    if (isDuration(probe)) {
      user.getDuration(path);
    } else if (isBytes(probe)) {
      user.getBytes(path);
    } else if (user.getValue(path).valueType() == ConfigValueType.OBJECT
        || user.getValue(path).valueType() == ConfigValueType.LIST) {
      throw new SettingsException("setting '" + path + "' must be a string, got " + got);
    }
  }

  private static String describe(ConfigValueType want, ConfigValue expected) {
    return switch (want) {
      case NUMBER -> "a number (like " + expected.render() + ")";
      case BOOLEAN -> "true or false";
      case LIST -> "a list (like " + expected.render() + ")";
      case OBJECT -> "a block of settings";
      case STRING -> isDuration(ConfigFactory.parseMap(Map.of("v", expected.unwrapped())))
          ? "a duration (like " + expected.render() + ")" : "a size (like " + expected.render() + ")";
      default -> want.name().toLowerCase();
    };
  }

  private static boolean isDuration(Config probe) {
    try {
      probe.getDuration("v");
      return !looksNumeric(probe.getString("v"));
    } catch (ConfigException e) {
      return false;
    }
  }

  private static boolean isBytes(Config probe) {
    try {
      probe.getBytes("v");
      return !looksNumeric(probe.getString("v"));
    } catch (ConfigException e) {
      return false;
    }
  }

  private static boolean looksNumeric(String s) {
    return s.strip().matches("[-+]?[0-9.]+");
  }

  private static boolean isUnder(String path, String[] open) {
    for (String o : open) {
      if (path.equals(o) || path.startsWith(o + ".")) {
        return true;
      }
    }
    return false;
  }

  /** Every non-object value's full path, null values included (Config.entrySet skips those). */
  private static List<String> leafPaths(ConfigObject obj, String prefix) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String path = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
      if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
        out.addAll(leafPaths(child, path));
      } else {
        out.add(path);
      }
    }
    return out;
  }

  /** The known key nearest by edit distance, if near enough to be a plausible typo. */
  static String closest(String path, List<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(path, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(3, path.length() / 3) ? best : null;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
