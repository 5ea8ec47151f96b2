package dev.sluice.localstack;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Picks the emulator a {@link KinesisEmulatorExtension} declared without a kind starts for this
 * test class, so a class can run on kinesis-local while sharing a test base whose extension field
 * defaults to kinesalite.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface UseKinesisEmulator {

    KinesisEmulator.Kind value();
}
