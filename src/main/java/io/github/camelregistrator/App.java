package io.github.camelregistrator;

import io.github.camelregistrator.config.CommandLine;

/** Entry point: {@code java -jar camel-registrator.jar [--help] [--version] [--name=value ...]}. */
public final class App {
    private App() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(CommandLine.run(args));
    }
}
