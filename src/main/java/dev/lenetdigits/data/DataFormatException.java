package dev.lenetdigits.data;

import dev.lenetdigits.UserException;

/** A data file that cannot be read as digits; the message names the file, and line and column where known. */
public class DataFormatException extends UserException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
