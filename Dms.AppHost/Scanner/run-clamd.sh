#!/usr/bin/env bash
# Runs clamd in the foreground for the AppHost, listening on 127.0.0.1:$CLAMD_PORT, with the signatures in
# $CLAMD_DATABASE (our own: there is no freshclam without internet). The config is written on every start because
# the port is chosen by the AppHost.
set -euo pipefail

: "${CLAMD_PORT:?}" "${CLAMD_STATE:?}" "${CLAMD_DATABASE:?}"
config="$CLAMD_STATE/clamd.conf"
cat > "$config" <<CONF
Foreground yes
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
DatabaseDirectory $CLAMD_DATABASE
StreamMaxLength 2000M
MaxScanSize 2000M
MaxFileSize 2000M
LogTime yes
CONF
# Debian puts clamd in /usr/sbin, which a normal user's PATH leaves out.
exec "$(command -v clamd || echo /usr/sbin/clamd)" --config-file="$config"
