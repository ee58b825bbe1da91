package dev.tcc.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the last build generated from each {@code .graph} file: a fingerprint of its inputs (the
 * file's bytes and the generator's settings) and the files it wrote. An unchanged fingerprint with
 * all outputs present means nothing needs regenerating; an entry whose source is gone names the
 * outputs to delete. Stored as a properties file under target/, like other plugins' state.
 */
final class BuildState {
    /** One source's record. */
    record Entry(String fingerprint, List<Path> outputs) {}

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();

    private BuildState(Path file) { this.file = file; }

    /** Reads the state; a missing or unreadable file is an empty state (everything is regenerated). */
    static BuildState load(Path file) {
        BuildState s = new BuildState(file);
        if (!Files.isRegularFile(file)) return s;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return s;
        }
        for (String key : p.stringPropertyNames()) {
            if (!key.endsWith(".fingerprint")) continue;
            String source = key.substring(0, key.length() - ".fingerprint".length());
            List<Path> outs = new ArrayList<>();
            String list = p.getProperty(source + ".outputs", "");
            for (String o : list.split("\n")) if (!o.isBlank()) outs.add(Path.of(o));
            s.entries.put(source, new Entry(p.getProperty(key), outs));
        }
        return s;
    }

    /** Whether {@code source} must be regenerated for this fingerprint. */
    boolean isStale(String source, String fingerprint) {
        Entry e = entries.get(source);
        if (e == null || !e.fingerprint().equals(fingerprint)) return true;
        for (Path o : e.outputs()) if (!Files.exists(o)) return true;
        return false;
    }

    Entry get(String source) { return entries.get(source); }

    void put(String source, String fingerprint, List<Path> outputs) {
        entries.put(source, new Entry(fingerprint, List.copyOf(outputs)));
    }

    /** Forgets sources that no longer exist and returns the outputs they had (to be deleted). */
    List<Path> removeAllExcept(Set<String> existing) {
        List<Path> orphans = new ArrayList<>();
        entries.entrySet().removeIf(en -> {
            if (existing.contains(en.getKey())) return false;
            orphans.addAll(en.getValue().outputs());
            return true;
        });
        return orphans;
    }

    /** Writes atomically, so an interrupted build leaves the old state (and regenerates next time). */
    void save() throws IOException {
        Properties p = new Properties();
        for (Map.Entry<String, Entry> en : entries.entrySet()) {
            p.setProperty(en.getKey() + ".fingerprint", en.getValue().fingerprint());
            StringBuilder b = new StringBuilder();
            for (Path o : en.getValue().outputs()) b.append(o).append('\n');
            p.setProperty(en.getKey() + ".outputs", b.toString());
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "state", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "tcc-maven-plugin build state: do not edit");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** SHA-256 over the given parts (file bytes and settings), hex. */
    static String fingerprint(byte[] content, String settings) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(content);
            md.update((byte) 0);
            md.update(settings.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
