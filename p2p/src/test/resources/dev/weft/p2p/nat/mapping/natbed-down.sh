#!/bin/sh
# Undoes natbed-up.sh; safe to run twice. $1: the same work directory.
D="$1"
[ -f "$D/miniupnpd.pid" ] && kill "$(cat "$D/miniupnpd.pid")" 2>/dev/null
ip route del 11.22.33.0/24 2>/dev/null
ip link del wnlanh 2>/dev/null
ip netns del wnr 2>/dev/null
ip netns del wni 2>/dev/null
exit 0
