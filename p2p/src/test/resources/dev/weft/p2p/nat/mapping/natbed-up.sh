#!/bin/sh
# A home router running Debian's miniupnpd (NAT-PMP and UPnP IGD), in network namespaces made for one test:
#   this namespace 192.168.77.2 --veth-- [wnr: 192.168.77.1 | 11.22.33.1, nftables, miniupnpd] --veth-- [wni: 11.22.33.2]
# 11.22.33.0/24 stands for the internet (miniupnpd refuses documentation ranges as "not public");
# only one route to it is added here, and natbed-down.sh removes everything. $1: a work directory;
# $2: "upnp-only" turns NAT-PMP off (a router that speaks UPnP alone).
set -e
D="$1"
NATPMP=yes
[ "${2:-}" = "upnp-only" ] && NATPMP=no
ip netns add wnr
ip netns add wni
ip link add wnlanh type veth peer name wnlanr
ip link set wnlanr netns wnr
ip addr add 192.168.77.2/24 dev wnlanh
ip link set wnlanh up
ip -n wnr addr add 192.168.77.1/24 dev wnlanr
ip -n wnr link set wnlanr up
ip -n wnr link set lo up
ip link add wnwanr type veth peer name wnwani
ip link set wnwanr netns wnr
ip link set wnwani netns wni
ip -n wnr addr add 11.22.33.1/24 dev wnwanr
ip -n wnr link set wnwanr up
ip -n wni addr add 11.22.33.2/24 dev wnwani
ip -n wni link set wnwani up
ip -n wni link set lo up
ip route add 11.22.33.0/24 via 192.168.77.1
ip netns exec wnr sysctl -qw net.ipv4.ip_forward=1
ip netns exec wnr nft -f - <<'NFT'
table inet filter {
  chain miniupnpd { }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
}
NFT
cat > "$D/miniupnpd.conf" <<CONF
ext_ifname=wnwanr
listening_ip=wnlanr
enable_natpmp=$NATPMP
enable_upnp=yes
http_port=5000
secure_mode=yes
system_uptime=yes
lease_file=$D/leases
uuid=584289f0-fba8-4753-beeb-e381f098798a
allow 1024-65535 192.168.77.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
CONF
ip netns exec wnr miniupnpd -d -f "$D/miniupnpd.conf" -P "$D/miniupnpd.pid" > "$D/miniupnpd.log" 2>&1 &
for i in 1 2 3 4 5 6 7 8 9 10; do
  if [ "$NATPMP" = yes ]; then ip netns exec wnr ss -lun | grep -q 192.168.77.1:5351 && exit 0
  else ip netns exec wnr ss -ltn | grep -q ':5000' && exit 0; fi
  sleep 0.2
done
echo "miniupnpd did not start:" >&2
cat "$D/miniupnpd.log" >&2
exit 1
