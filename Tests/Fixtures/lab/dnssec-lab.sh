#!/bin/sh
# hanon's signed zones delegated, with their DS, from the fake internet's signed
# test. zone (LAB_EXTRA_DELEGATIONS), validated by Unbound, delv and hanon's own
# resolver; then a ZSK rollover of roll.test with both resolvers asking at every
# step. Prints what it saw; exits non-zero at the first failure.
#   dnssec-lab.sh HANON LAB DIR PORT     (root: the lab binds 127.53.x.y:53)
# Run it under `flock /tmp/fake-internet.lock` (one lab per machine).
set -u
. "$(dirname "$0")/lab-resolver.sh"
HANON=$1; LAB=$2; DIR=$3; PORT=$4
export LAB_STATE=$DIR/state
cleanup() {
    [ -n "${HPID:-}" ] && kill "$HPID" 2>/dev/null
    [ -n "${RPID:-}" ] && kill "$RPID" 2>/dev/null
    "$LAB/resolvers/unbound.sh" stop >/dev/null 2>&1
    "$LAB/down.sh" >/dev/null 2>&1
}
trap cleanup EXIT
mkdir -p "$DIR/data"
for z in mine mine3 roll; do
TTL=300; [ $z = roll ] && TTL=2
cat >"$DIR/$z.test.zone" <<ZONE
\$TTL $TTL
@        SOA ns1 hostmaster 1 3600 900 604800 300
@        NS  ns1
ns1      A   127.53.30.1
www      A   127.100.30.1
www      TXT "hello"
*.wild   TXT "wildcard"
a.b.ent  A   127.100.30.2
sub      NS  ns.elsewhere.test.
ZONE
done
cat >"$DIR/auth.toml" <<CONF
data = "$DIR/data"
[dns]
listen = ["127.53.30.1:53"]
[[zone]]
name = "mine.test"
file = "$DIR/mine.test.zone"
dnssec = true
[[zone]]
name = "mine3.test"
file = "$DIR/mine3.test.zone"
[zone.dnssec]
denial = "nsec3"
keys = "ksk-zsk"
algorithm = "ed25519"
[[zone]]
name = "roll.test"
file = "$DIR/roll.test.zone"
[zone.dnssec]
keys = "ksk-zsk"
zsk-lifetime = "25s"
dnskey-ttl = "2s"
propagation-delay = "1s"
CONF
"$HANON" serve --config "$DIR/auth.toml" >"$DIR/auth.log" 2>&1 &
HPID=$!
i=0
until [ -f "$DIR/data/keys/mine3.test/mine3.test.state" ] && ss -lnu | grep -q '127.53.30.1:53 '; do
    i=$((i+1)); [ $i -gt 300 ] && { echo "hanon did not start"; cat "$DIR/auth.log"; exit 4; }; sleep 0.1
done
for z in mine mine3 roll; do
    "$HANON" dnssec ds $z.test --keys "$DIR/data/keys/$z.test" | grep -w DS >"$DIR/$z.ds" || { echo "no DS for $z"; exit 5; }
done
LAB_EXTRA_DELEGATIONS="mine.test=127.53.30.1@$DIR/mine.ds,mine3.test=127.53.30.1@$DIR/mine3.ds,roll.test=127.53.30.1@$DIR/roll.ds" "$LAB/up.sh" >"$DIR/up.log" 2>&1 || { echo "up.sh failed"; cat "$DIR/up.log"; exit 3; }
"$LAB/resolvers/unbound.sh" start "$PORT" >"$DIR/unbound-start.log" 2>&1 || { echo "unbound failed"; cat "$DIR/unbound-start.log"; exit 6; }
cat >"$DIR/cases.tsv" <<CASES
# qname	qtype	rcode	ad	fragment	note
CASES
for z in mine mine3; do
printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
 "$z.test." SOA NOERROR 1 "IN SOA ns1.$z.test." "$z: SOA" \
 "www.$z.test." A NOERROR 1 "IN A 127.100.30.1" "$z: positive" \
 "nosuch.$z.test." A NXDOMAIN 1 - "$z: NXDOMAIN" \
 "www.$z.test." AAAA NOERROR 1 - "$z: NODATA" \
 "b.ent.$z.test." A NOERROR 1 - "$z: NODATA at an empty non-terminal" \
 "foo.wild.$z.test." TXT NOERROR 1 "IN TXT" "$z: wildcard" \
 "foo.wild.$z.test." A NOERROR 1 - "$z: wildcard NODATA" \
 "$z.test." DNSKEY NOERROR 1 "IN DNSKEY" "$z: DNSKEY" >>"$DIR/cases.tsv"
done
echo "== unbound"
python3 "$LAB/check.py" "$PORT" --cases "$DIR/cases.tsv" || { echo "FAIL: unbound"; exit 10; }
echo "== delv"
for q in "www.mine.test A" "nosuch.mine3.test A" "foo.wild.mine3.test TXT" "b.ent.mine.test A"; do
    out=$(delv -a "$LAB_STATE/bind-trust-anchors.conf" @127.0.0.1 -p "$PORT" $q 2>&1)
    echo "$q: $out" | head -3
    echo "$out" | grep -q "fully validated" || { echo "FAIL: delv $q"; exit 11; }
done
start_hanon_resolver
echo "== hanon resolver"
python3 "$LAB/check.py" "$((PORT + 1))" --cases "$DIR/cases.tsv" || { echo "FAIL: hanon resolver"; exit 12; }

# A ZSK rollover (pre-publish) of roll.test while both resolvers keep asking:
# every answer must stay validated (AD) at every step.
printf '# qname\tqtype\trcode\tad\tfragment\tnote\n' >"$DIR/roll.tsv"
printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
 "www.roll.test." A NOERROR 1 "IN A 127.100.30.1" "roll: positive" \
 "nosuch.roll.test." A NXDOMAIN 1 - "roll: NXDOMAIN" \
 "roll.test." DNSKEY NOERROR 1 "IN DNSKEY" "roll: DNSKEY" >>"$DIR/roll.tsv"
echo "== rollover"
before=$(dig +short @127.53.30.1 roll.test DNSKEY | awk '$1 == 256' | wc -l)
i=0
while [ $i -lt 14 ]; do
    i=$((i+1))
    keys=$(dig +short @127.53.30.1 roll.test DNSKEY | awk '{print $1}' | sort | tr '\n' ' ')
    u=$(python3 "$LAB/check.py" "$PORT" --cases "$DIR/roll.tsv" --quiet | tail -1)
    h=$(python3 "$LAB/check.py" "$((PORT + 1))" --cases "$DIR/roll.tsv" --quiet | tail -1)
    echo "step $i: dnskey flags [$keys] unbound: $u / hanon: $h"
    [ "$u" = "3 passed, 0 failed" ] && [ "$h" = "3 passed, 0 failed" ] || { echo "FAIL: rollover step $i"; exit 13; }
    sleep 3
done
"$HANON" dnssec status roll.test --keys "$DIR/data/keys/roll.test"
"$HANON" dnssec status roll.test --keys "$DIR/data/keys/roll.test" | grep -q 'zsk   removed' \
    || { echo "FAIL: no ZSK rolled out"; exit 14; }
echo "signed again for new keys: $(grep -c 'key set changed' "$DIR/auth.log") times"
echo "ALL PASSED"
