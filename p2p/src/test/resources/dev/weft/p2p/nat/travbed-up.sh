#!/bin/sh
# Two home networks behind their own NAT routers, and an "internet" with a relay, in network
# namespaces made for one test (NatTraversalIT); travbed-down.sh removes everything.
#
#   wtpub: br0 11.22.33.10 (relay R), 11.22.33.11 (a second public peer)
#     |-- veth -- wtnata: wan 11.22.33.1 | lan 10.1.0.1 -- veth -- wta: 10.1.0.2 (host A)
#     '-- veth -- wtnatb: wan 11.22.33.2 | lan 10.2.0.1 -- veth -- wtb: 10.2.0.2 (host B)
#
# Each router masquerades the LAN behind its WAN address (Linux keeps the source port when it is
# free: an endpoint-independent, "cone" mapping) and, like most home routers, silently drops
# unsolicited inbound connections. $1 names a router (a or b) whose masquerade picks a random
# port for every connection instead (--random-fully: an endpoint-dependent, "symmetric" NAT), or
# "none". No route leaves the namespaces: 11.22.33.0/24 exists only inside them.
set -e
SYM="${1:-none}"
ip netns add wtpub
ip netns add wtnata
ip netns add wtnatb
ip netns add wta
ip netns add wtb
for ns in wtpub wtnata wtnatb wta wtb; do ip -n $ns link set lo up; done
ip -n wtpub link add br0 type bridge
ip -n wtpub addr add 11.22.33.10/24 dev br0
ip -n wtpub addr add 11.22.33.11/24 dev br0
ip -n wtpub link set br0 up
for side in a b; do
  n=1; [ $side = b ] && n=2
  ip link add wtw$side type veth peer name wtp$side
  ip link set wtw$side netns wtnat$side
  ip link set wtp$side netns wtpub
  ip -n wtpub link set wtp$side master br0
  ip -n wtpub link set wtp$side up
  ip -n wtnat$side link set wtw$side name wan
  ip -n wtnat$side addr add 11.22.33.$n/24 dev wan
  ip -n wtnat$side link set wan up
  ip link add wtl$side type veth peer name wth$side
  ip link set wtl$side netns wtnat$side
  ip link set wth$side netns wt$side
  ip -n wtnat$side link set wtl$side name lan
  ip -n wtnat$side addr add 10.$n.0.1/24 dev lan
  ip -n wtnat$side link set lan up
  ip -n wt$side link set wth$side name eth0
  ip -n wt$side addr add 10.$n.0.2/24 dev eth0
  ip -n wt$side link set eth0 up
  ip -n wt$side route add default via 10.$n.0.1
  ip netns exec wtnat$side sysctl -qw net.ipv4.ip_forward=1
  RANDOM_PORTS=""
  [ "$SYM" = "$side" ] && RANDOM_PORTS="--random-fully"
  ip netns exec wtnat$side iptables -t nat -A POSTROUTING -o wan -j MASQUERADE $RANDOM_PORTS
  ip netns exec wtnat$side iptables -A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  ip netns exec wtnat$side iptables -A INPUT -i wan -j DROP
  ip netns exec wtnat$side iptables -A FORWARD -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  ip netns exec wtnat$side iptables -A FORWARD -i wan -j DROP
done
# The bridge must forward before the relay is reachable (no STP delay on a fresh bridge here,
# but wait for both routers to see the relay).
for side in a b; do
  for i in 1 2 3 4 5 6 7 8 9 10; do
    ip netns exec wt$side ping -c1 -W1 11.22.33.10 >/dev/null 2>&1 && break
    [ $i = 10 ] && { echo "host $side cannot reach the relay" >&2; exit 1; }
    sleep 0.2
  done
done
exit 0
