package dev.sluice.operators.transform;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * Instantiates a user transform named by class, at job construction, so a typo or a missing jar
 * fails the deployment with a clear message instead of a task failure later.
 */
public final class TransformLoader {

    private TransformLoader() {}

    /**
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    public static SluiceTransform instantiate(String className, ClassLoader classLoader) {
        Class<?> type;
        try {
            type = Class.forName(className.trim(), false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(
                    "transform class "
                            + className
                            + " is not on the classpath (put it in the job jar or a user jar)",
                    e);
        }
        if (!SluiceTransform.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    "transform class "
                            + className
                            + " does not implement "
                            + SluiceTransform.class.getName());
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("transform class " + className + " is abstract");
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (SluiceTransform) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    "transform class " + className + " needs a public no-argument constructor", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(
                    "transform class " + className + " could not be instantiated: " + e, e);
        }
    }
}
