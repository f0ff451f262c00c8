import java.io.PrintWriter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Records what Micrometer, cAdvisor and kube-state-metrics would have exported for this JVM
 * (issue 20: jvmem fleet maps those series when jvmem serve is absent), as one timestamped
 * OpenMetrics file that promtool backfills. None of those exporters can run here (no network),
 * so this program runs the workload in its own JVM and samples the same MXBeans they read.
 *
 * <p>Usage: {@code java MicrometerNames OUT.om EVERY_S POD NAMESPACE LIMIT_BYTES Workload ARGS...}
 *
 * <p>What is real and what is not:
 * <ul>
 *   <li>real: every jvm_* value: MemoryPoolMXBean used/committed/max per pool (Micrometer's
 *       jvm_memory_*_bytes{area,id}; max is -1 where the pool has none, as G1's eden and
 *       survivor spaces, which Micrometer exports as is), the "direct" BufferPoolMXBean (jvm_buffer_memory_used_bytes),
 *       ThreadMXBean live threads, ClassLoadingMXBean loaded classes, and jvm_gc_live_data_size_bytes
 *       by Micrometer's own rule (JvmGcMetrics: the old pool after a GC that shrank it or an old-gen
 *       GC);</li>
 *   <li>real value, synthetic name: container_memory_working_set_bytes is this process' VmRSS
 *       (there is no container; for a lone JVM the working set is close to its RSS);</li>
 *   <li>synthetic: kube_pod_container_resource_limits{resource="memory"} is LIMIT_BYTES, and every
 *       label (namespace, pod, container, instance, job, node, id, image) is made up the way
 *       Prometheus' Kubernetes service discovery, cAdvisor and kube-state-metrics label them;
 *       the pod-level cAdvisor series (container="") is RSS + 4 MiB, there to be ignored.</li>
 * </ul>
 */
public class MicrometerNames {
    static final Map<String, String[]> META = new LinkedHashMap<>(); // family -> {type, unit, help}
    static final Map<String, List<String>> SAMPLES = new LinkedHashMap<>();
    static final AtomicLong LIVE_DATA = new AtomicLong(-1);

    static void family(String name, String type, String unit, String help) {
        META.putIfAbsent(name, new String[] {type, unit, help});
        SAMPLES.putIfAbsent(name, new ArrayList<>());
    }

    static void sample(String family, String labels, double value, double t) {
        SAMPLES.get(family).add(family + "{" + labels + "} " + (long) value + " " + String.format("%.3f", t));
    }

    static boolean oldGenGc(String name) {
        return name.equals("MarkSweepCompact") || name.equals("PS MarkSweep")
                || name.equals("ConcurrentMarkSweep") || name.equals("G1 Old Generation");
    }

