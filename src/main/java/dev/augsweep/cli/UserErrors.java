package dev.augsweep.cli;

import dev.augsweep.config.InvalidConfigException;
import dev.augsweep.data.CifarFormatException;
import dev.augsweep.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Errors a user can fix are printed as their message alone (it names the file, key and fix); bugs keep the trace. */
final class UserErrors implements IExecutionExceptionHandler {
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof InvalidConfigException || e instanceof CifarFormatException
                || e instanceof TrainingDivergedException) {
            cmd.getErr().println("error: " + e.getMessage());
            return USER_ERROR;
        }
        e.printStackTrace(cmd.getErr());
        return 1;
    }
}
