package org.synergen.ingest.fetch;

/**
 * A download that did not produce bytes.
 *
 * @see #reason() a short, countable cause ("HTTP 404", "timeout", ...) used as the key in the
 *     shards' status counts; the message adds the details of this URL
 */
public final class FetchFailure extends Exception {
  private final String reason;
  private final boolean retriable;

  public FetchFailure(String reason, String detail, boolean retriable) {
    super(detail == null || detail.isEmpty() ? reason : reason + ": " + detail);
    this.reason = reason;
    this.retriable = retriable;
  }

  public String reason() {
    return reason;
  }

  /** True when trying again later may succeed (connection trouble, 5xx, 429). */
  public boolean retriable() {
    return retriable;
  }
}
