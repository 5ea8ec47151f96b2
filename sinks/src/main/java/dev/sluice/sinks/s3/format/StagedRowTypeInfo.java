package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * The Flink type of {@link StagedRow}: serialized by {@link StagedRowSerializer}. {@link StagedRow}
 * names {@link Factory} in its {@code @TypeInfo} annotation, so {@code
 * TypeInformation.of(StagedRow.class)} and Flink's type extraction both give this type.
 */
public final class StagedRowTypeInfo extends TypeInformation<StagedRow> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<StagedRow> getTypeClass() {
        return StagedRow.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<StagedRow> createSerializer(SerializerConfig config) {
        return StagedRowSerializer.INSTANCE;
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<StagedRow> createSerializer(ExecutionConfig config) {
        return StagedRowSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "StagedRow";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StagedRowTypeInfo;
    }

    @Override
    public int hashCode() {
        return StagedRowTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof StagedRowTypeInfo;
    }

    /** What {@link StagedRow}'s {@code @TypeInfo} names. */
    public static final class Factory extends TypeInfoFactory<StagedRow> {
        @Override
        public TypeInformation<StagedRow> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new StagedRowTypeInfo();
        }
    }
}
