package org.mafstream.job.pipeline;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.mafstream.job.io.DeadLetter;

/** What a stage could handle goes on; what it gave up on goes to the {@link #DEAD_LETTERS} side output. */
public final class SplitDeadLetters<T> extends ProcessFunction<Either<T, DeadLetter>, T> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Splits {@code stream}; the dead letters are {@code result.getSideOutput(DEAD_LETTERS)}. */
    public static <T> SingleOutputStreamOperator<T> split(DataStream<Either<T, DeadLetter>> stream, Class<T> type,
                                                          String name) {
        return stream.process(new SplitDeadLetters<T>()).returns(TypeInformation.of(type)).name(name).uid(name);
    }

    private transient StageMetrics metrics;

    @Override
    public void open(OpenContext context) {
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Either<T, DeadLetter> record, Context ctx, Collector<T> out) {
        if (record.isLeft()) {
            metrics.count("passed");
            out.collect(record.left());
        } else {
            metrics.count("deadLettered." + record.right().reason);
            ctx.output(DEAD_LETTERS, record.right());
        }
    }
}
