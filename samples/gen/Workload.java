import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Synthetic JVM workload used to produce real NMT snapshots and GC logs for jvmem's tests.
 *
 * Compile once with {@code javac --release 11 -d out Workload.java}; run on any JDK 11+:
 * <pre>
 *   java -cp out Workload MODE [--seconds N] [options]
 * </pre>
 * Modes (every mode also does allocation churn over a bounded live set):
 * <ul>
 *   <li>{@code steady}      churn only: GC sawtooth, no leak</li>
 *   <li>{@code heap-leak}   retains "decoded images" (byte[]) in a static list, ~1 MB/s</li>
 *   <li>{@code direct-leak} retains ByteBuffer.allocateDirect buffers, ~512 KB/s</li>
 *   <li>{@code class-leak}  keeps fresh class loaders reachable, each defining new classes, ~40 classes/s</li>
 *   <li>{@code thread-leak} starts ~2 threads/s that park forever</li>
 *   <li>{@code combined}    heap-leak + direct-leak + class-leak at once ("three culprits")</li>
 *   <li>{@code humongous}   heap-leak with 4 MB "images" (G1 humongous regions)</li>
 *   <li>{@code cache}       control: heap retained at --heap-kb until --cache-mb, then a plateau</li>
 *   <li>{@code direct-sawtooth} control: direct buffers up to --direct-peak-mb, then all released</li>
 *   <li>{@code thread-pool} control: threads start at --threads/s until --max-threads, then none</li>
 * </ul>
 * Several modes can be joined with commas ({@code heap-leak,thread-leak}): each runs at once.
 * Options (rates are per second):
 * <pre>
 *   --seconds N          run time, default 60
 *   --churn-mb N         short-lived garbage, MB/s, default 32
 *   --live-mb N          bounded live set that is slowly replaced (old-gen garbage), default 16
 *   --system-gc N        call System.gc() every N seconds, 0 = never (default)
 *   --heap-kb N          heap leak rate, KB/s, default 1024
 *   --direct-kb N        direct buffer leak rate, KB/s, default 512
 *   --classes N          class leak rate, classes/s, default 40
 *   --threads N          thread leak rate, threads/s, default 2
 *   --image-kb N         size of one leaked heap "image", default 256 (humongous: 4096)
 *   --direct-chunk-kb N  size of one leaked direct buffer, default 64 (large = leak in steps)
 *   --class-churn N      classes/s defined by loaders that are dropped at once (metaspace churn)
 *   --cache-mb N         cache mode: size of the plateau, default 64
 *   --direct-peak-mb N   direct-sawtooth: peak before release, default 64
 *   --max-threads N      thread-pool: pool size, default 40
 * </pre>
 * It prints one line when it starts and one when it ends, nothing else.
 */
public final class Workload {

    // ---- everything that is leaked on purpose stays reachable from these statics ----
    static final List<byte[]> DECODED_IMAGES = new ArrayList<>();
    static final List<ByteBuffer> DIRECT_BUFFERS = new ArrayList<>();
    static final List<ClassLoader> PLUGIN_LOADERS = new ArrayList<>();
    static final List<Object> PLUGIN_INSTANCES = new ArrayList<>();
    static final List<Thread> PARKED_THREADS = new ArrayList<>();

