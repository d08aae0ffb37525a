# Sourced by the lab scripts next to it: start_hanon_resolver starts hanon's
# validating resolver on 127.0.0.1:$((PORT + 1)) (its authority side, unused,
# on PORT + 2), pointed at the lab's root hints and trust anchor, with its
# data in $DIR/rdata; sets RPID; exits 7 when it does not come up.
# Needs HANON, DIR, PORT and LAB_STATE.
start_hanon_resolver() {
    mkdir -p "$DIR/rdata"
    cat >"$DIR/resolver.toml" <<CONF
data = "$DIR/rdata"
[dns]
listen = ["127.0.0.1:$((PORT + 2))"]
[resolver]
listen = ["127.0.0.1:$((PORT + 1))"]
root-hints = "$LAB_STATE/root.hints"
trust-anchor = "$LAB_STATE/root.key"
allow-loopback-upstreams = true
CONF
    "$HANON" serve --config "$DIR/resolver.toml" >"$DIR/resolver.log" 2>&1 &
    RPID=$!
    i=0
    until ss -lnu | grep -q "127.0.0.1:$((PORT + 1)) "; do
        i=$((i+1)); [ $i -gt 100 ] && { echo "resolver did not start"; cat "$DIR/resolver.log"; exit 7; }; sleep 0.1
    done
}
