package dev.sluice.operators.transform;

import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * Instantiates a user transform named by class, at job construction, so a typo or a missing jar
 * fails the deployment with a clear message instead of a task failure later.
 */
public final class TransformLoader {

    private TransformLoader() {}

    /**
     * @return the transform; a {@link KeyedSluiceTransform} comes wrapped as a {@link KeyedStep}
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    public static SluiceTransform instantiate(String className, ClassLoader classLoader) {
        Class<?> type = load(className, classLoader);
        if (KeyedSluiceTransform.class.isAssignableFrom(type)) {
            return new KeyedStep(instantiate(className, KeyedSluiceTransform.class, classLoader));
        }
        if (!SluiceTransform.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    "transform class "
                            + className
                            + " does not implement "
                            + SluiceTransform.class.getName()
                            + " (or "
                            + KeyedSluiceTransform.class.getName()
                            + ")");
        }
        return instantiate(className, SluiceTransform.class, classLoader);
    }

    /**
     * A user class of the given type (a transform, a key selector) from its public no-argument
     * constructor.
     *
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    public static <T> T instantiate(String className, Class<T> expected, ClassLoader classLoader) {
        Class<?> type = load(className, classLoader);
        if (!expected.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    "class " + className + " does not implement " + expected.getName());
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("transform class " + className + " is abstract");
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return expected.cast(constructor.newInstance());
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    "transform class " + className + " needs a public no-argument constructor", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(
                    "transform class " + className + " could not be instantiated: " + e, e);
        }
    }

    private static Class<?> load(String className, ClassLoader classLoader) {
        try {
            return Class.forName(className.trim(), false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(
                    "transform class "
                            + className
                            + " is not on the classpath (put it in the job jar or a user jar)",
                    e);
        }
    }
}
