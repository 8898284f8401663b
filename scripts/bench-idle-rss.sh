#!/usr/bin/env bash
# Resident memory of `weft p2p serve`: idle, then while COUNT (default 1,000) fully upgraded idle
# connections from fresh identities are held open against it, then after they are gone.
#
#   scripts/bench-idle-rss.sh [COUNT]          env: PORT (40555), IDLE_WAIT (15 s), HOLD (20 s)
#
# A default node trims idle connections past their 20 s grace period down to 160 once more than
# 192 are open, so COUNT are held at once only if the client opens them within about 20 s; the
# script reports the most held at once and the RSS at that moment.
#
# The client (dev.weft.p2p.resource.IdleConnectionsBench, p2p test classes) dials through
# loopback forwarders bound to 127.0.10.1, 127.0.11.1, ... — 60 connections per address, one
# address per /24 — because the default resource limits give one source address 64 connections
# and one /24 128. It never holds more than COUNT at once. Figures go to docs/p2p-resources.md
# together with the load average this prints.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
port=${PORT:-40555}
idle_wait=${IDLE_WAIT:-15}
hold=${HOLD:-20}
seed=4242
JAVA_HOME=$(scripts/find-java.sh)
export JAVA_HOME
major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
unsafe=()
[ "${major%%.*}" -ge 24 ] && unsafe=(--sun-misc-unsafe-memory-access=allow) && export MAVEN_OPTS="${MAVEN_OPTS:-} ${unsafe[*]}"

if [ ! -f cli/target/weft-cli.jar ]; then
  echo "building the CLI (once)..." >&2
  ./mvnw -q -B -ntp -pl cli -am package -DskipTests >&2
fi
if [ ! -f p2p/target/cp.txt ] || [ ! -f p2p/target/test-classes/dev/weft/p2p/resource/IdleConnectionsBench.class ]; then
  ./mvnw -q -B -ntp -pl p2p test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >&2
fi

out=$(mktemp -d)
./weft p2p serve --seed "$seed" --listen "/ip4/127.0.0.1/tcp/$port" </dev/null >"$out/serve.out" 2>&1 &
server=$!
client=
cleanup() {
  [ -n "$client" ] && kill "$client" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
sleep "$idle_wait"
kill -0 "$server" || { echo "serve exited:" >&2; cat "$out/serve.out" >&2; exit 1; }
idle=$(rss)
echo "idle serve: RSS $((idle / 1024)) MiB after ${idle_wait} s; load $(cut -d' ' -f1-3 /proc/loadavg)"

"$JAVA_HOME/bin/java" "${unsafe[@]}" -cp "p2p/target/test-classes:p2p/target/classes:$(cat p2p/target/cp.txt)" \
  dev.weft.p2p.resource.IdleConnectionsBench "$port" "$seed" "$count" 60 "$hold" >"$out/client.out" 2>"$out/client.err" &
client=$!
peak=0
most=0
rss_at_most=0
while kill -0 "$client" 2>/dev/null; do
  r=$(rss || echo 0)
  alive=$(grep -o "alive [0-9]*" "$out/client.out" | tail -n1 | cut -d" " -f2 || true)
  alive=${alive:-0}
  [ "$r" -gt "$peak" ] && peak=$r
  if [ "$alive" -gt "$most" ]; then most=$alive; rss_at_most=$r; fi
  sleep 1
done
client=
ready=$(grep READY "$out/client.out" || echo "READY not reached")
echo "client: $ready"
echo "serve with connections: at most $most held at once, RSS then $((rss_at_most / 1024)) MiB (+$(((rss_at_most - idle) / 1024)) MiB over idle, $(((rss_at_most - idle) / (most > 0 ? most : 1))) KiB per connection); peak RSS $((peak / 1024)) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 5
echo "serve after the client left: RSS $(($(rss) / 1024)) MiB"
grep -c . "$out/client.err" >/dev/null && tail -n 3 "$out/client.err" >&2 || true
