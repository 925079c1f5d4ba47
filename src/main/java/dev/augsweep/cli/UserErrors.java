package dev.augsweep.cli;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.driver.ResultsBusyException;
import dev.augsweep.driver.SparkShutDownException;
import dev.augsweep.storage.StorageErrors;
import dev.augsweep.storage.StorageException;
import dev.augsweep.train.TrainingDivergedException;
import java.util.function.Function;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Errors a user can fix are printed as one line, their message (it names the file, key or path and the fix), with
 * exit status 2; the stack trace only with --verbose. A store that failed for a reason the user can act on (Spark and
 * Delta wrap those too, so the whole cause chain is read) is one of them. Bugs keep the trace and exit 1.
 */
final class UserErrors implements IExecutionExceptionHandler {
    static final int USER_ERROR = 2;
    private final Function<CommandLine, Boolean> verbose;

    UserErrors(Function<CommandLine, Boolean> verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        String message = userMessage(e);
        if (message == null) {
            e.printStackTrace(cmd.getErr());
            return 1;
        }
        if (verbose.apply(cmd)) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().println("error: " + message);
        return USER_ERROR;
    }

    /** The one line for the user, or null for a failure that is not theirs to fix. */
    static String userMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageException s && s.userMessage() != null) {
                return s.userMessage();
            }
            if (t instanceof InvalidConfigException || t instanceof CifarFormatException
                    || t instanceof TrainingDivergedException || t instanceof ResultsBusyException
                    || t instanceof SparkShutDownException) {
                return t.getMessage();
            }
            if (t instanceof AnalysisException a) {
                return a.getSimpleMessage();
            }
        }
        return StorageErrors.explain(null, null, e); // a store's failure inside Spark's or Delta's own reads
    }
}
