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
exec ./mvnw -B -ntp verify "$@"
