#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing: bind9 (the sandbox's
# DNS server), chromium (the DR console tests) and prometheus (promtool evaluates the shipped
# alert rules over series the tests scrape; TeamViewIT runs the server, scraping one tenant's
# endpoint, to check the Grafana dashboard's queries) and etcd
# (etcd-server for the controller's replicated store, etcd-client for etcdctl's backups),
# nftables (the sandbox's per-process network cuts, NetworkCut) and faketime (libfaketime, for
# processes run with a skewed clock, FakeClock). Run by
# `mvn verify` itself (the parent POM's `install-test-deps` execution), so the README's test
# command works on a fresh machine. Needs root for apt-get; otherwise it says what to install and
# the tests that need them fail.
set -euo pipefail
missing=()
if ! command -v named >/dev/null 2>&1 && [[ ! -x /usr/sbin/named ]]; then
  missing+=(bind9 bind9-utils)
fi
if [[ ! -x /usr/bin/chromium ]]; then
  missing+=(chromium)
fi
if ! command -v promtool >/dev/null 2>&1 || [[ ! -x /usr/bin/prometheus ]]; then
  missing+=(prometheus)
fi
if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
  missing+=(etcd-server etcd-client)
fi
if [[ ! -x /usr/sbin/nft ]]; then
  missing+=(nftables)
fi
if ! compgen -G '/usr/lib/*-linux-gnu/faketime/libfaketime.so.1' >/dev/null; then
  missing+=(faketime)
fi
(( ${#missing[@]} == 0 )) && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "kafka-dr: ${missing[*]} missing and this is not root; DNS, status-page, alert, etcd, network-cut and clock-skew tests will fail." \
    "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "kafka-dr: installing ${missing[*]} with apt-get (the sandbox's DNS server, the status page's browser, promtool, etcd, nft, libfaketime)"
# Install only: the sandbox runs its own named and etcd; never start a system service (named,
# prometheus, etcd).
policy=/usr/sbin/policy-rc.d
restore=""
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && restore=yes
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [[ -n $restore ]]; then
  rm -f "$policy"
fi