    static String oldPool() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            String n = p.getName();
            if (n.endsWith("Old Gen") || n.equals("Tenured Gen")) return n;
        }
        return null;
    }

    static void listenToGc() {
        String old = oldPool();
        if (old == null) return;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                MemoryUsage before = info.getGcInfo().getMemoryUsageBeforeGc().get(old);
                MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(old);
                if (before == null || after == null) return;
                if (after.getUsed() < before.getUsed() || oldGenGc(info.getGcName())) LIVE_DATA.set(after.getUsed());
            }, null, null);
        }
    }

    static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        return 0;
    }

    static synchronized void scrape(String pod, String ns, long limit) throws Exception {
        double t = System.currentTimeMillis() / 1000.0;
        String app = "namespace=\"" + ns + "\",pod=\"" + pod + "\",container=\"app\",job=\"bot-gateway\",instance=\"10.1.0." + (Math.abs(pod.hashCode()) % 250) + ":8080\"";
        family("jvm_memory_used_bytes", "gauge", "bytes", "The amount of used memory");
        family("jvm_memory_committed_bytes", "gauge", "bytes", "The amount of memory in bytes that is committed for the Java virtual machine to use");
        family("jvm_memory_max_bytes", "gauge", "bytes", "The maximum amount of memory in bytes that can be used for memory management");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            String l = "area=\"" + (p.getType() == MemoryType.HEAP ? "heap" : "nonheap") + "\",id=\"" + p.getName() + "\"," + app;
            MemoryUsage u = p.getUsage();
            sample("jvm_memory_used_bytes", l, u.getUsed(), t);
            sample("jvm_memory_committed_bytes", l, u.getCommitted(), t);
            sample("jvm_memory_max_bytes", l, u.getMax(), t);
        }
        family("jvm_buffer_memory_used_bytes", "gauge", "bytes", "An estimate of the memory that the Java virtual machine is using for this buffer pool");
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            sample("jvm_buffer_memory_used_bytes", "id=\"" + b.getName() + "\"," + app, b.getMemoryUsed(), t);
        }
        family("jvm_threads_live_threads", "gauge", null, "The current number of live threads including both daemon and non-daemon threads");
        sample("jvm_threads_live_threads", app, ManagementFactory.getThreadMXBean().getThreadCount(), t);
        family("jvm_classes_loaded_classes", "gauge", null, "The number of classes that are currently loaded in the Java virtual machine");
        sample("jvm_classes_loaded_classes", app, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), t);
        if (LIVE_DATA.get() >= 0) {
            family("jvm_gc_live_data_size_bytes", "gauge", "bytes", "Size of long-lived heap memory pool after reclamation");
            sample("jvm_gc_live_data_size_bytes", app, LIVE_DATA.get(), t);
        }
        long rss = rssBytes();
        String cadvisor = "namespace=\"" + ns + "\",pod=\"" + pod + "\",id=\"/kubepods/burstable/pod-" + pod + "\",job=\"kubelet\",metrics_path=\"/metrics/cadvisor\"";
        family("container_memory_working_set_bytes", "gauge", "bytes", "Current working set of the container in bytes");
        sample("container_memory_working_set_bytes", "container=\"app\",image=\"bot-gateway:1\",name=\"k8s_app_" + pod + "\"," + cadvisor, rss, t);
        sample("container_memory_working_set_bytes", "container=\"\"," + cadvisor, rss + (4 << 20), t);
        family("kube_pod_container_resource_limits", "gauge", null, "The number of requested limit resource by a container");
        sample("kube_pod_container_resource_limits", "namespace=\"" + ns + "\",pod=\"" + pod + "\",container=\"app\",job=\"kube-state-metrics\",node=\"node-1\",resource=\"memory\",unit=\"byte\"", limit, t);
        sample("kube_pod_container_resource_limits", "namespace=\"" + ns + "\",pod=\"" + pod + "\",container=\"app\",job=\"kube-state-metrics\",node=\"node-1\",resource=\"cpu\",unit=\"core\"", 1, t);
    }

    static synchronized void write(String out) throws Exception {
        try (PrintWriter w = new PrintWriter(out, "UTF-8")) {
            for (Map.Entry<String, String[]> e : META.entrySet()) {
                String[] m = e.getValue();
                w.println("# TYPE " + e.getKey() + " " + m[0]);
                if (m[1] != null) w.println("# UNIT " + e.getKey() + " " + m[1]);
                w.println("# HELP " + e.getKey() + " " + m[2]);
                for (String s : SAMPLES.get(e.getKey())) w.println(s);
            }
            w.println("# EOF");
        }
    }

    public static void main(String[] args) throws Exception {
        String out = args[0];
        long everyMs = (long) (Double.parseDouble(args[1]) * 1000);
        String pod = args[2], ns = args[3];
        long limit = Long.parseLong(args[4]);
        String[] rest = java.util.Arrays.copyOfRange(args, 6, args.length);
        listenToGc();
        Thread sampler = new Thread(() -> {
            try {
                long next = System.currentTimeMillis();
                while (true) {
                    scrape(pod, ns, limit);
                    next += everyMs;
                    Thread.sleep(Math.max(1, next - System.currentTimeMillis()));
                }
            } catch (InterruptedException e) {
                // the workload is done
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "micrometer-names");
        sampler.setDaemon(true);
        sampler.start();
        if (!args[5].equals("Workload")) throw new IllegalArgumentException("expected Workload, got " + args[5]);
        Workload.main(rest);
        sampler.interrupt();
        sampler.join();
        write(out);
    }
}
