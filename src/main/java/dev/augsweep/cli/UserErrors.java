package dev.augsweep.cli;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.train.TrainingDivergedException;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Errors a user can fix are printed as their message alone (it names the file, key and fix); bugs keep the trace. */
final class UserErrors implements IExecutionExceptionHandler {
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof InvalidConfigException || e instanceof CifarFormatException
                || e instanceof TrainingDivergedException || e instanceof AnalysisException) {
            String message = e instanceof AnalysisException a ? a.getSimpleMessage() : e.getMessage();
            cmd.getErr().println("error: " + message);
            return USER_ERROR;
        }
        e.printStackTrace(cmd.getErr());
        return 1;
    }
}
