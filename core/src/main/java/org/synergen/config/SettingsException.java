package org.synergen.config;

/** A setting the user gave that the job cannot use: an unknown key, a wrong type, a missing file. */
public final class SettingsException extends IllegalArgumentException {
  public SettingsException(String message) {
    super(message);
  }
}
