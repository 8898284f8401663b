#!/usr/bin/env bash
# Prints the home of a JDK whose major version is at least WEFT_MIN_JAVA (default 21), or fails.
# Order: $JAVA_HOME, the `java` on PATH, then the newest JDK under the usual install folders.
# Sourced by .ci/run and the weft launcher so that a user's own JDK wins when it is new enough.
min=${WEFT_MIN_JAVA:-21}

java_major() { # $1 = java home; prints the major version or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
  [ -n "$v" ] && echo "${v%%.*}"
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
best=""; best_v=0
for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -x "$d/bin/java" ] || continue
  v=$(java_major "$d"); [ -n "$v" ] || continue
  if [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
done
for c in "${candidates[@]}"; do
  [ -x "$c/bin/java" ] || continue
  v=$(java_major "$c")
  if [ -n "$v" ] && [ "$v" -ge "$min" ]; then echo "$c"; exit 0; fi
done
if [ -n "$best" ] && [ "$best_v" -ge "$min" ]; then echo "$best"; exit 0; fi
echo "weft: no JDK $min+ found (set JAVA_HOME to one)" >&2
exit 1
