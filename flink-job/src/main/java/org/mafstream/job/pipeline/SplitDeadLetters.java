package org.mafstream.job.pipeline;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.IncomingPost;

/** Good posts go on; records the source could not decode go to the {@link #DEAD_LETTERS} side output. */
public final class SplitDeadLetters extends ProcessFunction<Either<IncomingPost, DeadLetter>, IncomingPost> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    @Override
    public void processElement(Either<IncomingPost, DeadLetter> record, Context ctx, Collector<IncomingPost> out) {
        if (record.isLeft()) {
            out.collect(record.left());
        } else {
            ctx.output(DEAD_LETTERS, record.right());
        }
    }
}
