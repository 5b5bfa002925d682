package org.mafstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.model.testing.Fixtures;

/**
 * Every sentence of the tokenizer goldens (README section 6), produced by the original
 * convert_mm_examples_to_features, must come out identical: tokens, unpadded input_ids,
 * word_index, n_subwords_before_truncation and truncated.
 */
class GoldenTokenizationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MafTextEncoder encoder;

    @BeforeAll
    static void loadVocabulary() {
        Vocabulary vocab = BertBaseCased.vocabulary();
        assertThat(vocab.size()).isEqualTo(28996);
        encoder = new MafTextEncoder(vocab, false, 128);
    }

    @Test
    void twitter2017TestSetMatchesEveryLine() throws IOException {
        assertAllMatch("tokens_twitter2017_test.jsonl", 723);
    }

    @Test
    void edgeCasesMatchEveryLine() throws IOException {
        assertAllMatch("tokens_edge_cases.jsonl", 14);
    }

    private static void assertAllMatch(String file, int expectedLines) throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.mafTiny().resolve(file), StandardCharsets.UTF_8);
        List<String> mismatches = new ArrayList<>();
        int truncated = 0;
        for (String line : lines) {
            JsonNode golden = JSON.readTree(line);
            List<String> words = strings(golden.get("words"));
            EncodedText encoded = encoder.encode(words);
            String mismatch = encoded.words().equals(words) ? compare(golden, encoded) : "words re-split";
            if (mismatch != null) {
                mismatches.add(golden.get("guid").asText() + ": " + mismatch);
            }
            truncated += encoded.truncated() ? 1 : 0;
        }
        assertThat(lines).hasSize(expectedLines);
        assertThat(mismatches).as("sentences that differ from %s", file).isEmpty();
        if (file.contains("edge")) {
            assertThat(truncated).as("truncated edge cases").isEqualTo(3);
        }
    }

    /** The first difference, or null. */
    private static String compare(JsonNode golden, EncodedText encoded) {
        int n = encoded.length();
        List<String> tokens = strings(golden.get("tokens"));
        if (!tokens.equals(encoded.tokens())) {
            return "tokens " + encoded.tokens() + " != " + tokens;
        }
        if (!Arrays.equals(ints(golden.get("input_ids")), Arrays.copyOf(encoded.inputIds(), n))) {
            return "input_ids " + Arrays.toString(Arrays.copyOf(encoded.inputIds(), n));
        }
        if (!Arrays.equals(ints(golden.get("word_index")), Arrays.copyOf(encoded.wordIndex(), n))) {
            return "word_index " + Arrays.toString(Arrays.copyOf(encoded.wordIndex(), n));
        }
        if (golden.get("n_subwords_before_truncation").asInt() != encoded.subwordsBeforeTruncation()) {
            return "n_subwords_before_truncation " + encoded.subwordsBeforeTruncation();
        }
        if (golden.get("truncated").asBoolean() != encoded.truncated()) {
            return "truncated " + encoded.truncated();
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
