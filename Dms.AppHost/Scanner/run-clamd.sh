#!/usr/bin/env bash
# Runs clamd in the foreground for the AppHost, listening on 127.0.0.1:$CLAMD_PORT, with the signatures in
# $CLAMD_DATABASE (our own: there is no freshclam without internet). The config is written on every start because
# the port is chosen by the AppHost. The size limits are the worker's (Dms:Scanner:MaxFileBytes), and a file or
# archive member past any limit is reported (Heuristics.Limits.Exceeded), which the worker takes as "cannot scan".
set -euo pipefail

: "${CLAMD_PORT:?}" "${CLAMD_STATE:?}" "${CLAMD_DATABASE:?}" "${CLAMD_MAX_BYTES:?}"
config="$CLAMD_STATE/clamd.conf"
cat > "$config" <<CONF
Foreground yes
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
DatabaseDirectory $CLAMD_DATABASE
StreamMaxLength $CLAMD_MAX_BYTES
MaxScanSize $CLAMD_MAX_BYTES
MaxFileSize $CLAMD_MAX_BYTES
AlertExceedsMax yes
LogTime yes
CONF
# Debian puts clamd in /usr/sbin, which a normal user's PATH leaves out.
exec "$(command -v clamd || echo /usr/sbin/clamd)" --config-file="$config"
