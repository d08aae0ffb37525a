#!/bin/sh
# A CSK rollover and a KSK rollover of zones hanon signs, with the new DS put
# at a parent hanon also serves, while Unbound, delv and hanon's own resolver
# ask through the fake internet: every answer must validate at every step.
#
#   test. (the lab's, signed at up.sh)
#     par.test       hanon, CSK, its DS in test. (LAB_EXTRA_DELEGATIONS);
#                    takes DS updates signed with TSIG key "parent"
#       csk.par.test hanon, CSK,     ksk-lifetime 60s
#       ksk.par.test hanon, KSK+ZSK, ksk-lifetime 60s (Ed25519)
#
# The script plays the parent's operator (a registrar's API): each step it
# reads `hanon dnssec status` of both children and makes par.test's DS set
# at each child the DS of the keys whose DS is submitted or seen (from
# `hanon dnssec ds`), by nsupdate — the new DS goes in when a rollover
# starts, the old one goes when the lifecycle withdraws it. The children
# confirm the new DS themselves (parent-ds-check = ["127.53.30.1"]).
# Time runs fast by configuration: TTLs of 2 s, propagation-delay 1 s,
# parent-ds-check-interval 1 s.
#   dnssec-rollover-lab.sh HANON LAB DIR PORT   (root: the lab binds 127.53.x.y:53)
# Run it under `flock /tmp/fake-internet.lock` (one lab per machine).
set -u
. "$(dirname "$0")/lab-resolver.sh"
HANON=$1; LAB=$2; DIR=$3; PORT=$4
export LAB_STATE=$DIR/state
SECRET=cGFyZW50LWtleS1mb3ItdGhlLXJvbGxvdmVyLWxhYiE=
START=$(date +%s)
cleanup() {
    [ -n "${HPID:-}" ] && kill "$HPID" 2>/dev/null
    [ -n "${RPID:-}" ] && kill "$RPID" 2>/dev/null
    "$LAB/resolvers/unbound.sh" stop >/dev/null 2>&1
    "$LAB/down.sh" >/dev/null 2>&1
}
trap cleanup EXIT
mkdir -p "$DIR/data" "$DIR/rdata"
cat >"$DIR/par.test.zone" <<ZONE
\$TTL 2
@        SOA ns1 hostmaster 1 3600 900 604800 2
@        NS  ns1
ns1      A   127.53.30.1
www      A   127.100.30.5
csk      NS  ns1.csk
ns1.csk  A   127.53.30.1
ksk      NS  ns1.ksk
ns1.ksk  A   127.53.30.1
ZONE
for z in csk ksk; do
cat >"$DIR/$z.par.test.zone" <<ZONE
\$TTL 2
@        SOA ns1 hostmaster 1 3600 900 604800 2
@        NS  ns1
ns1      A   127.53.30.1
www      A   127.100.30.6
ZONE
done
cat >"$DIR/auth.toml" <<CONF
data = "$DIR/data"
[dns]
listen = ["127.53.30.1:53"]
[[key]]
name = "parent"
algorithm = "hmac-sha256"
secret = "$SECRET"
[[zone]]
name = "par.test"
file = "$DIR/par.test.zone"
allow-update = [{ key = "parent", names = ["csk.par.test", "ksk.par.test"], types = ["DS"] }]
[zone.dnssec]
dnskey-ttl = "2s"
propagation-delay = "1s"
[[zone]]
name = "csk.par.test"
file = "$DIR/csk.par.test.zone"
[zone.dnssec]
keys = "csk"
ksk-lifetime = "60s"
dnskey-ttl = "2s"
propagation-delay = "1s"
parent-ds-check = ["127.53.30.1"]
parent-ds-check-interval = "1s"
[[zone]]
name = "ksk.par.test"
file = "$DIR/ksk.par.test.zone"
[zone.dnssec]
keys = "ksk-zsk"
algorithm = "ed25519"
ksk-lifetime = "60s"
dnskey-ttl = "2s"
propagation-delay = "1s"
parent-ds-check = ["127.53.30.1"]
parent-ds-check-interval = "1s"
CONF
"$HANON" serve --config "$DIR/auth.toml" >"$DIR/auth.log" 2>&1 &
HPID=$!
i=0
until [ -f "$DIR/data/keys/ksk.par.test/ksk.par.test.state" ] && [ -f "$DIR/data/keys/csk.par.test/csk.par.test.state" ] \
    && ss -lnu | grep -q '127.53.30.1:53 '; do
    i=$((i+1)); [ $i -gt 300 ] && { echo "hanon did not start"; cat "$DIR/auth.log"; exit 4; }; sleep 0.1
done

