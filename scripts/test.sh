#!/usr/bin/env bash
# The test command of the README: every module's unit, property, fuzz-replay, simulation and
# interop tests, with Netty's paranoid leak detector on.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/find-java.sh)
export JAVA_HOME
[ -d interop/js/node_modules ] || (cd interop/js && npm ci --no-audit --no-fund --loglevel=error)
exec ./mvnw -B -ntp verify "$@"
