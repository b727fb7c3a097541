#!/usr/bin/env bash
# The Abiquo "Remote Services HA Using Pacemaker" runbook, with `pcs` replaced by
# `tandem -f "$CIB"`: it builds the RS pair's configuration offline in a file, as `pcs -f` does.
#
#   examples/abiquo-rs/runbook.sh CIB_FILE        (or CIB=CIB_FILE examples/abiquo-rs/runbook.sh)
#
# CIB_FILE ending in .xml is written as Pacemaker CIB XML, anything else as tandem's native JSON.
# The file must not exist yet (the runbook creates the cluster). Then, e.g.:
#   bin/tandem -f "$CIB" cluster verify
#   bin/tandem -f "$CIB" cluster cib > rs.xml && crm_verify -x rs.xml
#
# NOTE: the guide's own addresses (10.60.13.x for the nodes and the cluster IP, 10.60.1.72 for
# the NFS repository, 10.60.13.1 for the gateway) are replaced by documentation addresses
# (RFC 5737, 192.0.2.0/24). Put your own addresses back for a real installation.
set -euo pipefail

CIB=${1:-${CIB:-}}
if [[ -z "$CIB" ]]; then
  echo "usage: $0 CIB_FILE   (or set CIB=CIB_FILE)" >&2
  exit 2
fi
here=$(dirname "$(readlink -f "$0")")
TANDEM=${TANDEM:-"$here/../../bin/tandem"}
tandem() {
  echo "+ tandem $*"
  "$TANDEM" "$@"
}

# --- Installation of the cluster stack -----------------------------------------------------
# The guide creates a CMAN cluster with ccs; tandem's offline equivalent is `cluster setup`:
#   [ONE] # ccs -f /etc/cluster/cluster.conf --createcluster pacemaker1
#   [ONE] # ccs -f /etc/cluster/cluster.conf --addnode rsha1
#   [ONE] # ccs -f /etc/cluster/cluster.conf --addnode rsha2
tandem -f "$CIB" cluster setup pacemaker1 rsha1 rsha2
# The fence_pcmk redirection, <cman two_node="1" expected_votes="1"/>, CMAN_QUORUM_TIMEOUT=0 and
# `service cman|pacemaker start` have no offline counterpart: two-node quorum and start-up are
# tandemd's business.

# --- Setting basic cluster options ---------------------------------------------------------
tandem -f "$CIB" property set stonith-enabled=false
tandem -f "$CIB" property set no-quorum-policy=ignore
tandem -f "$CIB" resource defaults resource-stickiness=100

# --- Adding resources ----------------------------------------------------------------------
# ([ALL] # service abiquo-tomcat stop; chkconfig abiquo-tomcat off: done on the nodes themselves.)
tandem -f "$CIB" resource create vm_repository ocf:heartbeat:Filesystem device=192.0.2.72:/opt/vm_repository directory=/opt/vm_repository fstype=nfs options=defaults
tandem -f "$CIB" resource create ClusterIP ocf:heartbeat:IPaddr2 ip=192.0.2.58 cidr_netmask=24
tandem -f "$CIB" resource create tomcat-service lsb:abiquo-tomcat

tandem -f "$CIB" resource group add abiquo_rs vm_repository ClusterIP tomcat-service

tandem -f "$CIB" resource create ping ocf:pacemaker:ping host_list=192.0.2.1 timeout=5 attempts=3
# As written in the guide: pcs 0.9 ignored "connection" and named the clone ping-clone, which the
# next line uses. tandem does the same and warns (see README.md).
tandem -f "$CIB" resource clone ping connection

tandem -f "$CIB" constraint colocation add abiquo_rs with ping-clone score=INFINITY
# The guide stops here. tandem warns that nothing moves the group off a node whose gateway is
# down; README.md shows the location rule to add.
