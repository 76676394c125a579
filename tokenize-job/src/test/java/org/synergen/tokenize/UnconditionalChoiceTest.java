package org.synergen.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnconditionalChoiceTest {

  /** Fractions computed independently in Python: int.from_bytes(sha256(b"42/" + key)[:8]) >> 11, times 2^-53. */
  @Test
  void fractionIsTheSha256OfSeedAndKey() {
    assertEquals(0.8271476410956898, UnconditionalChoice.fraction("000000000", 42), 0);
    assertEquals(0.6260229552604767, UnconditionalChoice.fraction("000000001", 42), 0);
    assertEquals(0.009802070461576662, UnconditionalChoice.fraction("000000015", 42), 0);
    assertEquals(0.09576302090941202, UnconditionalChoice.fraction("000000019", 42), 0);
  }

  @Test
  void theKeysBelowTheRatioAreTheChosenOnes() {
    // below 0.1 among keys 0..39 (same Python computation): 15, 16, 19, 32, 35
    for (int i = 0; i < 40; i++) {
      String key = String.format("%09d", i);
      boolean expected = i == 15 || i == 16 || i == 19 || i == 32 || i == 35;
      assertEquals(expected, UnconditionalChoice.unconditional(key, 42, 0.1), key);
      assertEquals(expected, UnconditionalChoice.unconditional(key, 42, 0.1), key + " (asked again)");
    }
  }

  @Test
  void aboutTenPercentOverManyKeysAndTheSeedMatters() {
    int n = 100_000;
    int chosen = 0;
    int chosenOtherSeed = 0;
    int both = 0;
    for (int i = 0; i < n; i++) {
      String key = "laion-" + i;
      boolean a = UnconditionalChoice.unconditional(key, 42, 0.1);
      boolean b = UnconditionalChoice.unconditional(key, 7, 0.1);
      chosen += a ? 1 : 0;
      chosenOtherSeed += b ? 1 : 0;
      both += a && b ? 1 : 0;
    }
    // binomial(100000, 0.1): sd ~ 95, so +-500 is over 5 sd
    assertEquals(10_000, chosen, 500);
    assertEquals(10_000, chosenOtherSeed, 500);
    // independent choices overlap on ~1% of keys, not ~10%
    assertEquals(1_000, both, 200);
  }

  @Test
  void ratioZeroAndOneAreNeverAndAlways() {
    assertFalse(UnconditionalChoice.unconditional("000000015", 42, 0.0));
    assertTrue(UnconditionalChoice.unconditional("000000000", 42, 1.0));
  }
}
