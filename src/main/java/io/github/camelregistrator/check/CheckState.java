package io.github.camelregistrator.check;

/**
 * Where one check stands: whether its service counts as up, and its passes and failures in a
 * row. The rule is nerve's (and HAProxy's): a failing service comes back after {@code rise}
 * passes in a row, a passing one goes after {@code fall} failures in a row; in between it
 * keeps its state.
 */
public record CheckState(boolean passing, int passes, int failures) {

    public static CheckState initial(CheckSpec spec) {
        return new CheckState(spec.initiallyPassing(), 0, 0);
    }

    /** The state after one more probe. */
    public CheckState next(boolean passed, int rise, int fall) {
        if (passed) {
            int inRow = Math.min(passes + 1, 1_000_000);
            return new CheckState(passing || inRow >= rise, inRow, 0);
        }
        int inRow = Math.min(failures + 1, 1_000_000);
        return new CheckState(passing && inRow < fall, 0, inRow);
    }

    public String label() {
        return passing ? "passing" : "critical";
    }
}
