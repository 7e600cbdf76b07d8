package dev.tollgate.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build-time half of the OpenTelemetry agent's "muzzle", for every instrumentation of {@link
 * Instrumentations#ALL}: its advice (inlined into the library) and its support (defined beside the
 * library) may refer only to the JDK, the boot-loader hook bridge, their own package and the
 * library's packages the descriptor declares. Anything else of the agent is invisible from where
 * that code runs, and would fail there with a {@code NoClassDefFoundError}.
 */
class SupportIsolationTest {
  private static final List<String> JDK = List.of("java/", "javax/", "jdk/", "sun/");
  private static final String BOOTSTRAP = "dev/tollgate/agent/bootstrap/";
  /** Advice annotations: read by Byte Buddy when it inlines, never resolved where the code runs. */
  private static final List<String> ADVICE_ANNOTATIONS = List.of("net/bytebuddy/asm/Advice", "net/bytebuddy/implementation/bytecode/assign/Assigner");

  static Stream<InstrumentationModule> modules() {
    return Instrumentations.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void adviceAndSupport_referOnlyToTheJdkTheBridgeTheirPackageAndTheLibrary(InstrumentationModule module) throws Exception {
    List<Path> classes = new ArrayList<>();
    for (String pkg : module.advicePackages()) {
      classes.addAll(classFiles(pkg, name -> name.contains("Advice")));
    }
    if (module.support != null) {
      classes.addAll(classFiles(module.support.supportPackage(), name -> true));
    }
    assertThat(classes).as("%s: advice or support classes found", module).isNotEmpty();
    for (Path c : classes) {
      String own = packageOf(c);
      Set<String> stray = references(c).stream()
          .filter(r -> !allowed(r, own, module.libraryPackages))
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(stray).as("%s: %s refers to", module, c.getFileName()).isEmpty();
    }
  }

  @Test
  void theCheck_findsAReferenceToTheAgentsInternals() throws Exception {
    Path guard = classFiles("dev.tollgate.agent.instrument.net", name -> name.equals("UnmeteredTrafficGuard.class")).get(0);
    assertThat(references(guard)).filteredOn(r -> !allowed(r, packageOf(guard), List.of())).contains("dev/tollgate/agent/log/Log");
  }

  private static boolean allowed(String ref, String ownPackage, List<String> library) {
    if (JDK.stream().anyMatch(ref::startsWith) || ref.startsWith(BOOTSTRAP) || ADVICE_ANNOTATIONS.stream().anyMatch(ref::startsWith)) {
      return true;
    }
    if (ref.startsWith(ownPackage) && ref.indexOf('/', ownPackage.length()) < 0) {
      return true;
    }
    return library.stream().anyMatch(p -> ref.startsWith(p.replace('.', '/')));
  }

  private static String packageOf(Path classFile) {
    String name;
    try {
      name = new ClassReader(Files.readAllBytes(classFile)).getClassName();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return name.substring(0, name.lastIndexOf('/') + 1);
  }

  /** Every type the class file names: in its constant pool, signatures, annotations, frames. */
  private static Set<String> references(Path classFile) throws IOException {
    Set<String> refs = new TreeSet<>();
    new ClassReader(Files.readAllBytes(classFile)).accept(new ClassRemapper(new ClassWriter(0), new Remapper() {
      @Override
      public String map(String internalName) {
        refs.add(internalName);
        return internalName;
      }
    }), 0);
    return refs;
  }

  private static List<Path> classFiles(String pkg, java.util.function.Predicate<String> name) throws URISyntaxException, IOException {
    Path dir = Path.of(SupportIsolationTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolveSibling("classes").resolve(pkg.replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".class") && name.test(p.getFileName().toString())).sorted().collect(Collectors.toList());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
