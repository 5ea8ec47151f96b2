package dev.sluice.operators.transform;

import dev.sluice.operators.transform.builtin.JsonValidationTransform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformLoaderTest {

    private static final ClassLoader LOADER = TransformLoaderTest.class.getClassLoader();

    @Test
    void aPublicTransformWithANoArgConstructorIsInstantiated() {
        assertThat(TransformLoader.instantiate(JsonValidationTransform.class.getName(), LOADER))
                .isInstanceOf(JsonValidationTransform.class);
    }

    @Test
    void aMissingClassIsNamedInTheError() {
        assertThatThrownBy(() -> TransformLoader.instantiate("com.example.Nope", LOADER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com.example.Nope is not on the classpath");
    }

    @Test
    void aClassThatIsNotATransformIsRejected() {
        assertThatThrownBy(() -> TransformLoader.instantiate("java.lang.String", LOADER))
                .hasMessageContaining("does not implement " + SluiceTransform.class.getName());
    }
}
