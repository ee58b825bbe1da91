package dev.tcc.lang;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean" suggestions by edit distance. */
public final class Names {
    private Names() {}

    /** Levenshtein distance, case-sensitive, with a case-only difference counting as half an edit. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** The candidates close enough to {@code name} to suggest, nearest first (at most three). */
    public static List<String> closest(String name, Collection<String> candidates) {
        int limit = Math.max(1, Math.min(3, (name.length() + 1) / 3));
        List<String> out = new ArrayList<>();
        for (String c : candidates) {
            if (c.equals(name)) continue;
            int d = c.equalsIgnoreCase(name) ? 0 : distance(name, c);
            if (d <= limit || (name.length() >= 3 && c.startsWith(name))) out.add(c);
        }
        out.sort(Comparator.comparingInt((String c) -> c.equalsIgnoreCase(name) ? 0 : distance(name, c)).thenComparing(c -> c));
        return out.size() > 3 ? out.subList(0, 3) : out;
    }

    /** {@code "; did you mean 'w1'?"}, {@code "; did you mean 'w1' or 'w2'?"}, or "" when nothing is close. */
    public static String didYouMean(String name, Collection<String> candidates) {
        List<String> c = closest(name, candidates);
        if (c.isEmpty()) return "";
        StringBuilder b = new StringBuilder("; did you mean ");
        for (int i = 0; i < c.size(); i++) {
            if (i > 0) b.append(i == c.size() - 1 ? " or " : ", ");
            b.append('\'').append(c.get(i)).append('\'');
        }
        return b.append('?').toString();
    }
}
