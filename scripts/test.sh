#!/usr/bin/env bash
# The test command of the README: every module's unit, property, fuzz-replay, simulation and
# interop tests, with Netty's paranoid leak detector on.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/find-java.sh)
export JAVA_HOME
[ -d interop/js/node_modules ] || (cd interop/js && npm ci --no-audit --no-fund --loglevel=error)
# Maven and its plugins use sun.misc.Unsafe; JDK 24+ warns about it unless allowed.
major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${major%%.*}" -ge 24 ] && export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
./mvnw -B -ntp verify "$@"
# The volunteer's archive (cli/target/weft-VERSION.tar.gz, built by verify's package phase) must
# run on its own: unpacked elsewhere, with a bare environment (no Maven, no source tree).
if [ "$#" -eq 0 ] || [[ " $* " != *" -pl "* ]]; then
  dist=$(ls cli/target/weft-*.tar.gz 2>/dev/null | head -1)
  if [ -n "$dist" ]; then
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    tar xzf "$dist" -C "$tmp"
    out=$(cd / && env -i HOME="$tmp" PATH=/usr/bin:/bin JAVA_HOME="$JAVA_HOME" "$tmp"/weft-*/bin/weft key new --out "$tmp/k.key" --json)
    case "$out" in *'"peerId"'*) echo "distribution $dist runs: $out";; *) echo "distribution $dist failed: $out" >&2; exit 1;; esac
  fi
fi
