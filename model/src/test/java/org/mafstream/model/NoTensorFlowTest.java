package org.mafstream.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract stays free of TensorFlow and DJL: code that only reads bundles or decodes does not load a native engine. */
class NoTensorFlowTest {

    @Test
    void neitherDjlNorTensorFlowIsOnThisModulesClassPath() {
        for (String engineClass : List.of("ai.djl.engine.Engine", "org.tensorflow.Graph", "org.tensorflow.proto.framework.ConfigProto")) {
            assertThatThrownBy(() -> Class.forName(engineClass)).as(engineClass).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
