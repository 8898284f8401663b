package dev.weft.p2p.arch;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;

/** ArchUnit rules the modules share (p2p's test-jar carries them to dht and cli). */
public final class ArchRules {
  private ArchRules() {}

  /**
   * One slice per package under {@code root}, the root package included: a cycle between any two
   * packages, parent and child alike, is reported.
   */
  public static SliceAssignment byPackage(String root) {
    return new SliceAssignment() {
      @Override public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        if (!p.equals(root) && !p.startsWith(root + ".")) return SliceIdentifier.ignore();
        return SliceIdentifier.of(p.equals(root) ? "(root " + root + ")" : p.substring(root.length() + 1));
      }

      @Override public String getDescription() {
        return "packages of " + root;
      }
    };
  }

  /**
   * Protocol code reads time and randomness only through what it is given (a scheduler, a clock,
   * a seeded random), so a simulation on virtual time repeats from its seed: no
   * {@code System.currentTimeMillis}/{@code nanoTime}, {@code Instant.now}, unseeded
   * {@code new Random()}, {@code Math.random}, {@code ThreadLocalRandom}, or {@code Thread.sleep}.
   * Method references ({@code System::nanoTime}) count as reads. Seeded {@code new Random(seed)}
   * and {@code SecureRandom} (keys, nonces) are allowed.
   *
   * @param allowed classes that are the clock implementations (fully qualified names)
   */
  public static ArchCondition<JavaClass> readNoRealTimeNorUnseededRandom(Set<String> allowed) {
    return new ArchCondition<>("read no real time, make no unseeded Random and never sleep") {
      @Override public void check(JavaClass c, ConditionEvents events) {
        if (allowed.contains(c.getName()) || allowed.contains(outermost(c).getName())) return;
        for (JavaAccess<?> a : c.getAccessesFromSelf()) {
          if (forbidden(a.getTarget())) events.add(SimpleConditionEvent.violated(a, a.getDescription()));
        }
      }
    };
  }

  private static JavaClass outermost(JavaClass c) {
    JavaClass o = c;
    while (o.getEnclosingClass().isPresent()) o = o.getEnclosingClass().get();
    return o;
  }

  static boolean forbidden(AccessTarget t) {
    String owner = t.getOwner().getName();
    String name = t.getName();
    return switch (owner) {
      case "java.lang.System" -> name.equals("currentTimeMillis") || name.equals("nanoTime");
      case "java.lang.Thread" -> name.equals("sleep");
      case "java.lang.Math", "java.lang.StrictMath" -> name.equals("random");
      case "java.util.concurrent.ThreadLocalRandom" -> name.equals("current");
      case "java.time.Instant", "java.time.LocalDateTime", "java.time.ZonedDateTime", "java.time.OffsetDateTime" -> name.equals("now");
      case "java.util.Random" -> name.equals("<init>") && t instanceof AccessTarget.CodeUnitAccessTarget cu && cu.getRawParameterTypes().isEmpty();
      default -> false;
    };
  }
}
