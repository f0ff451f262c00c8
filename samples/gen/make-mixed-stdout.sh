#!/usr/bin/env bash
# A GC log on stdout after 200 application lines (issue 13 point 9): what `-Xlog:gc` (default
# output: stdout) looks like in a container log whose entrypoint script prints its settings
# first (200 lines), then execs the JVM, whose application prints too. Real JDK 17 output.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/AppThenGc.java" <<'JAVA'
public class AppThenGc {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 200; i++) {
            System.out.println(java.time.LocalTime.of(6, 39, i % 60) + " INFO  [main] com.example.App - starting component " + i + " (pool=worker-" + (i % 7) + ")");
        }
        System.out.flush();
        java.util.List<byte[]> keep = new java.util.ArrayList<>();
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            keep.add(new byte[64 * 1024]);
            if (keep.size() > 200) keep.subList(0, 150).clear();
            Thread.sleep(1);
        }
    }
}
JAVA
javac -d "$work" "$work/AppThenGc.java"
sh -c 'for i in $(seq 1 200); do echo "entrypoint: setting APP_OPTION_$i=value-$i from /etc/app/env.d/$i.conf"; done
  exec java -XX:ActiveProcessorCount=1 -Xmx64m -XX:+UseG1GC -Xlog:gc -cp "$0" AppThenGc' "$work" \
  > gc/mixed-stdout/app-then-gc.log
java -version 2>&1 | head -1 > gc/mixed-stdout/java-version.txt
wc -l gc/mixed-stdout/app-then-gc.log
