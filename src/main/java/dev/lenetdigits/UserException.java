package dev.lenetdigits;

/**
 * An error the user caused and can fix: a missing or malformed file, a bad value, a device that is not
 * there. Its message is one line that names the file, line, column or value; the CLI prints it and exits
 * with code 2. Bugs are not wrapped in this type: they stay ordinary exceptions.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
