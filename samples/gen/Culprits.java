// A small service with four named leaks, for jvmem's drill-down ("from category to culprit").
//
//   java -XX:NativeMemoryTracking=detail Culprits leak|steady SECONDS
//
// Every 100 ms it serves a "request" that touches all four kinds of memory (at different
// rates, so that the instance counts of one leak do not pose as the holder of another):
//   heap:      ThumbnailCache decodes an image into int[] pixels and caches it in an Entry
//   metaspace: a PluginClassLoader per plugin request (every 3rd) defines the Plugin class
//   threads:   the JobScheduler starts a "job-runner-N" thread per scheduled job (every 2 s)
//   direct:    BufferPool hands out 16 KiB direct ByteBuffers
// In "leak" mode nothing is given back: the cache never evicts, the loaders are kept in a
// registry, the job threads never end, the buffers are never returned. In "steady" mode the
// same work is done and everything is released (bounded cache, loaders dropped, jobs finish,
// buffers reused): the control, in which jvmem must name nothing.
// Compile with `javac --release 11` so one build runs on JDK 11, 17, 21 and 25.

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Culprits {
    static boolean leak;

    public static void main(String[] args) throws Exception {
        leak = args.length > 0 && args[0].equals("leak");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 120;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ThumbnailCache cache = new ThumbnailCache(leak ? Integer.MAX_VALUE : 200);
        PluginRegistry plugins = new PluginRegistry();
        JobScheduler jobs = new JobScheduler();
        BufferPool pool = new BufferPool();
        long request = 0;
        while (System.nanoTime() < end) {
            request++;
            cache.thumbnail("img-" + request);
            if (request % 3 == 0) {
                plugins.handle(request);
            }
            ByteBuffer buffer = pool.acquire();
            buffer.putLong(0, request);
            if (!leak) {
                pool.release(buffer);
            }
            if (request % 20 == 0) {
                jobs.schedule(request);
            }
            Thread.sleep(100);
        }
        System.out.println("served " + request + " requests");
        System.exit(0);
    }

    /** The class every plugin loader defines (public: each loader is its own runtime package). */
    public static class Plugin {
        public long run(long request) {
            return request * 31 + 7;
        }
    }
}

/** Decoded thumbnails by key; unbounded in leak mode. */
class ThumbnailCache {
    static final class Entry {
        final String key;
        final int[] pixels;
        long lastUsed;

        Entry(String key, int[] pixels) {
            this.key = key;
            this.pixels = pixels;
            this.lastUsed = System.nanoTime();
        }
    }

    private final Map<String, Entry> entries;

    ThumbnailCache(final int capacity) {
        // Inside the anonymous LinkedHashMap, `Entry` would name LinkedHashMap.Entry.
        entries = new LinkedHashMap<String, ThumbnailCache.Entry>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ThumbnailCache.Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    int[] thumbnail(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(key, decode(key));
            entries.put(key, e);
        }
        e.lastUsed = System.nanoTime();
        return e.pixels;
    }

    /** "Decodes" a 64x64 ARGB image: 16 KiB of pixels. */
    private static int[] decode(String key) {
        int[] pixels = new int[64 * 64];
        int seed = key.hashCode();
        for (int i = 0; i < pixels.length; i++) {
            seed = seed * 1103515245 + 12345;
            pixels[i] = seed | 0xff000000;
        }
        return pixels;
    }
}

/** One class loader per request (a per-request plugin sandbox). */
class PluginClassLoader extends ClassLoader {
    PluginClassLoader(ClassLoader parent) {
        super(parent);
    }

    Class<?> definePlugin(byte[] bytes) {
        return defineClass("Culprits$Plugin", bytes, 0, bytes.length);
    }
}

/** Runs each request in a fresh plugin loader; keeps the loaders in leak mode. */
class PluginRegistry {
    private final List<Object> loaded = new ArrayList<>();
    private final byte[] pluginBytes;

    PluginRegistry() throws Exception {
        try (InputStream in = Culprits.class.getResourceAsStream("/Culprits$Plugin.class")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            pluginBytes = out.toByteArray();
        }
    }

    void handle(long request) throws Exception {
        PluginClassLoader loader = new PluginClassLoader(Culprits.class.getClassLoader());
        Class<?> c = loader.definePlugin(pluginBytes);
        Object plugin = c.getDeclaredConstructor().newInstance();
        c.getMethod("run", long.class).invoke(plugin, request);
        if (Culprits.leak) {
            loaded.add(plugin);
        }
    }
}

/** Starts a thread per scheduled job; in leak mode the job waits forever. */
class JobScheduler {
    void schedule(long request) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(Culprits.leak ? Long.MAX_VALUE : 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "job-runner-" + request / 20);
        t.setDaemon(true);
        t.start();
    }
}

/** Direct buffers handed out and, when the caller is well behaved, returned and reused. */
class BufferPool {
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final List<ByteBuffer> handedOut = new ArrayList<>();

    ByteBuffer acquire() {
        ByteBuffer b = free.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(16 * 1024);
        }
        handedOut.add(b);
        return b;
    }

    void release(ByteBuffer b) {
        handedOut.remove(handedOut.size() - 1);
        free.push(b);
    }
}