# The DS set par.test should hold for child $1: the DS of its keys whose DS
# is submitted or seen (the CDS set), one per line, TTL 2.
wanted_ds() {
    keys="$DIR/data/keys/$1.par.test"
    tags=$("$HANON" dnssec status "$1.par.test" --keys "$keys" | awk 'NR > 2 && ($5 == "submitted" || $5 == "seen") {print $1}')
    "$HANON" dnssec ds "$1.par.test" --keys "$keys" | awk -v tags=" $(echo $tags) " \
        '$4 == "DS" && index(tags, " " $5 " ") {print $1, 2, $3, $4, $5, $6, $7, $8}'
}
# Makes par.test's DS at child $1 what wanted_ds says, by a TSIG-signed UPDATE.
sync_ds() {
    want=$(wanted_ds "$1")
    have=$(dig +short +norec @127.53.30.1 "$1.par.test" DS | awk '{print $1}' | sort -n | tr '\n' ' ')
    need=$(echo "$want" | awk '{print $5}' | sort -n | tr '\n' ' ')
    [ "$have" = "$need" ] && return 0
    {
        echo "server 127.53.30.1 53"
        echo "zone par.test"
        echo "update delete $1.par.test DS"
        echo "$want" | grep . | sed 's/^/update add /'
        echo "send"
    } | nsupdate -y "hmac-sha256:parent:$SECRET" -t 3 || { echo "FAIL: nsupdate of $1.par.test DS"; exit 20; }
    echo "  parent: $1.par.test DS [${have% }] -> [${need% }]"
}
# Key tag:role:state:ds of child $1, for the log.
keys_of() {
    "$HANON" dnssec status "$1.par.test" --keys "$DIR/data/keys/$1.par.test" \
        | awk 'NR > 2 && $1 ~ /^[0-9]+$/ {printf "%s:%s:%s:%s ", $1, $3, $4, $5}'
}
for z in csk ksk; do sync_ds $z; done
"$HANON" dnssec ds par.test --keys "$DIR/data/keys/par.test" | grep -w DS >"$DIR/par.ds" || { echo "no DS for par.test"; exit 5; }
LAB_EXTRA_DELEGATIONS="par.test=127.53.30.1@$DIR/par.ds" "$LAB/up.sh" >"$DIR/up.log" 2>&1 \
    || { echo "up.sh failed"; cat "$DIR/up.log"; exit 3; }
"$LAB/resolvers/unbound.sh" start "$PORT" >"$DIR/unbound-start.log" 2>&1 \
    || { echo "unbound failed"; cat "$DIR/unbound-start.log"; exit 6; }
start_hanon_resolver
printf '# qname\tqtype\trcode\tad\tfragment\tnote\n' >"$DIR/roll.tsv"
printf '%s\t%s\t%s\t%s\t%s\t%s\n' "www.par.test." A NOERROR 1 "IN A 127.100.30.5" "parent: positive" >>"$DIR/roll.tsv"
for z in csk ksk; do
printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
 "www.$z.par.test." A NOERROR 1 "IN A 127.100.30.6" "$z: positive" \
 "nosuch.$z.par.test." A NXDOMAIN 1 - "$z: NXDOMAIN" \
 "www.$z.par.test." TXT NOERROR 1 - "$z: NODATA" \
 "$z.par.test." DNSKEY NOERROR 1 "IN DNSKEY" "$z: DNSKEY" >>"$DIR/roll.tsv"
done
CASES=$(grep -vc '^#' "$DIR/roll.tsv")
echo "setup: $(($(date +%s) - START)) s"

# Rollovers: both children roll their SEP key 60 s after hanon started.
# Every 2 s: the parent's operator syncs the DS, then Unbound, hanon's
# resolver and delv must validate every answer. Done when both old keys are
# removed, their DS gone from par.test, and three more steps passed.
echo "== rollovers"
i=0; after=0
while :; do
    i=$((i+1))
    for z in csk ksk; do sync_ds $z; done
    u=$(python3 "$LAB/check.py" "$PORT" --cases "$DIR/roll.tsv" --quiet | tail -1)
    h=$(python3 "$LAB/check.py" "$((PORT + 1))" --cases "$DIR/roll.tsv" --quiet | tail -1)
    d=ok
    for q in "www.csk.par.test A" "www.ksk.par.test A"; do
        delv -a "$LAB_STATE/bind-trust-anchors.conf" @127.0.0.1 -p "$PORT" $q 2>&1 | grep -q "fully validated" || d="FAIL($q)"
    done
    echo "step $i ($(($(date +%s) - START)) s): csk [$(keys_of csk)] ksk [$(keys_of ksk)] unbound: $u / hanon: $h / delv: $d"
    [ "$u" = "$CASES passed, 0 failed" ] && [ "$h" = "$CASES passed, 0 failed" ] && [ "$d" = ok ] || {
        python3 "$LAB/check.py" "$PORT" --cases "$DIR/roll.tsv" | grep FAIL -A3
        python3 "$LAB/check.py" "$((PORT + 1))" --cases "$DIR/roll.tsv" | grep FAIL -A3
        echo "FAIL: rollover step $i"; exit 13
    }
    done_zones=0
    for z in csk ksk; do
        "$HANON" dnssec status $z.par.test --keys "$DIR/data/keys/$z.par.test" | awk '$4 == "removed" && $5 == "withdrawn"' | grep -q . \
            && [ "$(dig +short +norec @127.53.30.1 $z.par.test DS | wc -l)" = 1 ] && done_zones=$((done_zones+1))
    done
    [ $done_zones = 2 ] && after=$((after+1))
    [ $after -gt 3 ] && break
    [ $i -ge 60 ] && { echo "FAIL: the rollovers did not finish in $i steps"; exit 14; }
    sleep 2
done
for z in csk ksk; do "$HANON" dnssec status $z.par.test --keys "$DIR/data/keys/$z.par.test"; done
grep -E 'rollover of key|active; key|removed; DS withdrawn|seen at every parent' "$DIR/auth.log" | sed 's/^/  log: /'
echo "time: $(($(date +%s) - START)) s"
echo "ALL PASSED"
