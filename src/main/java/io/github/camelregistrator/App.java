package io.github.camelregistrator;

import java.util.Arrays;

import io.github.camelregistrator.config.CommandLine;
import io.github.camelregistrator.observe.ExplainCommand;

/**
 * Entry point: {@code java -jar camel-registrator.jar [--help] [--version] [--name=value ...]}, or
 * {@code explain <container> [--name=value ...]}. Dispatched here so that config never imports observe.
 */
public final class App {
    private App() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("explain")) {
            System.exit(ExplainCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(CommandLine.run(args));
    }
}