    public static volatile long sink;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Workload MODE[,MODE...] [--seconds N] ...  (MODE: steady heap-leak direct-leak class-leak thread-leak combined humongous cache direct-sawtooth thread-pool)");
            System.exit(2);
        }
        String mode = args[0];
        Map<String, Double> opt = new HashMap<>();
        opt.put("--seconds", 60.0);
        opt.put("--churn-mb", 32.0);
        opt.put("--live-mb", 16.0);
        opt.put("--system-gc", 0.0);
        opt.put("--heap-kb", 1024.0);
        opt.put("--direct-kb", 512.0);
        opt.put("--classes", 40.0);
        opt.put("--threads", 2.0);
        opt.put("--image-kb", -1.0);
        opt.put("--direct-chunk-kb", 64.0);
        opt.put("--class-churn", 0.0);
        opt.put("--cache-mb", 64.0);
        opt.put("--direct-peak-mb", 64.0);
        opt.put("--max-threads", 40.0);
        for (int i = 1; i < args.length; i++) {
            if (!opt.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("unknown or incomplete option: " + args[i]);
                System.exit(2);
            }
            opt.put(args[i], Double.parseDouble(args[++i]));
        }
        java.util.Set<String> modes = new java.util.HashSet<>(java.util.Arrays.asList(mode.split(",")));
        java.util.Set<String> known = new java.util.HashSet<>(java.util.Arrays.asList("steady", "heap-leak",
                "direct-leak", "class-leak", "thread-leak", "combined", "humongous", "cache", "direct-sawtooth",
                "thread-pool"));
        for (String m : modes) {
            if (!known.contains(m)) {
                System.err.println("unknown mode: " + m);
                System.exit(2);
            }
        }
        boolean combined = modes.contains("combined");
        boolean humongous = modes.contains("humongous");
        boolean cache = modes.contains("cache");
        boolean heapLeak = modes.contains("heap-leak") || combined || humongous || cache;
        boolean directSawtooth = modes.contains("direct-sawtooth");
        boolean directLeak = modes.contains("direct-leak") || combined || directSawtooth;
        boolean classLeak = modes.contains("class-leak") || combined;
        boolean threadPool = modes.contains("thread-pool");
        boolean threadLeak = modes.contains("thread-leak") || threadPool;

        double seconds = opt.get("--seconds");
        double churnBytes = opt.get("--churn-mb") * 1024 * 1024;
        int liveChunks = (int) Math.max(1, opt.get("--live-mb") * 16); // 64 KB chunks
        double systemGcEvery = opt.get("--system-gc");
        double heapBytes = opt.get("--heap-kb") * 1024;
        double directBytes = opt.get("--direct-kb") * 1024;
        double classesPerSec = opt.get("--classes");
        double threadsPerSec = opt.get("--threads");
        int imageBytes = (int) (1024 * (opt.get("--image-kb") > 0 ? opt.get("--image-kb") : humongous ? 4096 : 256));
        int directChunk = (int) (1024 * opt.get("--direct-chunk-kb"));
        double churnClassesPerSec = opt.get("--class-churn");
        long cacheBytes = cache ? (long) (opt.get("--cache-mb") * 1024 * 1024) : Long.MAX_VALUE;
        long directPeak = directSawtooth ? (long) (opt.get("--direct-peak-mb") * 1024 * 1024) : Long.MAX_VALUE;
        int maxThreads = threadPool ? (int) (double) opt.get("--max-threads") : Integer.MAX_VALUE;
        long heapHeld = 0, directHeld = 0;
        double churnDue = 0;

        System.out.println("workload: mode=" + mode + " seconds=" + (long) seconds + " pid=" + ProcessHandle.current().pid());

        byte[][] live = new byte[liveChunks][];
        byte[][] pluginBytes = loadPluginBytes(classLeak || churnClassesPerSec > 0);
        java.util.Random rnd = new java.util.Random(42);

        final long tickNanos = 50_000_000L; // 20 ticks per second
        final double tickSec = tickNanos / 1e9;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long nextTick = start;
        long nextSystemGc = systemGcEvery > 0 ? start + (long) (systemGcEvery * 1e9) : Long.MAX_VALUE;
        double heapDue = 0, directDue = 0, classesDue = 0, threadsDue = 0;
        int loaderSeq = 0;

        while (System.nanoTime() < end) {
            // ---- churn: short-lived garbage plus slow replacement of the bounded live set ----
            long budget = (long) (churnBytes * tickSec);
            while (budget > 0) {
                int size = 256 + rnd.nextInt(32 * 1024);
                byte[] garbage = new byte[size];
                garbage[size - 1] = (byte) size;
                sink += garbage[size / 2] + garbage.length;
                if (rnd.nextInt(16) == 0) {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < 20; k++) sb.append("req-").append(k).append(';');
                    sink += sb.toString().hashCode();
                }
                budget -= size;
            }
            for (int k = 0; k < 2; k++) {
                live[rnd.nextInt(liveChunks)] = new byte[64 * 1024];
            }

            // ---- leaks ----
            if (heapLeak) {
                if (heapHeld < cacheBytes) heapDue += heapBytes * tickSec;
                while (heapDue >= imageBytes) { // one "decoded image", 256 KB by default
                    byte[] img = new byte[imageBytes];
                    for (int p = 0; p < img.length; p += 4096) img[p] = (byte) p;
                    DECODED_IMAGES.add(img);
                    heapHeld += imageBytes;
                    heapDue -= imageBytes;
                }
            }
            if (directLeak) {
                directDue += directBytes * tickSec;
                while (directDue >= directChunk) { // Netty-like 64 KB chunk by default
                    ByteBuffer b = ByteBuffer.allocateDirect(directChunk);
                    for (int p = 0; p + 8 <= directChunk; p += 4096) b.putLong(p, System.nanoTime());
                    DIRECT_BUFFERS.add(b);
                    directHeld += directChunk;
                    directDue -= directChunk;
                }
                if (directHeld >= directPeak) { // sawtooth: release everything, let the GC free it
                    DIRECT_BUFFERS.clear();
                    directHeld = 0;
                    System.gc();
                }
            }
            if (classLeak) {
                classesDue += classesPerSec * tickSec;
                while (classesDue >= pluginBytes.length) { // one loader defines all plugin classes
                    PluginLoader loader = new PluginLoader("agent-plugin-" + (loaderSeq++), pluginBytes);
                    for (int c = 0; c < pluginBytes.length; c++) {
                        Class<?> k = loader.loadClass(pluginName(c));
                        Object o = k.getDeclaredConstructor().newInstance();
                        ((Runnable) o).run();
                        PLUGIN_INSTANCES.add(o);
                    }
                    PLUGIN_LOADERS.add(loader);
                    classesDue -= pluginBytes.length;
                }
            }
            if (churnClassesPerSec > 0) { // loaders used once and dropped: metaspace churn, no leak
                churnDue += churnClassesPerSec * tickSec;
                while (churnDue >= pluginBytes.length) {
                    PluginLoader loader = new PluginLoader("request-plugin-" + (loaderSeq++), pluginBytes);
                    for (int c = 0; c < pluginBytes.length; c++) {
                        Object o = loader.loadClass(pluginName(c)).getDeclaredConstructor().newInstance();
                        ((Runnable) o).run();
                    }
                    churnDue -= pluginBytes.length;
                }
            }
            if (threadLeak) {
                if (PARKED_THREADS.size() < maxThreads) threadsDue += threadsPerSec * tickSec;
                while (threadsDue >= 1) {
                    Thread t = new Thread(() -> {
                        while (true) LockSupport.park();
                    }, "leaked-worker-" + PARKED_THREADS.size());
                    t.setDaemon(true);
                    t.start();
                    PARKED_THREADS.add(t);
                    threadsDue -= 1;
                }
            }

            long now = System.nanoTime();
            if (now >= nextSystemGc) {
                System.gc();
                nextSystemGc += (long) (systemGcEvery * 1e9);
            }
            nextTick += tickNanos;
            long sleep = nextTick - System.nanoTime();
            if (sleep > 0) LockSupport.parkNanos(sleep);
        }

        System.out.println("workload: done mode=" + mode
                + " images=" + DECODED_IMAGES.size()
                + " directBuffers=" + DIRECT_BUFFERS.size()
                + " loaders=" + PLUGIN_LOADERS.size()
                + " threads=" + PARKED_THREADS.size());
    }

    static final int PLUGIN_CLASSES = 5;

    static String pluginName(int i) {
        return "Workload$Plugin" + i;
    }

    static byte[][] loadPluginBytes(boolean needed) throws IOException {
        if (!needed) return new byte[0][];
        byte[][] out = new byte[PLUGIN_CLASSES][];
        for (int i = 0; i < PLUGIN_CLASSES; i++) {
            String res = "/" + pluginName(i) + ".class";
            try (InputStream in = Workload.class.getResourceAsStream(res)) {
                if (in == null) throw new IOException("missing class resource " + res);
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) bos.write(buf, 0, n);
                out[i] = bos.toByteArray();
            }
        }
        return out;
    }

    /** A loader that defines the plugin classes itself (a fresh copy each time) instead of delegating. */
    static final class PluginLoader extends ClassLoader {
        private final byte[][] bytes;

        PluginLoader(String name, byte[][] bytes) {
            super(name, Workload.class.getClassLoader());
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                for (int i = 0; i < bytes.length; i++) {
                    if (name.equals(pluginName(i))) {
                        Class<?> c = findLoadedClass(name);
                        if (c == null) c = defineClass(name, bytes[i], 0, bytes[i].length);
                        if (resolve) resolveClass(c);
                        return c;
                    }
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    // ---- plugin classes: their bytecode is re-defined by every PluginLoader ----

    public static class Plugin0 implements Runnable {
        static final String[] NAMES = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
        long state;
        public Plugin0() { }
        public void run() { for (String n : NAMES) state += mix(n.hashCode()); Workload.sink += state; }
        long mix(long x) { x ^= x >>> 33; x *= 0xff51afd7ed558ccdL; x ^= x >>> 33; return x; }
        public int a(int x) { return x * 31 + 7; }
        public int b(int x) { return a(x) ^ (x << 3); }
        public int c(int x) { return b(x) - a(x) + x % 13; }
        public String d(String s) { return s + ":" + s.length() + ":" + state; }
    }

    public static class Plugin1 implements Runnable {
        final Map<String, Integer> cache = new HashMap<>();
        public Plugin1() { }
        public void run() { for (int i = 0; i < 8; i++) cache.put("k" + i, i * i); Workload.sink += cache.size(); }
        public int lookup(String k) { Integer v = cache.get(k); return v == null ? -1 : v; }
        public int sum() { int s = 0; for (int v : cache.values()) s += v; return s; }
        public String describe() { return "Plugin1" + cache; }
        public void clear() { cache.clear(); }
    }

    public static class Plugin2 implements Runnable {
        double[] weights = new double[16];
        public Plugin2() { }
        public void run() { for (int i = 0; i < weights.length; i++) weights[i] = Math.sqrt(i + 1.0); Workload.sink += (long) score(); }
        public double score() { double s = 0; for (double w : weights) s += w * w; return s; }
        public double max() { double m = Double.MIN_VALUE; for (double w : weights) m = Math.max(m, w); return m; }
        public void scale(double f) { for (int i = 0; i < weights.length; i++) weights[i] *= f; }
    }

    public static class Plugin3 implements Runnable {
        static int instances;
        final StringBuilder log = new StringBuilder();
        public Plugin3() { instances++; }
        public void run() { log.append("plugin3 instance ").append(instances).append('\n'); Workload.sink += log.length(); }
        public String text() { return log.toString(); }
        public int lines() { int n = 0; for (int i = 0; i < log.length(); i++) if (log.charAt(i) == '\n') n++; return n; }
        public boolean contains(String s) { return log.indexOf(s) >= 0; }
    }

    public static class Plugin4 implements Runnable {
        public enum Kind { SMALL, MEDIUM, LARGE, HUGE }
        Kind kind = Kind.SMALL;
        public Plugin4() { }
        public void run() { kind = classify(Workload.sink & 0xffff); Workload.sink += kind.ordinal(); }
        public Kind classify(long n) {
            if (n < 100) return Kind.SMALL;
            if (n < 1000) return Kind.MEDIUM;
            if (n < 10000) return Kind.LARGE;
            return Kind.HUGE;
        }
        public String name() { return kind.name().toLowerCase(); }
    }
}
