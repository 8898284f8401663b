#!/bin/sh
# Undoes travbed-up.sh; safe to run twice. Deleting a namespace deletes its veth ends.
for ns in wta wtb wtnata wtnatb wtpub; do ip netns del $ns 2>/dev/null; done
exit 0
