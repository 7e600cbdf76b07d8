package dev.tollgate.agent.usage;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Bytes of primitive arrays and strings reachable from an object through instance fields: a
 * structural measure of what a tap holds on to (no heap or timing measurement involved). Of the
 * JDK's own types only strings, arrays, collections, maps and atomic references are followed.
 */
final class RetainedBytes {
  private RetainedBytes() {}

  static long of(Object root) {
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    Deque<Object> todo = new ArrayDeque<>();
    todo.push(root);
    long total = 0;
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (seen.put(o, Boolean.TRUE) != null) {
        continue;
      }
      Class<?> c = o.getClass();
      if (c.isArray()) {
        total += array(o, todo);
      } else if (o instanceof String) {
        total += ((String) o).length();
      } else if (o instanceof Collection) {
        ((Collection<?>) o).forEach(e -> push(todo, e));
      } else if (o instanceof Map) {
        ((Map<?, ?>) o).forEach((k, v) -> {
          push(todo, k);
          push(todo, v);
        });
      } else if (o instanceof AtomicReferenceArray) {
        AtomicReferenceArray<?> a = (AtomicReferenceArray<?>) o;
        for (int i = 0; i < a.length(); i++) {
          push(todo, a.get(i));
        }
      } else if (o instanceof AtomicReference) {
        push(todo, ((AtomicReference<?>) o).get());
      } else if (!isJdk(c)) {
        forEachField(o, (name, v) -> todo.push(v));
      }
    }
    return total;
  }

  /** {@link #of} for each instance field of {@code root}, to say where the bytes are. */
  static Map<String, Long> byField(Object root) {
    Map<String, Long> result = new java.util.TreeMap<>();
    forEachField(root, (name, v) -> result.put(name, of(v)));
    return result;
  }

  private static void push(Deque<Object> todo, @Nullable Object o) {
    if (o != null) {
      todo.push(o);
    }
  }

  private static long array(Object array, Deque<Object> todo) {
    Class<?> component = array.getClass().getComponentType();
    int length = Array.getLength(array);
    if (component.isPrimitive()) {
      return (long) length * (component == long.class || component == double.class ? 8
          : component == int.class || component == float.class ? 4
              : component == byte.class || component == boolean.class ? 1 : 2);
    }
    for (int i = 0; i < length; i++) {
      Object element = Array.get(array, i);
      if (element != null) {
        todo.push(element);
      }
    }
    return 0;
  }

  /** Each non-null reference held in an instance field of {@code o}, up to the JDK's own classes. */
  private static void forEachField(Object o, java.util.function.BiConsumer<String, Object> action) {
    for (Class<?> k = o.getClass(); k != null && !isJdk(k); k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        f.setAccessible(true);
        try {
          Object v = f.get(o);
          if (v != null) {
            action.accept(f.getName(), v);
          }
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  private static boolean isJdk(Class<?> c) {
    String n = c.getName();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
  }
}
