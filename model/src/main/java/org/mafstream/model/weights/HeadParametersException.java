package org.mafstream.model.weights;

import java.io.IOException;

/** A heads directory that is missing, corrupt or not the shape its reader needs. */
public final class HeadParametersException extends IOException {
    public HeadParametersException(String message) {
        super(message);
    }
}
