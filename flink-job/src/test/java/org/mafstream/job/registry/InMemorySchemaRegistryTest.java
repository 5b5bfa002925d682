package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mafstream.job.registry.SampleSchemas.OTHER;
import static org.mafstream.job.registry.SampleSchemas.V1;
import static org.mafstream.job.registry.SampleSchemas.V2;
import static org.mafstream.job.registry.SampleSchemas.V3;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {
    private static final String SUBJECT = "sample-value";

    /** A scope of this test's own, so tests (and other test classes in the same JVM) never share one. */
    private String scope;
    private String otherScope;

    @BeforeEach
    void pickScopes() {
        scope = "registry-test-" + UUID.randomUUID();
        otherScope = scope + "-other";
    }

    @AfterEach
    void dropScopes() {
        InMemorySchemaRegistry.dropScope(scope);
        InMemorySchemaRegistry.dropScope(otherScope);
    }

    private static SchemaRegistryClient connect(String scope) {
        return SchemaRegistries.connect(RegistrySettings.of("mock://" + scope));
    }

    @Test
    void mockUrlGivesTheInMemoryRegistryOfThatScope() {
        assertThat(connect(scope)).isSameAs(InMemorySchemaRegistry.forScope(scope));
    }

    @Test
    void sameScopeIsShared() {
        SchemaRegistryClient first = connect(scope);
        SchemaRegistryClient second = connect(scope);

        int id = first.register(SUBJECT, V1);

        assertThat(second.getById(id)).isEqualTo(V1);
        assertThat(second.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(second.register(SUBJECT, V1)).isEqualTo(id);
    }

    @Test
    void differentScopesAreIsolated() {
        SchemaRegistryClient one = connect(scope);
        SchemaRegistryClient two = connect(otherScope);

        int idInOne = one.register(SUBJECT, V1);

        assertThatThrownBy(() -> two.getById(idInOne)).isInstanceOf(SchemaNotFoundException.class);
        assertThatThrownBy(() -> two.getId(SUBJECT, V1)).isInstanceOf(SchemaNotFoundException.class);
        // Each scope numbers its ids on its own.
        assertThat(two.register(SUBJECT, OTHER)).isEqualTo(idInOne);
        assertThat(one.getById(idInOne)).isEqualTo(V1);
        assertThat(two.getById(idInOne)).isEqualTo(OTHER);
    }

    @Test
    void dropScopeStartsItAfresh() {
        SchemaRegistryClient before = connect(scope);
        int id = before.register(SUBJECT, V1);

        InMemorySchemaRegistry.dropScope(scope);
        SchemaRegistryClient after = connect(scope);

        assertThat(after).isNotSameAs(before);
        assertThatThrownBy(() -> after.getById(id)).isInstanceOf(SchemaNotFoundException.class);
        assertThatThrownBy(() -> after.getId(SUBJECT, V1)).isInstanceOf(SchemaNotFoundException.class);
        // Incompatible with V1, which the dropped scope held under this subject: accepted now.
        assertThat(after.register(SUBJECT, OTHER)).isPositive();
    }

    @Test
    void registerIsIdempotentAndIdsAreGlobalAcrossSubjects() {
        SchemaRegistryClient registry = connect(scope);

        int v1 = registry.register(SUBJECT, V1);
        int v1Again = registry.register(SUBJECT, V1);
        int v1Elsewhere = registry.register("other-value", V1);
        int other = registry.register("third-value", OTHER);

        assertThat(v1Again).isEqualTo(v1);
        assertThat(v1Elsewhere).isEqualTo(v1);
        assertThat(other).isNotEqualTo(v1);
        assertThat(registry.getId("other-value", V1)).isEqualTo(v1);
        assertThat(registry.getById(other)).isEqualTo(OTHER);
    }

    @Test
    void compatibleEvolutionGetsANewId() {
        SchemaRegistryClient registry = connect(scope);

        int v1 = registry.register(SUBJECT, V1);
        int v2 = registry.register(SUBJECT, V2);

        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.getId(SUBJECT, V1)).isEqualTo(v1);
        assertThat(registry.getId(SUBJECT, V2)).isEqualTo(v2);
        // Re-registering an earlier version is a no-op, not a compatibility check against the latest.
        assertThat(registry.register(SUBJECT, V1)).isEqualTo(v1);
    }

    @Test
    void incompatibleRegistrationIs409AndLeavesNothingBehind() {
        SchemaRegistryClient registry = connect(scope);
        registry.register(SUBJECT, V1);
        registry.register(SUBJECT, V2);

        assertThatThrownBy(() -> registry.register(SUBJECT, V3))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining(SUBJECT);
        assertThatThrownBy(() -> registry.getId(SUBJECT, V3)).isInstanceOf(SchemaNotFoundException.class);
        // The rule is per subject: V3 is fine under a subject of its own.
        assertThat(registry.register("fresh-value", V3)).isPositive();
    }

    @Test
    void unknownIdIs40403() {
        assertThatThrownBy(() -> connect(scope).getById(99))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                });
    }

    @Test
    void unknownSubjectIs40401() {
        assertThatThrownBy(() -> connect(scope).getId("nobody-value", V1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                });
    }

    @Test
    void schemaNotUnderSubjectIs40403() {
        SchemaRegistryClient registry = connect(scope);
        registry.register(SUBJECT, V1);
        registry.register("other-value", OTHER);

        assertThatThrownBy(() -> registry.getId(SUBJECT, OTHER))
                .isInstanceOfSatisfying(SchemaNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403));
    }
}
