package org.mafstream.model.train;

/** {@code model-export train}: not built yet (issue 9, in progress). */
public final class TrainCommand {
    private TrainCommand() {}

    public static void main(String[] args) {
        System.err.println("model-export train: not built yet");
        System.exit(2);
    }
}
